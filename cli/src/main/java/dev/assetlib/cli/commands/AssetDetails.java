package dev.assetlib.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.cli.Printer;
import dev.assetlib.cli.Table;
import java.util.Iterator;
import java.util.Map;

/** An asset's detail as the service answers it, plus {@code reference} when it is Active. */
final class AssetDetails {
    private AssetDetails() {
    }

    static ObjectNode withReference(JsonNode detail) {
        ObjectNode copy = detail.deepCopy();
        if ("Active".equals(detail.path("status").asText())) {
            copy.put("reference", "asset://" + detail.path("assetId").asText());
        }
        return copy;
    }

    /** One field a line, the service's names as labels. */
    static void print(Printer printer, JsonNode detail) {
        ObjectNode shown = withReference(detail);
        if (printer.json()) {
            printer.document(shown);
            return;
        }
        if (printer.quiet()) {
            printer.line(shown.path("assetId").asText());
            return;
        }
        Table table = new Table("FIELD", "VALUE");
        for (Iterator<Map.Entry<String, JsonNode>> it = shown.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String value = e.getValue().isNull() ? "-" : e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString();
            table.row(e.getKey(), e.getKey().equals("status") ? printer.style().status(value) : value);
        }
        printer.table(table);
    }
}
