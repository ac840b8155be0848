package dev.assetlib.app.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.json.JsonCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * The state the review state machine carries between its tasks: the execution input, and each
 * task's output. Only still-pending assets are carried, so a round's cost does not grow with what is
 * already decided. {@code error} is set by the state machine's Catch ({@code {"Error","Cause"}}).
 *
 * @param kind     {@code single} (Seedance 2.0, created Processing) or {@code batch} (SD2 Manxue, created submitted)
 * @param deadline epoch second after which pending assets fail with a timeout reason
 */
public record ReviewState(
        String accountId,
        String batchId,
        String kind,
        long deadline,
        int round,
        long waitSeconds,
        boolean done,
        List<PendingAsset> pending,
        JsonNode error) {

    public static final String SINGLE = "single";
    public static final String BATCH = "batch";

    /**
     * One asset still under review; {@code ref} is the reviewer's reference once it accepted it.
     * A direct upload starts with no {@code url} and an {@code uploadDeadline} (epoch second): it
     * awaits its object and is not handed to the reviewer until the object has arrived; if it has
     * not by then, the asset fails with {@code UPLOAD_MISSING}.
     */
    public record PendingAsset(String assetId, String assetType, String url, String ref, Long uploadDeadline) {
        public PendingAsset(String assetId, String assetType, String url, String ref) {
            this(assetId, assetType, url, ref, null);
        }

        /** A direct upload whose object has not arrived yet. */
        public static PendingAsset awaitingUpload(String assetId, String assetType, long uploadDeadline) {
            return new PendingAsset(assetId, assetType, null, null, uploadDeadline);
        }

        public boolean awaitsUpload() {
            return uploadDeadline != null;
        }

        PendingAsset withRef(String newRef) {
            return new PendingAsset(assetId, assetType, url, newRef, uploadDeadline);
        }

        /** The object arrived at {@code location}: ready for the reviewer. */
        PendingAsset uploaded(String location) {
            return new PendingAsset(assetId, assetType, location, null, null);
        }
    }

    /**
     * The JSON form, written field by field (what data binding of this record wrote, nulls left out)
     * so that a task's cold start needs no ObjectMapper.
     */
    public ObjectNode toJson() {
        ObjectNode o = JsonCodec.object();
        putIfNotNull(o, "accountId", accountId);
        putIfNotNull(o, "batchId", batchId);
        putIfNotNull(o, "kind", kind);
        o.put("deadline", deadline).put("round", round).put("waitSeconds", waitSeconds).put("done", done);
        if (pending != null) {
            ArrayNode list = o.putArray("pending");
            for (PendingAsset p : pending) {
                ObjectNode item = list.addObject();
                putIfNotNull(item, "assetId", p.assetId());
                putIfNotNull(item, "assetType", p.assetType());
                putIfNotNull(item, "url", p.url());
                putIfNotNull(item, "ref", p.ref());
                if (p.uploadDeadline() != null) {
                    item.put("uploadDeadline", p.uploadDeadline().longValue());
                }
            }
        }
        if (error != null) {
            o.set("error", error);
        }
        return o;
    }

    /** From the JSON form; unknown fields are ignored, missing ones default. Null when it is not an object. */
    public static ReviewState fromJson(JsonNode o) {
        if (o == null || !o.isObject()) {
            return null;
        }
        List<PendingAsset> pending = null;
        JsonNode list = o.get("pending");
        if (list != null && list.isArray()) {
            pending = new ArrayList<>();
            for (JsonNode p : list) {
                JsonNode uploadDeadline = p.get("uploadDeadline");
                pending.add(new PendingAsset(text(p, "assetId"), text(p, "assetType"), text(p, "url"), text(p, "ref"),
                        uploadDeadline == null || uploadDeadline.isNull() ? null : uploadDeadline.asLong()));
            }
        }
        JsonNode error = o.get("error");
        return new ReviewState(text(o, "accountId"), text(o, "batchId"), text(o, "kind"), o.path("deadline").asLong(0),
                o.path("round").asInt(0), o.path("waitSeconds").asLong(0), o.path("done").asBoolean(false),
                pending == null ? null : List.copyOf(pending), error == null || error.isNull() ? null : error);
    }

    private static void putIfNotNull(ObjectNode o, String name, String value) {
        if (value != null) {
            o.put(name, value);
        }
    }

    private static String text(JsonNode o, String name) {
        JsonNode v = o.get(name);
        return v == null || v.isNull() ? null : v.asText();
    }

    ReviewState withRound(int newRound) {
        return new ReviewState(accountId, batchId, kind, deadline, newRound, waitSeconds, done, pending, error);
    }

    /** The same review with only these assets still pending (the media step's output). */
    ReviewState withPending(List<PendingAsset> stillPending) {
        return new ReviewState(accountId, batchId, kind, deadline, round, waitSeconds, done, List.copyOf(stillPending), error);
    }

    ReviewState next(List<PendingAsset> stillPending, long nextWait) {
        return new ReviewState(accountId, batchId, kind, deadline, round + 1, nextWait,
                stillPending.isEmpty(), List.copyOf(stillPending), null);
    }
}
