package dev.assetlib.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;

/** Parses and validates one state; see {@link DefinitionLoader} for the refusal policy. */
final class StateParser {
    private static final Set<String> RETRIER_FIELDS = Set.of("ErrorEquals", "IntervalSeconds",
            "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment");
    private static final Set<String> CATCHER_FIELDS =
            Set.of("ErrorEquals", "ResultPath", "Next", "Comment");
    private static final Set<String> LAMBDA_INVOKE_PARAMETERS =
            Set.of("FunctionName", "FunctionName.$", "Payload", "Payload.$");

    private StateParser() {}

    static StateDef parse(String name, JsonNode node) {
        String where = "state '" + name + "'";
        if (name.length() > 80) {
            throw new DefinitionException(where + ": state names are limited to 80 characters");
        }
        if (!node.isObject()) {
            throw new DefinitionException(where + " must be an object");
        }
        String type = DefinitionLoader.text(node, "Type", where, true);
        if (type.equals("Map") || type.equals("Parallel")) {
            throw new DefinitionException(where + ": state type " + type
                    + " is not supported by this interpreter (supported: Task, Pass, Wait, Choice, Succeed, Fail)");
        }
        if (DefinitionLoader.fieldsOf(type) == null) {
            throw new DefinitionException(where + ": unknown state type '" + type + "'");
        }
        where = where + " (" + type + ")";
        DefinitionLoader.unknownFields(node, DefinitionLoader.fieldsOf(type), where);
        StateDef s = new StateDef();
        s.name = name;
        s.type = StateDef.Type.valueOf(type);
        transitions(s, node, where);
        if (node.has("InputPath")) {
            s.inputNull = node.get("InputPath").isNull();
            s.inputPath = s.inputNull ? null : path(node, "InputPath", where, false);
        }
        if (node.has("OutputPath")) {
            s.outputNull = node.get("OutputPath").isNull();
            s.outputPath = s.outputNull ? null : path(node, "OutputPath", where, false);
        }
        if (node.has("ResultPath")) {
            s.resultPath = resultPath(node.get("ResultPath"), where + ".ResultPath");
        }
        if (node.has("Parameters")) {
            s.parameters = PayloadTemplate.compile(node.get("Parameters"), where + ".Parameters");
        }
        if (node.has("ResultSelector")) {
            s.resultSelector = PayloadTemplate.compile(node.get("ResultSelector"), where + ".ResultSelector");
        }
        s.result = node.get("Result");
        switch (s.type) {
            case Task -> task(s, node, where);
            case Wait -> waitFields(s, node, where);
            case Choice -> choice(s, node, where);
            case Fail -> fail(s, node, where);
            default -> { }
        }
        return s;
    }

    private static void transitions(StateDef s, JsonNode node, String where) {
        boolean needsTransition = s.type == StateDef.Type.Task || s.type == StateDef.Type.Pass
                || s.type == StateDef.Type.Wait;
        if (!needsTransition) {
            return;
        }
        s.next = DefinitionLoader.text(node, "Next", where, false);
        JsonNode end = node.get("End");
        if (end != null && !end.isBoolean()) {
            throw new DefinitionException(where + ": End must be a boolean");
        }
        s.end = end != null && end.asBoolean();
        if ((s.next == null) == !s.end) {
            throw new DefinitionException(where + ": needs exactly one of Next or \"End\": true");
        }
    }

    private static JsonPath path(JsonNode node, String field, String where, boolean reference) {
        String text = DefinitionLoader.text(node, field, where, true);
        JsonPath p = reference ? JsonPath.parseReference(text, where + "." + field)
                : JsonPath.parse(text, where + "." + field);
        ValueExpr.checkContextPath(p, where + "." + field);
        return p;
    }

    static StateDef.ResultPath resultPath(JsonNode v, String where) {
        if (v.isNull()) {
            return StateDef.ResultPath.DISCARD;
        }
        if (!v.isTextual()) {
            throw new DefinitionException(where + " must be a string path or null");
        }
        JsonPath p = JsonPath.parseReference(v.asText(), where);
        if (p.isContext()) {
            throw new DefinitionException(where + " cannot write into the context object ($$)");
        }
        return new StateDef.ResultPath(p, false);
    }

    private static void task(StateDef s, JsonNode node, String where) {
        s.resource = DefinitionLoader.text(node, "Resource", where, true);
        Matcher arn = DefinitionLoader.LAMBDA_ARN.matcher(s.resource);
        if (s.resource.equals(DefinitionLoader.LAMBDA_INVOKE)) {
            s.taskKind = StateDef.TaskKind.LAMBDA_INVOKE;
            JsonNode params = node.get("Parameters");
            if (params == null || !params.isObject()
                    || !(params.has("FunctionName") || params.has("FunctionName.$"))) {
                throw new DefinitionException(where + ": lambda:invoke needs Parameters.FunctionName");
            }
            DefinitionLoader.unknownFields(params, LAMBDA_INVOKE_PARAMETERS, where + ".Parameters (lambda:invoke)");
        } else if (arn.matches()) {
            s.taskKind = StateDef.TaskKind.LAMBDA_ARN;
        } else if (s.resource.startsWith(DefinitionLoader.LAMBDA_INVOKE + ".")) {
            throw new DefinitionException(where + ": integration pattern '"
                    + s.resource.substring(DefinitionLoader.LAMBDA_INVOKE.length()) + "' of resource '"
                    + s.resource + "' is not supported (only request-response lambda:invoke)");
        } else {
            throw new DefinitionException(where + ": resource '" + s.resource + "' is not supported "
                    + "by this interpreter (supported: " + DefinitionLoader.LAMBDA_INVOKE
                    + " and arn:aws:lambda:REGION:ACCOUNT:function:NAME[:ALIAS])");
        }
        if (node.has("TimeoutSeconds") && node.has("TimeoutSecondsPath")) {
            throw new DefinitionException(where + ": TimeoutSeconds and TimeoutSecondsPath are exclusive");
        }
        if (node.has("TimeoutSeconds")) {
            s.timeoutSeconds = DefinitionLoader.positiveInt(node.get("TimeoutSeconds"), where + ".TimeoutSeconds", 1);
        }
        if (node.has("TimeoutSecondsPath")) {
            s.timeoutSecondsPath = path(node, "TimeoutSecondsPath", where, true);
        }
        s.retry = retriers(node.get("Retry"), where + ".Retry");
        s.catchers = catchers(node.get("Catch"), where + ".Catch");
    }

    private static List<String> errorEquals(JsonNode node, String where, boolean last) {
        JsonNode e = node.get("ErrorEquals");
        if (e == null || !e.isArray() || e.isEmpty()) {
            throw new DefinitionException(where + ": ErrorEquals must be a non-empty array of strings");
        }
        List<String> out = new ArrayList<>();
        e.forEach(v -> {
            if (!v.isTextual()) {
                throw new DefinitionException(where + ": ErrorEquals must contain strings only");
            }
            out.add(v.asText());
        });
        if (out.contains(StatesError.ALL) && (out.size() > 1 || !last)) {
            throw new DefinitionException(where + ": States.ALL must appear alone and in the last entry");
        }
        return List.copyOf(out);
    }

    private static List<StateDef.Retrier> retriers(JsonNode retry, String where) {
        if (retry == null) {
            return List.of();
        }
        if (!retry.isArray()) {
            throw new DefinitionException(where + " must be an array");
        }
        List<StateDef.Retrier> out = new ArrayList<>();
        for (int i = 0; i < retry.size(); i++) {
            JsonNode r = retry.get(i);
            String w = where + "[" + i + "]";
            DefinitionLoader.unknownFields(r, RETRIER_FIELDS, w);
            List<String> errors = errorEquals(r, w, i == retry.size() - 1);
            long interval = r.has("IntervalSeconds")
                    ? DefinitionLoader.positiveInt(r.get("IntervalSeconds"), w + ".IntervalSeconds", 1) : 1;
            int max = r.has("MaxAttempts")
                    ? (int) DefinitionLoader.positiveInt(r.get("MaxAttempts"), w + ".MaxAttempts", 0) : 3;
            double backoff = 2.0;
            if (r.has("BackoffRate")) {
                if (!r.get("BackoffRate").isNumber() || r.get("BackoffRate").asDouble() < 1.0) {
                    throw new DefinitionException(w + ".BackoffRate must be a number >= 1.0");
                }
                backoff = r.get("BackoffRate").asDouble();
            }
            Long maxDelay = null;
            if (r.has("MaxDelaySeconds")) {
                maxDelay = DefinitionLoader.positiveInt(r.get("MaxDelaySeconds"), w + ".MaxDelaySeconds", 1);
                if (maxDelay >= DefinitionLoader.maxDelayLimit()) {
                    throw new DefinitionException(w + ".MaxDelaySeconds must be below 31622401");
                }
            }
            String jitter = r.has("JitterStrategy") ? r.get("JitterStrategy").asText() : "NONE";
            if (!jitter.equals("FULL") && !jitter.equals("NONE")) {
                throw new DefinitionException(w + ".JitterStrategy must be FULL or NONE, got " + r.get("JitterStrategy"));
            }
            out.add(new StateDef.Retrier(errors, interval, max, backoff, maxDelay, jitter.equals("FULL")));
        }
        return List.copyOf(out);
    }

    private static List<StateDef.Catcher> catchers(JsonNode c, String where) {
        if (c == null) {
            return List.of();
        }
        if (!c.isArray()) {
            throw new DefinitionException(where + " must be an array");
        }
        List<StateDef.Catcher> out = new ArrayList<>();
        for (int i = 0; i < c.size(); i++) {
            JsonNode k = c.get(i);
            String w = where + "[" + i + "]";
            DefinitionLoader.unknownFields(k, CATCHER_FIELDS, w);
            List<String> errors = errorEquals(k, w, i == c.size() - 1);
            StateDef.ResultPath rp = k.has("ResultPath")
                    ? resultPath(k.get("ResultPath"), w + ".ResultPath") : StateDef.ResultPath.REPLACE;
            out.add(new StateDef.Catcher(errors, rp, DefinitionLoader.text(k, "Next", w, true)));
        }
        return List.copyOf(out);
    }

    private static void waitFields(StateDef s, JsonNode node, String where) {
        int count = 0;
        for (String f : List.of("Seconds", "SecondsPath", "Timestamp", "TimestampPath")) {
            count += node.has(f) ? 1 : 0;
        }
        if (count != 1) {
            throw new DefinitionException(where + ": needs exactly one of Seconds, SecondsPath, "
                    + "Timestamp, TimestampPath");
        }
        if (node.has("Seconds")) {
            s.seconds = DefinitionLoader.positiveInt(node.get("Seconds"), where + ".Seconds", 0);
        } else if (node.has("SecondsPath")) {
            s.secondsPath = path(node, "SecondsPath", where, true);
        } else if (node.has("Timestamp")) {
            s.timestamp = DefinitionLoader.text(node, "Timestamp", where, true);
            if (Json.parseTimestamp(s.timestamp) == null) {
                throw new DefinitionException(where + ".Timestamp '" + s.timestamp
                        + "' is not an RFC 3339 timestamp (e.g. 2024-03-14T01:59:00Z)");
            }
        } else {
            s.timestampPath = path(node, "TimestampPath", where, true);
        }
    }

    private static void choice(StateDef s, JsonNode node, String where) {
        JsonNode choices = node.get("Choices");
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
            throw new DefinitionException(where + ": Choices must be a non-empty array");
        }
        List<ChoiceRule> rules = new ArrayList<>();
        List<String> next = new ArrayList<>();
        for (int i = 0; i < choices.size(); i++) {
            String w = where + ".Choices[" + i + "]";
            rules.add(ChoiceRule.compile(choices.get(i), w, true));
            next.add(DefinitionLoader.text(choices.get(i), "Next", w, true));
        }
        s.choices = List.copyOf(rules);
        s.choiceNext = List.copyOf(next);
        s.defaultNext = DefinitionLoader.text(node, "Default", where, false);
    }

    private static void fail(StateDef s, JsonNode node, String where) {
        if (node.has("Error") && node.has("ErrorPath") || node.has("Cause") && node.has("CausePath")) {
            throw new DefinitionException(where + ": Error/ErrorPath and Cause/CausePath are exclusive pairs");
        }
        s.error = DefinitionLoader.text(node, "Error", where, false);
        s.cause = DefinitionLoader.text(node, "Cause", where, false);
        if (node.has("ErrorPath")) {
            s.errorPath = ValueExpr.compile(DefinitionLoader.text(node, "ErrorPath", where, true), where + ".ErrorPath");
        }
        if (node.has("CausePath")) {
            s.causePath = ValueExpr.compile(DefinitionLoader.text(node, "CausePath", where, true), where + ".CausePath");
        }
    }
}
