package dev.assetlib.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.StringTokenizer;

/**
 * Intrinsic functions, parsed at load. Only the functions in {@link #ARITY} are implemented;
 * any other is refused at load, naming it. Runtime argument problems raise
 * {@code States.IntrinsicFailure}.
 */
final class Intrinsics {
    /** Supported functions: {min args, max args} (-1 = unbounded). */
    static final Map<String, int[]> ARITY = Map.of(
            "States.Format", new int[] {1, -1},
            "States.StringToJson", new int[] {1, 1},
            "States.JsonToString", new int[] {1, 1},
            "States.Array", new int[] {0, -1},
            "States.ArrayLength", new int[] {1, 1},
            "States.ArrayContains", new int[] {2, 2},
            "States.MathAdd", new int[] {2, 2},
            "States.StringSplit", new int[] {2, 2},
            "States.Base64Encode", new int[] {1, 1},
            "States.Base64Decode", new int[] {1, 1});

    private static final int MAX_BASE64_INPUT = 10_000;

    private Intrinsics() {}

    /** An argument: a literal, a path or a nested call. */
    private interface Arg {
        JsonNode value(JsonNode input, JsonNode context);
    }

    /** A string literal keeps its raw text so States.Format can tell {} from \{\}. */
    private record Literal(JsonNode node, String raw) implements Arg {
        public JsonNode value(JsonNode input, JsonNode context) {
            return node;
        }
    }

    private record PathArg(JsonPath path) implements Arg {
        public JsonNode value(JsonNode input, JsonNode context) {
            JsonNode v = path.evaluate(input, context);
            if (v == null) {
                throw new StatesError(StatesError.INTRINSIC_FAILURE,
                        "The JsonPath argument '" + path.text() + "' could not be found in the input");
            }
            return v;
        }
    }

    record Call(String name, List<Arg> args, String text) implements ValueExpr, Arg {
        @Override
        public JsonNode evaluate(JsonNode input, JsonNode context) {
            return value(input, context);
        }

        @Override
        public JsonNode value(JsonNode input, JsonNode context) {
            List<JsonNode> v = new ArrayList<>();
            for (Arg a : args) {
                v.add(a.value(input, context));
            }
            return invoke(this, v);
        }
    }

    static Call compile(String text, String where) {
        Parser p = new Parser(text.trim(), where);
        Call call = p.call();
        if (p.pos != p.s.length()) {
            throw p.error("unexpected text after the closing parenthesis");
        }
        return call;
    }

    private static JsonNode invoke(Call call, List<JsonNode> a) {
        switch (call.name()) {
            case "States.Format": {
                String template = string(call, a, 0);
                String raw = call.args().get(0) instanceof Literal l && l.raw() != null ? l.raw() : null;
                return TextNode.valueOf(format(call, template, raw, a.subList(1, a.size())));
            }
            case "States.StringToJson":
                try {
                    return Json.parse(string(call, a, 0));
                } catch (IllegalArgumentException e) {
                    throw failure(call, "argument is not valid JSON: " + e.getMessage());
                }
            case "States.JsonToString":
                return TextNode.valueOf(Json.write(a.get(0)));
            case "States.Array": {
                ArrayNode out = Json.MAPPER.createArrayNode();
                a.forEach(out::add);
                return out;
            }
            case "States.ArrayLength":
                return Json.MAPPER.getNodeFactory().numberNode(array(call, a, 0).size());
            case "States.ArrayContains": {
                for (JsonNode item : array(call, a, 0)) {
                    if (JsonEquality.equal(item, a.get(1))) {
                        return Json.MAPPER.getNodeFactory().booleanNode(true);
                    }
                }
                return Json.MAPPER.getNodeFactory().booleanNode(false);
            }
            case "States.MathAdd": {
                if (!a.get(0).isNumber() || !a.get(1).isNumber()) {
                    throw failure(call, "both arguments must be numbers");
                }
                return Json.MAPPER.getNodeFactory().numberNode(
                        JsonEquality.normalize(a.get(0).decimalValue().add(a.get(1).decimalValue())));
            }
            case "States.StringSplit": {
                // The second argument is a set of delimiter characters, as in the AWS documentation
                // ("This.is+a,test=string" split on ".+,=" gives five words); empty tokens are dropped.
                StringTokenizer tok = new StringTokenizer(string(call, a, 0), string(call, a, 1));
                ArrayNode out = Json.MAPPER.createArrayNode();
                while (tok.hasMoreTokens()) {
                    out.add(tok.nextToken());
                }
                return out;
            }
            case "States.Base64Encode": {
                String s = string(call, a, 0);
                if (s.length() > MAX_BASE64_INPUT) {
                    throw failure(call, "the input is longer than 10,000 characters");
                }
                return TextNode.valueOf(
                        Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)));
            }
            case "States.Base64Decode": {
                String s = string(call, a, 0);
                if (s.length() > MAX_BASE64_INPUT) {
                    throw failure(call, "the input is longer than 10,000 characters");
                }
                try {
                    return TextNode.valueOf(new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw failure(call, "the argument is not valid Base64");
                }
            }
            default:
                throw new IllegalStateException("unreachable: refused at load: " + call.name());
        }
    }

    private static String format(Call call, String template, String raw, List<JsonNode> values) {
        String source = raw != null ? raw : template;
        StringBuilder out = new StringBuilder();
        int used = 0;
        for (int i = 0; i < source.length(); i++) {
            char c = source.charAt(i);
            if (raw != null && c == '\\' && i + 1 < source.length()) {
                out.append(source.charAt(++i));
            } else if (c == '{' && i + 1 < source.length() && source.charAt(i + 1) == '}') {
                if (used >= values.size()) {
                    throw failure(call, "the template has more {} placeholders than arguments");
                }
                JsonNode v = values.get(used++);
                if (v.isContainerNode()) {
                    throw failure(call, "argument " + (used + 1) + " is an " + Json.typeName(v)
                            + "; only strings, numbers, booleans and null can be formatted");
                }
                out.append(v.isTextual() ? v.asText() : Json.write(v));
                i++;
            } else {
                out.append(c);
            }
        }
        if (used != values.size()) {
            throw failure(call, "the template has " + used + " {} placeholders but "
                    + values.size() + " arguments were given");
        }
        return out.toString();
    }

    private static String string(Call call, List<JsonNode> a, int i) {
        if (!a.get(i).isTextual()) {
            throw failure(call, "argument " + (i + 1) + " must be a string, got " + Json.typeName(a.get(i)));
        }
        return a.get(i).asText();
    }

    private static JsonNode array(Call call, List<JsonNode> a, int i) {
        if (!a.get(i).isArray()) {
            throw failure(call, "argument " + (i + 1) + " must be an array, got " + Json.typeName(a.get(i)));
        }
        return a.get(i);
    }

    private static StatesError failure(Call call, String what) {
        return new StatesError(StatesError.INTRINSIC_FAILURE,
                "Invalid arguments in " + call.name() + " (" + call.text() + "): " + what);
    }

    /** Parser for {@code States.Name(arg, ...)}. */
    private static final class Parser {
        final String s;
        final String where;
        int pos;

        Parser(String s, String where) {
            this.s = s;
            this.where = where;
        }

        Call call() {
            int start = pos;
            int open = s.indexOf('(', pos);
            if (open < 0) {
                throw error("missing '('");
            }
            String name = s.substring(pos, open).trim();
            int[] arity = ARITY.get(name);
            if (arity == null) {
                throw new DefinitionException(where + ": intrinsic function '" + name + "' is not "
                        + "supported by this interpreter (supported: " + new java.util.TreeSet<>(ARITY.keySet()) + ")");
            }
            pos = open + 1;
            List<Arg> args = new ArrayList<>();
            skipSpaces();
            if (peek() == ')') {
                pos++;
            } else {
                while (true) {
                    skipSpaces();
                    args.add(arg());
                    skipSpaces();
                    char c = peek();
                    pos++;
                    if (c == ')') {
                        break;
                    }
                    if (c != ',') {
                        throw error("expected ',' or ')' at position " + pos);
                    }
                }
            }
            if (args.size() < arity[0] || (arity[1] >= 0 && args.size() > arity[1])) {
                throw error(name + " takes " + (arity[0] == arity[1] ? arity[0] + "" : "at least " + arity[0])
                        + " argument(s), got " + args.size());
            }
            return new Call(name, List.copyOf(args), s.substring(start, pos));
        }

        private Arg arg() {
            char c = peek();
            if (c == '\'') {
                return string();
            }
            if (c == '$') {
                return path();
            }
            if (s.startsWith("States.", pos)) {
                return call();
            }
            int start = pos;
            while (pos < s.length() && s.charAt(pos) != ',' && s.charAt(pos) != ')') {
                pos++;
            }
            String lit = s.substring(start, pos).trim();
            try {
                JsonNode n = Json.parse(lit);
                if (n.isContainerNode() || n.isTextual()) {
                    throw error("'" + lit + "' is not a valid argument");
                }
                return new Literal(n, null);
            } catch (IllegalArgumentException e) {
                throw error("'" + lit + "' is not a string, number, boolean, null, path or function");
            }
        }

        private Arg string() {
            pos++;
            StringBuilder raw = new StringBuilder();
            StringBuilder val = new StringBuilder();
            while (pos < s.length() && s.charAt(pos) != '\'') {
                char c = s.charAt(pos++);
                if (c == '\\' && pos < s.length()) {
                    char e = s.charAt(pos++);
                    raw.append('\\').append(e);
                    val.append(e);
                } else {
                    raw.append(c);
                    val.append(c);
                }
            }
            if (pos >= s.length()) {
                throw error("unterminated string literal");
            }
            pos++;
            return new Literal(TextNode.valueOf(val.toString()), raw.toString());
        }

        private Arg path() {
            int start = pos;
            int depth = 0;
            char quote = 0;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    }
                } else if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '[') {
                    depth++;
                } else if (c == ']') {
                    depth--;
                } else if (depth == 0 && (c == ',' || c == ')')) {
                    break;
                }
                pos++;
            }
            JsonPath p = JsonPath.parse(s.substring(start, pos).trim(), where);
            ValueExpr.checkContextPath(p, where);
            return new PathArg(p);
        }

        private char peek() {
            if (pos >= s.length()) {
                throw error("unexpected end");
            }
            return s.charAt(pos);
        }

        private void skipSpaces() {
            while (pos < s.length() && s.charAt(pos) == ' ') {
                pos++;
            }
        }

        DefinitionException error(String what) {
            return new DefinitionException(where + ": invalid intrinsic function '" + s + "': " + what);
        }
    }
}
