package dev.assetlib.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads a definition: fills ${Name} placeholders (like SAM DefinitionSubstitutions), then
 * validates it strictly. Anything this interpreter does not implement — a state type, a field,
 * a resource, an intrinsic function, a context path — is refused here, with a message naming
 * it, rather than misbehaving at run time.
 */
final class DefinitionLoader {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    private static final Set<String> TOP_FIELDS =
            Set.of("Comment", "StartAt", "States", "Version", "TimeoutSeconds", "QueryLanguage");
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "Task", Set.of("Type", "Comment", "Next", "End", "InputPath", "OutputPath", "Parameters",
                    "ResultSelector", "ResultPath", "Retry", "Catch", "Resource", "TimeoutSeconds",
                    "TimeoutSecondsPath"),
            "Pass", Set.of("Type", "Comment", "Next", "End", "InputPath", "OutputPath", "Parameters",
                    "ResultPath", "Result"),
            "Wait", Set.of("Type", "Comment", "Next", "End", "InputPath", "OutputPath", "Seconds",
                    "SecondsPath", "Timestamp", "TimestampPath"),
            "Choice", Set.of("Type", "Comment", "InputPath", "OutputPath", "Choices", "Default"),
            "Succeed", Set.of("Type", "Comment", "InputPath", "OutputPath"),
            "Fail", Set.of("Type", "Comment", "Error", "Cause", "ErrorPath", "CausePath"));
    static final String LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke";
    static final Pattern LAMBDA_ARN = Pattern.compile(
            "^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}:function:([A-Za-z0-9_-]{1,64})(:[A-Za-z0-9_$-]+)?$");
    private static final long MAX_DELAY_LIMIT = 31_622_401L;

    private DefinitionLoader() {}

    static Definition load(String json, Map<String, String> substitutions) {
        JsonNode root;
        try {
            root = Json.parse(json);
        } catch (IllegalArgumentException e) {
            throw new DefinitionException("definition is not valid JSON: " + e.getMessage());
        }
        Set<String> missing = new TreeSet<>();
        root = substitute(root, substitutions == null ? Map.of() : substitutions, missing);
        if (!missing.isEmpty()) {
            throw new DefinitionException("definition has placeholders with no substitution: "
                    + missing + " (pass them in the substitutions map, like DefinitionSubstitutions)");
        }
        return validate(root);
    }

    private static JsonNode substitute(JsonNode node, Map<String, String> subs, Set<String> missing) {
        if (node.isTextual()) {
            Matcher m = PLACEHOLDER.matcher(node.asText());
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String value = subs.get(m.group(1));
                if (value == null) {
                    missing.add(m.group(1));
                    value = m.group();
                }
                m.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            m.appendTail(out);
            return TextNode.valueOf(out.toString());
        }
        if (node.isObject()) {
            ObjectNode out = Json.object();
            node.fields().forEachRemaining(e -> out.set(
                    ((TextNode) substitute(TextNode.valueOf(e.getKey()), subs, missing)).asText(),
                    substitute(e.getValue(), subs, missing)));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = Json.MAPPER.createArrayNode();
            node.forEach(n -> out.add(substitute(n, subs, missing)));
            return out;
        }
        return node;
    }

    private static Definition validate(JsonNode root) {
        if (!root.isObject()) {
            throw new DefinitionException("definition must be a JSON object");
        }
        unknownFields(root, TOP_FIELDS, "definition");
        if (root.has("QueryLanguage") && !"JSONPath".equals(root.get("QueryLanguage").asText())) {
            throw new DefinitionException("QueryLanguage " + root.get("QueryLanguage")
                    + " is not supported: this interpreter implements JSONPath only (no JSONata)");
        }
        if (root.has("Version") && !"1.0".equals(root.get("Version").asText())) {
            throw new DefinitionException("Version must be \"1.0\"");
        }
        String startAt = text(root, "StartAt", "definition", true);
        JsonNode states = root.get("States");
        if (states == null || !states.isObject() || states.isEmpty()) {
            throw new DefinitionException("definition needs a non-empty States object");
        }
        Map<String, StateDef> out = new LinkedHashMap<>();
        states.fields().forEachRemaining(e -> out.put(e.getKey(), StateParser.parse(e.getKey(), e.getValue())));
        if (!out.containsKey(startAt)) {
            throw new DefinitionException("StartAt '" + startAt + "' is not a state");
        }
        checkTransitions(out, startAt);
        Long timeout = root.has("TimeoutSeconds")
                ? positiveInt(root.get("TimeoutSeconds"), "definition.TimeoutSeconds", 1) : null;
        return new Definition(Json.write(root), startAt, Map.copyOf(out), timeout);
    }

    /** Every transition target exists and every state is reachable from StartAt. */
    private static void checkTransitions(Map<String, StateDef> states, String startAt) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(startAt));
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (!seen.add(name)) {
                continue;
            }
            StateDef s = states.get(name);
            List<String> targets = new ArrayList<>();
            if (s.next != null) {
                targets.add(s.next);
            }
            s.catchers.forEach(c -> targets.add(c.next()));
            targets.addAll(s.choiceNext);
            if (s.defaultNext != null) {
                targets.add(s.defaultNext);
            }
            for (String t : targets) {
                if (!states.containsKey(t)) {
                    throw new DefinitionException("state '" + name + "' transitions to '" + t
                            + "', which is not a state");
                }
                todo.push(t);
            }
        }
        Set<String> unreachable = new TreeSet<>(states.keySet());
        unreachable.removeAll(seen);
        if (!unreachable.isEmpty()) {
            throw new DefinitionException("states not reachable from StartAt: " + unreachable);
        }
    }

    static void unknownFields(JsonNode node, Set<String> allowed, String where) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new DefinitionException(where + ": field '" + f + "' is not supported by this "
                        + "interpreter (allowed here: " + new TreeSet<>(allowed) + ")");
            }
        }
    }

    static Set<String> fieldsOf(String type) {
        return FIELDS.get(type);
    }

    static String text(JsonNode node, String field, String where, boolean required) {
        JsonNode v = node.get(field);
        if (v == null) {
            if (required) {
                throw new DefinitionException(where + ": " + field + " is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new DefinitionException(where + ": " + field + " must be a string");
        }
        return v.asText();
    }

    static long positiveInt(JsonNode v, String where, long min) {
        if (!v.canConvertToExactIntegral() || v.asLong() < min) {
            throw new DefinitionException(where + " must be an integer >= " + min + ", got " + v);
        }
        return v.asLong();
    }

    static long maxDelayLimit() {
        return MAX_DELAY_LIMIT;
    }
}
