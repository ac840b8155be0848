package dev.assetlib.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A compiled Choice rule: a comparison (Variable + one operator), or And/Or/Not. Comparing
 * values of different types is false, as the spec says; a Variable that matches nothing is a
 * States.Runtime error, except for IsPresent.
 */
abstract class ChoiceRule {
    private static final Set<String> TYPES = Set.of("String", "Numeric", "Boolean", "Timestamp");
    private static final Set<String> OPS = Set.of("Equals", "LessThan", "GreaterThan",
            "LessThanEquals", "GreaterThanEquals");
    private static final Set<String> TESTS = Set.of("IsPresent", "IsNull", "IsString",
            "IsNumeric", "IsBoolean", "IsTimestamp");

    /** @return whether the rule matches the (effective) state input. */
    abstract boolean test(JsonNode input, JsonNode context);

    static ChoiceRule compile(JsonNode rule, String where, boolean topLevel) {
        if (!rule.isObject()) {
            throw new DefinitionException(where + ": a choice rule must be an object");
        }
        if (topLevel != rule.has("Next")) {
            throw new DefinitionException(where + (topLevel ? ": a top-level choice rule needs Next"
                    : ": a nested choice rule (inside And/Or/Not) must not have Next"));
        }
        List<String> ops = new ArrayList<>();
        rule.fieldNames().forEachRemaining(f -> {
            if (!f.equals("Next") && !f.equals("Variable") && !f.equals("Comment")) {
                ops.add(f);
            }
        });
        if (ops.size() != 1) {
            throw new DefinitionException(where + ": a choice rule needs exactly one operator, found "
                    + ops);
        }
        String op = ops.get(0);
        JsonNode arg = rule.get(op);
        switch (op) {
            case "And":
            case "Or": {
                if (rule.has("Variable") || !arg.isArray() || arg.isEmpty()) {
                    throw new DefinitionException(where + ": " + op
                            + " needs a non-empty array of rules and no Variable");
                }
                List<ChoiceRule> rules = new ArrayList<>();
                for (int i = 0; i < arg.size(); i++) {
                    rules.add(compile(arg.get(i), where + "." + op + "[" + i + "]", false));
                }
                boolean and = op.equals("And");
                return new ChoiceRule() {
                    boolean test(JsonNode in, JsonNode ctx) {
                        for (ChoiceRule r : rules) {
                            if (r.test(in, ctx) != and) {
                                return !and;
                            }
                        }
                        return and;
                    }
                };
            }
            case "Not": {
                if (rule.has("Variable")) {
                    throw new DefinitionException(where + ": Not takes a rule, not a Variable");
                }
                ChoiceRule inner = compile(arg, where + ".Not", false);
                return new ChoiceRule() {
                    boolean test(JsonNode in, JsonNode ctx) {
                        return !inner.test(in, ctx);
                    }
                };
            }
            default:
                return comparison(rule, op, arg, where);
        }
    }

    private static ChoiceRule comparison(JsonNode rule, String op, JsonNode arg, String where) {
        if (!rule.hasNonNull("Variable") || !rule.get("Variable").isTextual()) {
            throw new DefinitionException(where + ": " + op + " needs a Variable path");
        }
        JsonPath variable = parsePath(rule.get("Variable").asText(), where + ".Variable");
        if (TESTS.contains(op)) {
            if (!arg.isBoolean()) {
                throw new DefinitionException(where + ": " + op + " takes true or false");
            }
            return new TypeTest(variable, op, arg.asBoolean());
        }
        if (op.equals("StringMatches")) {
            if (!arg.isTextual()) {
                throw new DefinitionException(where + ": StringMatches takes a string pattern");
            }
            return new Compare(variable, "String", "Matches", arg, null);
        }
        boolean isPath = op.endsWith("Path");
        String base = isPath ? op.substring(0, op.length() - 4) : op;
        String type = TYPES.stream().filter(base::startsWith).findFirst().orElse(null);
        String cmp = type == null ? null : base.substring(type.length());
        if (type == null || !(OPS.contains(cmp) && (cmp.equals("Equals") || !type.equals("Boolean")))) {
            throw new DefinitionException(where + ": choice operator '" + op + "' is not supported "
                    + "(supported: String/Numeric/Timestamp Equals, LessThan, GreaterThan, LessThanEquals, "
                    + "GreaterThanEquals, BooleanEquals, their *Path forms, StringMatches, " + new TreeSet<>(TESTS)
                    + ", And, Or, Not)");
        }
        if (isPath) {
            if (!arg.isTextual()) {
                throw new DefinitionException(where + ": " + op + " takes a path string");
            }
            return new Compare(variable, type, cmp, null, parsePath(arg.asText(), where + "." + op));
        }
        boolean ok = switch (type) {
            case "String" -> arg.isTextual();
            case "Numeric" -> arg.isNumber();
            case "Boolean" -> arg.isBoolean();
            default -> Json.isTimestamp(arg);
        };
        if (!ok) {
            throw new DefinitionException(where + ": " + op + " takes a "
                    + (type.equals("Timestamp") ? "timestamp string (RFC 3339)" : type.toLowerCase() + " value")
                    + ", got " + arg);
        }
        return new Compare(variable, type, cmp, arg, null);
    }

    private static JsonPath parsePath(String text, String where) {
        JsonPath p = JsonPath.parseReference(text, where);
        ValueExpr.checkContextPath(p, where);
        return p;
    }

    static JsonNode read(JsonPath path, JsonNode input, JsonNode ctx) {
        JsonNode v = path.evaluate(input, ctx);
        if (v == null) {
            throw StatesError.runtime("Invalid path '" + path.text()
                    + "': The choice state's condition path references an invalid value.");
        }
        return v;
    }

    private static final class TypeTest extends ChoiceRule {
        private final JsonPath variable;
        private final String op;
        private final boolean expected;

        TypeTest(JsonPath variable, String op, boolean expected) {
            this.variable = variable;
            this.op = op;
            this.expected = expected;
        }

        @Override
        boolean test(JsonNode in, JsonNode ctx) {
            if (op.equals("IsPresent")) {
                return (variable.evaluate(in, ctx) != null) == expected;
            }
            JsonNode v = read(variable, in, ctx);
            boolean is = switch (op) {
                case "IsNull" -> v.isNull();
                case "IsString" -> v.isTextual();
                case "IsNumeric" -> v.isNumber();
                case "IsBoolean" -> v.isBoolean();
                default -> Json.isTimestamp(v);
            };
            return is == expected;
        }
    }

    private static final class Compare extends ChoiceRule {
        private final JsonPath variable;
        private final String type;
        private final String cmp;
        private final JsonNode literal;
        private final JsonPath otherPath;

        Compare(JsonPath variable, String type, String cmp, JsonNode literal, JsonPath otherPath) {
            this.variable = variable;
            this.type = type;
            this.cmp = cmp;
            this.literal = literal;
            this.otherPath = otherPath;
        }

        @Override
        boolean test(JsonNode in, JsonNode ctx) {
            JsonNode v = read(variable, in, ctx);
            JsonNode other = otherPath == null ? literal : read(otherPath, in, ctx);
            switch (type) {
                case "String":
                    if (!v.isTextual() || !other.isTextual()) {
                        return false;
                    }
                    if (cmp.equals("Matches")) {
                        return matches(v.asText(), other.asText());
                    }
                    return holds(v.asText().compareTo(other.asText()));
                case "Numeric":
                    return v.isNumber() && other.isNumber()
                            && holds(v.decimalValue().compareTo(other.decimalValue()));
                case "Boolean":
                    return v.isBoolean() && other.isBoolean() && v.asBoolean() == other.asBoolean();
                default: {
                    Instant a = v.isTextual() ? Json.parseTimestamp(v.asText()) : null;
                    Instant b = other.isTextual() ? Json.parseTimestamp(other.asText()) : null;
                    return a != null && b != null && holds(a.compareTo(b));
                }
            }
        }

        private boolean holds(int c) {
            return switch (cmp) {
                case "Equals" -> c == 0;
                case "LessThan" -> c < 0;
                case "GreaterThan" -> c > 0;
                case "LessThanEquals" -> c <= 0;
                default -> c >= 0;
            };
        }

        /** '*' matches any run of characters; '\*' and '\\' are a literal star and backslash. */
        static boolean matches(String value, String pattern) {
            StringBuilder regex = new StringBuilder();
            for (int i = 0; i < pattern.length(); i++) {
                char c = pattern.charAt(i);
                if (c == '\\' && i + 1 < pattern.length()) {
                    regex.append(java.util.regex.Pattern.quote(String.valueOf(pattern.charAt(++i))));
                } else if (c == '*') {
                    regex.append(".*");
                } else {
                    regex.append(java.util.regex.Pattern.quote(String.valueOf(c)));
                }
            }
            return java.util.regex.Pattern.compile(regex.toString(), java.util.regex.Pattern.DOTALL)
                    .matcher(value).matches();
        }
    }
}
