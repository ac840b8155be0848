package dev.assetlib.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A compiled Parameters / ResultSelector template: fields whose name ends in ".$" are replaced
 * by the value of their path or intrinsic function; everything else is copied as is.
 */
final class PayloadTemplate {
    private final JsonNode template;
    private final Map<String, ValueExpr> compiled = new LinkedHashMap<>();

    private PayloadTemplate(JsonNode template, String where) {
        this.template = template;
        compileAll(template, where);
    }

    static PayloadTemplate compile(JsonNode template, String where) {
        return new PayloadTemplate(template, where);
    }

    JsonNode template() {
        return template;
    }

    private void compileAll(JsonNode node, String where) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().endsWith(".$")) {
                    if (!e.getValue().isTextual()) {
                        throw new DefinitionException(where + ": field '" + e.getKey()
                                + "' ends in '.$', so its value must be a string path or intrinsic function");
                    }
                    String text = e.getValue().asText();
                    compiled.putIfAbsent(text, ValueExpr.compile(text, where + "." + e.getKey()));
                } else {
                    compileAll(e.getValue(), where + "." + e.getKey());
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> compileAll(n, where));
        }
    }

    JsonNode apply(JsonNode input, JsonNode context) {
        return resolve(template, input, context);
    }

    private JsonNode resolve(JsonNode node, JsonNode input, JsonNode context) {
        if (node.isObject()) {
            ObjectNode out = Json.object();
            node.fields().forEachRemaining(e -> {
                String key = e.getKey();
                if (key.endsWith(".$")) {
                    String text = e.getValue().asText();
                    JsonNode value = compiled.get(text).evaluate(input, context);
                    if (value == null) {
                        throw new StatesError(StatesError.PARAMETER_PATH_FAILURE, "The JSONPath '" + text
                                + "' specified for the field '" + key + "' could not be found in the input '"
                                + Json.write(text.startsWith("$$") ? context : input) + "'");
                    }
                    out.set(key.substring(0, key.length() - 2), value);
                } else {
                    out.set(key, resolve(e.getValue(), input, context));
                }
            });
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = Json.MAPPER.createArrayNode();
            node.forEach(n -> out.add(resolve(n, input, context)));
            return out;
        }
        return node;
    }
}
