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
 * <p>A <em>shared</em> execution (issue 19, {@code ReviewStartMode=shared}) reviews the uploads of
 * several accounts together: its state has no {@code accountId} or {@code kind} of its own, each
 * pending asset carries its own ({@link PendingAsset#accountId()}, {@link PendingAsset#kind()}). A
 * one-upload execution keeps them at the top and the assets inherit them, so its JSON is unchanged.
 *
 * @param accountId the account of every asset, or null in a shared execution
 * @param kind      {@code single} (Seedance 2.0, created Processing) or {@code batch} (SD2 Manxue, created
 *                  submitted); null in a shared execution
 * @param deadline  epoch second after which pending assets fail with a timeout reason
 * @param inspect   a direct upload's object arrived (CheckReview saw it): the state machine runs
 *                  InspectMedia on it before the reviewer gets it; written only when true
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
        JsonNode error,
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_DEFAULT)
        boolean inspect) {

    public static final String SINGLE = "single";

    /** A state that owes no media step (every state but a check's that saw a direct upload's object arrive). */
    public ReviewState(String accountId, String batchId, String kind, long deadline, int round, long waitSeconds,
                       boolean done, List<PendingAsset> pending, JsonNode error) {
        this(accountId, batchId, kind, deadline, round, waitSeconds, done, pending, error, false);
    }
    public static final String BATCH = "batch";

    /**
     * One asset still under review; {@code ref} is the reviewer's reference once it accepted it.
     * A direct upload starts with no {@code url} and an {@code uploadDeadline} (epoch second): it
     * awaits its object and is not handed to the reviewer until the object has arrived; if it has
     * not by then, the asset fails with {@code UPLOAD_MISSING}.
     */
    public record PendingAsset(String assetId, String assetType, String url, String ref, Long uploadDeadline,
                               String accountId, String kind) {
        public PendingAsset(String assetId, String assetType, String url, String ref) {
            this(assetId, assetType, url, ref, null);
        }

        public PendingAsset(String assetId, String assetType, String url, String ref, Long uploadDeadline) {
            this(assetId, assetType, url, ref, uploadDeadline, null, null);
        }

        /** A direct upload whose object has not arrived yet. */
        public static PendingAsset awaitingUpload(String assetId, String assetType, long uploadDeadline) {
            return new PendingAsset(assetId, assetType, null, null, uploadDeadline);
        }

        public boolean awaitsUpload() {
            return uploadDeadline != null;
        }

        /** The same asset carrying its account and kind (what a shared execution needs of it). */
        public PendingAsset of(String newAccountId, String newKind) {
            return new PendingAsset(assetId, assetType, url, ref, uploadDeadline, newAccountId, newKind);
        }

        PendingAsset withRef(String newRef) {
            return new PendingAsset(assetId, assetType, url, newRef, uploadDeadline, accountId, kind);
        }

        /** The object arrived at {@code location}: ready for the reviewer. */
        PendingAsset uploaded(String location) {
            return new PendingAsset(assetId, assetType, location, null, null, accountId, kind);
        }
    }

    /**
     * The assets with their account and kind filled in from the state's own where they carry none:
     * what the review tasks work on, whether the execution reviews one upload or is shared.
     */
    public List<PendingAsset> assets() {
        if (pending == null) {
            return List.of();
        }
        List<PendingAsset> all = new ArrayList<>(pending.size());
        for (PendingAsset p : pending) {
            all.add(p.accountId() != null && p.kind() != null ? p
                    : p.of(p.accountId() != null ? p.accountId() : accountId, p.kind() != null ? p.kind() : kind));
        }
        return all;
    }

    /** True when every pending asset has an account (its own or the state's). */
    public boolean accountsKnown() {
        return pending != null && assets().stream().allMatch(p -> p.accountId() != null);
    }

    /**
     * One shared execution's input for the reviews of several uploads (any accounts): every asset
     * carries its own account and kind; the deadline is the earliest of theirs (an asset is never
     * reviewed past its own), {@code batchId} names the execution.
     */
    public static ReviewState shared(String name, List<ReviewState> uploads) {
        List<PendingAsset> all = new ArrayList<>();
        long deadline = Long.MAX_VALUE;
        for (ReviewState u : uploads) {
            all.addAll(u.assets());
            deadline = Math.min(deadline, u.deadline());
        }
        return new ReviewState(null, name, null, deadline, 0, 0, false, List.copyOf(all), null);
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
                // Written only where the state's own do not say it (a shared execution).
                if (p.accountId() != null && !p.accountId().equals(accountId)) {
                    item.put("accountId", p.accountId());
                }
                if (p.kind() != null && !p.kind().equals(kind)) {
                    item.put("kind", p.kind());
                }
            }
        }
        if (error != null) {
            o.set("error", error);
        }
        if (inspect) {
            o.put("inspect", true);
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
                        uploadDeadline == null || uploadDeadline.isNull() ? null : uploadDeadline.asLong(),
                        text(p, "accountId"), text(p, "kind")));
            }
        }
        JsonNode error = o.get("error");
        return new ReviewState(text(o, "accountId"), text(o, "batchId"), text(o, "kind"), o.path("deadline").asLong(0),
                o.path("round").asInt(0), o.path("waitSeconds").asLong(0), o.path("done").asBoolean(false),
                pending == null ? null : List.copyOf(pending), error == null || error.isNull() ? null : error,
                o.path("inspect").asBoolean(false));
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
        return new ReviewState(accountId, batchId, kind, deadline, newRound, waitSeconds, done, pending, error, inspect);
    }

    /** The same state, owing the media step (an awaited object arrived: InspectMedia runs next). */
    ReviewState inspecting() {
        return new ReviewState(accountId, batchId, kind, deadline, round, waitSeconds, done, pending, error, true);
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
