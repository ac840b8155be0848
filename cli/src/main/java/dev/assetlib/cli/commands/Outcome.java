package dev.assetlib.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.cli.Printer;

/**
 * One asset as an upload, {@code status} or {@code wait} reports it. Besides the service's
 * statuses ({@code submitted}, {@code Processing}, {@code Active}, {@code Failed}) two are the
 * client's: {@code Refused} (the service refused this input, no asset was made) and
 * {@code NotFound} (no such asset in this account).
 */
record Outcome(String source, String assetId, String assetType, String status, String errorCode, String errorMessage) {
    static final String REFUSED = "Refused";
    static final String NOT_FOUND = "NotFound";

    boolean terminal() {
        return "Active".equals(status) || "Failed".equals(status) || REFUSED.equals(status) || NOT_FOUND.equals(status);
    }

    boolean active() {
        return "Active".equals(status);
    }

    String reference() {
        return active() ? "asset://" + assetId : null;
    }

    Outcome withStatus(String newStatus, String code, String message) {
        return new Outcome(source, assetId, assetType, newStatus, code, message);
    }

    /** From a batch status item ({@code assetId}, {@code status}, and for Failed {@code errorCode}, {@code errorMessage}). */
    Outcome updatedFrom(JsonNode item) {
        return new Outcome(source, assetId, assetType != null ? assetType : text(item, "assetType"), text(item, "status"),
                text(item, "errorCode"), text(item, "errorMessage"));
    }

    /** What the result column says: the reference, or why it failed. */
    String result() {
        if (active()) {
            return reference();
        }
        if (errorCode != null || errorMessage != null) {
            return (errorCode == null ? "" : errorCode + ": ") + (errorMessage == null ? "" : errorMessage);
        }
        return "";
    }

    /** Every field always present (null when it does not apply): the stable JSON shape. */
    ObjectNode toJson() {
        ObjectNode o = Printer.object();
        o.put("source", source);
        o.put("assetId", assetId);
        o.put("assetType", assetType);
        o.put("status", status);
        o.put("reference", reference());
        o.put("errorCode", errorCode);
        o.put("errorMessage", errorMessage);
        return o;
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
