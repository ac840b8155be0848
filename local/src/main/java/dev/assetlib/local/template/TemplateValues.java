package dev.assetlib.local.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves the intrinsic functions the template's configuration values use ({@code Ref},
 * {@code Fn::GetAtt}, {@code Fn::Sub}) against the local stack: parameters take their Default
 * unless the local stack overrides them, resources map to their local names, ARNs and URLs.
 * Anything it cannot resolve fails at start, naming it, rather than reaching a handler as junk.
 */
public final class TemplateValues {
    private static final Pattern SUB_VAR = Pattern.compile("\\$\\{([^}!]+)}");

    private final SamTemplate template;
    private final Map<String, String> parameterOverrides;
    private final Map<String, String> refs = new HashMap<>();

    /**
     * @param parameterOverrides parameter name → value, used instead of the parameter's Default
     * @param refs               what {@code Ref X} and {@code GetAtt X.Attr} ("X.Attr") mean locally:
     *                           resource names, ARNs, URLs and pseudo parameters
     */
    public TemplateValues(SamTemplate template, Map<String, String> parameterOverrides, Map<String, String> refs) {
        this.template = template;
        this.parameterOverrides = Map.copyOf(parameterOverrides);
        this.refs.putAll(refs);
        parameterOverrides.keySet().forEach(template::parameterDefault); // an override must name a real parameter
    }

    public String resolve(JsonNode value) {
        if (value.isValueNode()) {
            return value.asText();
        }
        if (value.isObject() && value.size() == 1) {
            var entry = value.fields().next();
            JsonNode arg = entry.getValue();
            switch (entry.getKey()) {
                case "Ref":
                    return ref(arg.asText());
                case "Fn::GetAtt":
                    return ref(arg.path(0).asText() + "." + arg.path(1).asText());
                case "Fn::Sub":
                    if (arg.isTextual()) {
                        return sub(arg.asText());
                    }
                    break;
                default:
                    break;
            }
        }
        throw new IllegalStateException("the local stack cannot resolve " + value + " in " + template.directory()
                + "/template.yaml: teach dev.assetlib.local.template.TemplateValues this form");
    }

    private String ref(String name) {
        if (parameterOverrides.containsKey(name)) {
            return parameterOverrides.get(name);
        }
        if (template.root().path("Parameters").has(name)) {
            return template.parameterDefault(name);
        }
        String local = refs.get(name);
        if (local == null) {
            throw new IllegalStateException("the local stack has no value for Ref/GetAtt " + name
                    + ": add it to the local wiring (dev.assetlib.local.RunningStack)");
        }
        return local;
    }

    private String sub(String text) {
        Matcher m = SUB_VAR.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(ref(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }
}
