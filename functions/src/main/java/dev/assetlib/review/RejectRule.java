package dev.assetlib.review;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.json.JsonCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** A rule of the simulated reviewer: URLs matching {@code pattern} are rejected with {@code reason}. */
public record RejectRule(Pattern pattern, String reason) {

    /** Parses {@code [{"pattern":"regex","reason":"text"}, ...]}; fails with what is wrong. */
    public static List<RejectRule> parseAll(String json) {
        List<RejectRule> rules = new ArrayList<>();
        JsonNode root;
        try {
            root = JsonCodec.parse(json);
        } catch (Exception e) {
            throw new IllegalStateException("reject rules must be a JSON array of {\"pattern\",\"reason\"}: " + e.getMessage());
        }
        if (root == null || !root.isArray()) {
            throw new IllegalStateException("reject rules must be a JSON array of {\"pattern\",\"reason\"}");
        }
        for (JsonNode rule : root) {
            String pattern = rule.path("pattern").asText("");
            String reason = rule.path("reason").asText("");
            if (pattern.isEmpty() || reason.isEmpty()) {
                throw new IllegalStateException("each reject rule needs a non-empty pattern and reason: " + rule);
            }
            try {
                rules.add(new RejectRule(Pattern.compile(pattern), reason));
            } catch (PatternSyntaxException e) {
                throw new IllegalStateException("reject rule pattern is not a regular expression: " + pattern, e);
            }
        }
        return List.copyOf(rules);
    }

    /** Renders rules back to the JSON form (the local stack passes its --reject flags this way). */
    public static String toJson(List<RejectRule> rules) {
        var array = JsonCodec.array();
        rules.forEach(r -> array.addObject().put("pattern", r.pattern().pattern()).put("reason", r.reason()));
        return JsonCodec.write(array);
    }
}
