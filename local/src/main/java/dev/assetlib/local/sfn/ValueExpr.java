package dev.assetlib.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The value of a {@code "key.$"} field: a JSONPath or an intrinsic function call. */
interface ValueExpr {
    /** @return the value, or null when a path matched nothing (the caller names the error). */
    JsonNode evaluate(JsonNode input, JsonNode context);

    String text();

    static ValueExpr compile(String text, String where) {
        if (text.startsWith("$")) {
            JsonPath path = JsonPath.parse(text, where);
            checkContextPath(path, where);
            return new PathExpr(path);
        }
        if (text.startsWith("States.")) {
            return Intrinsics.compile(text, where);
        }
        throw new DefinitionException(where + ": '" + text
                + "' is neither a JSONPath (starting with '$') nor an intrinsic function (States.*)");
    }

    /** Fields of the context object this interpreter fills in. */
    Map<String, Set<String>> CONTEXT_FIELDS = Map.of(
            "Execution", Set.of("Id", "Input", "Name", "RoleArn", "StartTime", "RedriveCount"),
            "State", Set.of("EnteredTime", "Name", "RetryCount"),
            "StateMachine", Set.of("Id", "Name"));

    static void checkContextPath(JsonPath path, String where) {
        if (!path.isContext()) {
            return;
        }
        List<String> names = path.leadingNames();
        if (names.isEmpty()) {
            return;
        }
        Set<String> fields = CONTEXT_FIELDS.get(names.get(0));
        if (fields == null) {
            throw new DefinitionException(where + ": context object path '" + path.text()
                    + "' is not supported: this interpreter provides $$.Execution, $$.State and "
                    + "$$.StateMachine only (no $$.Task.Token, $$.Map)");
        }
        if (names.size() > 1 && !fields.contains(names.get(1))) {
            throw new DefinitionException(where + ": context object path '" + path.text()
                    + "' names an unknown field; $$." + names.get(0) + " has " + fields);
        }
    }

    record PathExpr(JsonPath path) implements ValueExpr {
        @Override
        public JsonNode evaluate(JsonNode input, JsonNode context) {
            return path.evaluate(input, context);
        }

        @Override
        public String text() {
            return path.text();
        }
    }
}
