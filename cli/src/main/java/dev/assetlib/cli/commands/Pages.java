package dev.assetlib.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.cli.Printer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** Paged routes ({@code items}, {@code nextToken}): one page, or with --all every page, as one result. */
final class Pages {
    private Pages() {
    }

    static ObjectNode fetch(Map<String, String> query, boolean all, Function<Map<String, String>, JsonNode> call) {
        ObjectNode result = Printer.object();
        ArrayNode items = result.putArray("items");
        Map<String, String> q = new LinkedHashMap<>(query);
        while (true) {
            JsonNode page = call.apply(q);
            page.path("items").forEach(items::add);
            String next = page.hasNonNull("nextToken") ? page.get("nextToken").asText() : null;
            if (!all || next == null) {
                result.put("nextToken", next);
                return result;
            }
            q.put("nextToken", next);
        }
    }
}
