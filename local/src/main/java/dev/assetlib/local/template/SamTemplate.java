package dev.assetlib.local.template;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * template.yaml as a JSON tree, the way CloudFormation reads it: the short tags ({@code !Ref X},
 * {@code !GetAtt A.B}, {@code !Sub ...}, {@code !If [...]}) become their long forms
 * ({@code {"Ref": "X"}}, {@code {"Fn::GetAtt": ["A", "B"]}}, ...), so nothing is lost or misread.
 * The local stack reads its wiring from here instead of copying it.
 */
public final class SamTemplate {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Path file;
    private final JsonNode root;

    private SamTemplate(Path file, JsonNode root) {
        this.file = file;
        this.root = root;
    }

    public static SamTemplate load(Path file) {
        try {
            return parse(file, Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public static SamTemplate parse(Path file, String yaml) {
        try (YAMLParser parser = new YAMLFactory().createParser(yaml)) {
            if (parser.nextToken() == null) {
                throw new IllegalArgumentException(file + " is empty");
            }
            return new SamTemplate(file, read(parser));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not valid YAML: " + e.getMessage(), e);
        }
    }

    /** The directory the template's relative paths (DefinitionUri, CodeUri) start from. */
    public Path directory() {
        return file.toAbsolutePath().getParent();
    }

    public JsonNode root() {
        return root;
    }

    /** Resources of one type, by logical id, in template order. */
    public Map<String, JsonNode> resources(String type) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        root.path("Resources").fields().forEachRemaining(e -> {
            if (type.equals(e.getValue().path("Type").asText())) {
                out.put(e.getKey(), e.getValue());
            }
        });
        return out;
    }

    /** The one resource of a type, or a failure saying the local stack only knows one. */
    public String onlyResource(String type) {
        List<String> ids = List.copyOf(resources(type).keySet());
        if (ids.size() != 1) {
            throw new IllegalStateException("the local stack expects exactly one " + type + " in " + file
                    + ", found " + ids + ": extend dev.assetlib.local to create the others");
        }
        return ids.get(0);
    }

    /** A function property, falling back to Globals.Function like SAM does. */
    public Optional<JsonNode> functionProperty(String functionId, String name) {
        JsonNode own = root.path("Resources").path(functionId).path("Properties").path(name);
        if (!own.isMissingNode()) {
            return Optional.of(own);
        }
        JsonNode global = root.path("Globals").path("Function").path(name);
        return global.isMissingNode() ? Optional.empty() : Optional.of(global);
    }

    /** Globals.Function.Environment.Variables overlaid with the function's own, unresolved. */
    public Map<String, JsonNode> environment(String functionId) {
        Map<String, JsonNode> vars = new LinkedHashMap<>();
        root.path("Globals").path("Function").path("Environment").path("Variables").fields()
                .forEachRemaining(e -> vars.put(e.getKey(), e.getValue()));
        root.path("Resources").path(functionId).path("Properties").path("Environment").path("Variables").fields()
                .forEachRemaining(e -> vars.put(e.getKey(), e.getValue()));
        return vars;
    }

    /** A parameter's Default as text ("" when it has none). */
    public String parameterDefault(String name) {
        JsonNode p = root.path("Parameters").path(name);
        if (p.isMissingNode()) {
            throw new IllegalStateException("template parameter " + name + " does not exist in " + file);
        }
        return p.path("Default").asText("");
    }

    // ------------------------------------------------------------------ YAML with CloudFormation tags

    private static JsonNode read(YAMLParser p) throws IOException {
        String tag = p.getTypeId(); // read before moving on: it belongs to the current value
        JsonNode value = switch (p.currentToken()) {
            case START_OBJECT -> {
                ObjectNode obj = NODES.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    obj.set(name, read(p));
                }
                yield obj;
            }
            case START_ARRAY -> {
                ArrayNode arr = NODES.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    arr.add(read(p));
                }
                yield arr;
            }
            case VALUE_STRING -> NODES.textNode(p.getText());
            case VALUE_NUMBER_INT -> NODES.numberNode(p.getLongValue());
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(p.getDecimalValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new IllegalArgumentException("unexpected YAML token " + p.currentToken());
        };
        return tag == null ? value : longForm(tag, value);
    }

    /** {@code !Ref X} → {"Ref": X}; {@code !GetAtt A.B} → {"Fn::GetAtt": [A, B]}; {@code !Name v} → {"Fn::Name": v}. */
    private static JsonNode longForm(String tag, JsonNode value) {
        ObjectNode out = NODES.objectNode();
        switch (tag) {
            case "Ref", "Condition" -> out.set(tag, value);
            case "GetAtt" -> {
                if (value.isTextual()) {
                    String text = value.asText();
                    int dot = text.indexOf('.');
                    ArrayNode parts = out.putArray("Fn::GetAtt");
                    parts.add(dot < 0 ? text : text.substring(0, dot));
                    if (dot >= 0) {
                        parts.add(text.substring(dot + 1));
                    }
                } else {
                    out.set("Fn::GetAtt", value);
                }
            }
            default -> out.set("Fn::" + tag, value);
        }
        return out;
    }
}
