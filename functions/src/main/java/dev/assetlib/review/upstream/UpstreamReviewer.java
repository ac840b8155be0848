package dev.assetlib.review.upstream;

import dev.assetlib.logging.LogText;

import dev.assetlib.security.Sha256;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.domain.AssetType;
import dev.assetlib.domain.FailureCode;
import dev.assetlib.json.JsonCodec;
import dev.assetlib.review.ReviewDecision;
import dev.assetlib.review.ReviewItem;
import dev.assetlib.review.ReviewTicket;
import dev.assetlib.review.Reviewer;
import dev.assetlib.review.ReviewerUnavailableException;
import dev.assetlib.review.SubmitOutcome;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A reviewer that forwards each asset to another asset library speaking the public API (the public
 * provider under a team's own account, or another deployment of ours) and adopts its decision.
 * <ul>
 *   <li>One asset (a Seedance 2.0 review, or a Document, which SD2 Manxue does not take): Seedance 2.0
 *       {@code upload}, then one {@code detail} per round.</li>
 *   <li>Two or more: SD2 Manxue {@code assetUpload} (in chunks of {@code batchSize}), then one
 *       {@code assetStatus} per round for the whole batch (up to 100 ids a call).</li>
 * </ul>
 * The review reference is {@code upstream-seedance:{upstream id}} or {@code upstream-sd2:{upstream id}},
 * so the upstream's asset id stays next to ours (the workflow records it on our asset item as
 * {@code reviewRef}, conditionally, before the task returns). Every upload carries an
 * {@code Idempotency-Key} derived from our asset id(s): an upload retried after a lost answer is the same
 * request, which an upstream that honours the header answers with the first result. Seedance uploads
 * also carry our asset id as the upstream asset's {@code name}, so it can be found from either side.
 * <p>
 * Statuses: {@code submitted}/{@code Processing} → pending, {@code Active} → approved, {@code Failed} →
 * rejected with the upstream's {@code errorCode} (when it is one of ours, else {@code REVIEW_REJECTED})
 * and {@code errorMessage}. Any other status is reported as an {@link UpstreamProtocolException} and
 * the asset asked again next round (never read as Processing, never failed for it).
 * <p>
 * One call of this reviewer stays within {@code callBudget} (the task function has a time-out of its
 * own): what it could not reach in time is left for the next round.
 */
public final class UpstreamReviewer implements Reviewer {
    private static final Logger LOG = Logger.getLogger(UpstreamReviewer.class.getName());

    static final String SEEDANCE_REF = "upstream-seedance:";
    static final String SD2_REF = "upstream-sd2:";
    static final String SEEDANCE_UPLOAD = "/kyyReactApiServer/kyyVideo2/asset/upload";
    static final String SEEDANCE_DETAIL = "/kyyReactApiServer/kyyVideo2/asset/";
    static final String SD2_UPLOAD = "/kyyReactApiServer/asset/sd2Manxue/assetUpload";
    static final String SD2_STATUS = "/kyyReactApiServer/asset/sd2Manxue/assetStatus";
    static final int MAX_STATUS_IDS = 100;

    private final UpstreamClient client;
    private final int batchSize;
    private final Duration callBudget;
    private final LongSupplier nanoTime;

    public UpstreamReviewer(UpstreamClient client, int batchSize, Duration callBudget) {
        this(client, batchSize, callBudget, System::nanoTime);
    }

    UpstreamReviewer(UpstreamClient client, int batchSize, Duration callBudget, LongSupplier nanoTime) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("the upstream batch size must be at least 1");
        }
        this.client = client;
        this.batchSize = batchSize;
        this.callBudget = callBudget;
        this.nanoTime = nanoTime;
    }

    @Override
    public String name() {
        return "upstream";
    }

    @Override
    public Map<String, SubmitOutcome> submit(List<ReviewItem> items) {
        List<ReviewItem> batchable = items.stream().filter(i -> i.assetType() != AssetType.Document).toList();
        List<List<ReviewItem>> batches = new ArrayList<>();
        List<ReviewItem> singles = new ArrayList<>(items.stream().filter(i -> i.assetType() == AssetType.Document).toList());
        if (batchable.size() >= 2) {
            for (int from = 0; from < batchable.size(); from += batchSize) {
                List<ReviewItem> chunk = batchable.subList(from, Math.min(batchable.size(), from + batchSize));
                if (chunk.size() == 1) {
                    singles.add(chunk.get(0));
                } else {
                    batches.add(chunk);
                }
            }
        } else {
            singles.addAll(batchable);
        }
        Map<String, SubmitOutcome> outcomes = new LinkedHashMap<>();
        Calls calls = new Calls();
        for (List<ReviewItem> batch : batches) {
            calls.run("SD2 upload of " + batch.size() + " assets", () -> outcomes.putAll(uploadBatch(batch)));
        }
        for (ReviewItem single : singles) {
            calls.run("upload of " + single.assetId(), () -> outcomes.put(single.assetId(), uploadSingle(single)));
        }
        calls.throwIfNothingWorked();
        return outcomes;
    }

    @Override
    public Map<String, ReviewDecision> check(List<ReviewTicket> tickets) {
        Map<String, ReviewTicket> sd2 = new LinkedHashMap<>();
        List<ReviewTicket> seedance = new ArrayList<>();
        for (ReviewTicket t : tickets) {
            if (t.reviewRef() != null && t.reviewRef().startsWith(SD2_REF)) {
                sd2.put(t.reviewRef().substring(SD2_REF.length()), t);
            } else if (t.reviewRef() != null && t.reviewRef().startsWith(SEEDANCE_REF)) {
                seedance.add(t);
            } else {
                throw new IllegalArgumentException("not an upstream reviewer reference: " + t.reviewRef()
                        + " (asset " + t.assetId() + " was handed to another reviewer)");
            }
        }
        Map<String, ReviewDecision> decisions = new LinkedHashMap<>();
        Calls calls = new Calls();
        List<String> upstreamIds = new ArrayList<>(sd2.keySet());
        for (int from = 0; from < upstreamIds.size(); from += MAX_STATUS_IDS) {
            List<String> chunk = upstreamIds.subList(from, Math.min(upstreamIds.size(), from + MAX_STATUS_IDS));
            calls.run("SD2 status of " + chunk.size() + " assets", () -> decisions.putAll(statusBatch(chunk, sd2)));
        }
        for (ReviewTicket t : seedance) {
            calls.run("detail of " + t.assetId(), () -> detail(t).ifPresent(d -> decisions.put(t.assetId(), d)));
        }
        calls.throwIfNothingWorked();
        return decisions;
    }

    private SubmitOutcome uploadSingle(ReviewItem item) {
        ObjectNode body = JsonCodec.object()
                .put("assetType", item.assetType().name()).put("url", item.fetchUrl()).put("name", item.assetId());
        JsonNode data;
        try {
            data = client.post(SEEDANCE_UPLOAD, body, idempotencyKey(List.of(item)));
        } catch (UpstreamRefusedException e) {
            return refused(e);
        }
        String upstreamId = text(data, "assetId");
        if (upstreamId == null) {
            throw new ReviewerUnavailableException("upstream upload answered without data.assetId", null);
        }
        LOG.info(() -> "asset " + item.assetId() + " is upstream asset " + LogText.safe(upstreamId));
        return new SubmitOutcome.Accepted(SEEDANCE_REF + upstreamId);
    }

    private Map<String, SubmitOutcome> uploadBatch(List<ReviewItem> batch) {
        ObjectNode body = JsonCodec.object();
        ArrayNode images = body.putArray("imageUrls");
        ArrayNode videos = body.putArray("videoUrls");
        ArrayNode audios = body.putArray("audioUrls");
        for (ReviewItem i : batch) {
            (switch (i.assetType()) {
                case Image -> images;
                case Video -> videos;
                default -> audios;
            }).add(i.fetchUrl());
        }
        Map<String, SubmitOutcome> outcomes = new LinkedHashMap<>();
        JsonNode data;
        try {
            data = client.post(SD2_UPLOAD, body, idempotencyKey(batch));
        } catch (UpstreamRefusedException e) {
            batch.forEach(i -> outcomes.put(i.assetId(), refused(e)));
            return outcomes;
        }
        JsonNode items = data.get("items");
        JsonNode failed = data.get("failedItems");
        if (items == null || !items.isArray() || (failed != null && !failed.isArray())) {
            throw new ReviewerUnavailableException("upstream SD2 upload answered without an items array", null);
        }
        // The same URL twice is two items: match each answer to the first of ours not yet matched.
        List<ReviewItem> unmatched = new LinkedList<>(batch);
        for (JsonNode item : items) {
            String type = text(item, "assetType");
            String url = text(item, "originalUrl");
            String upstreamId = text(item, "assetId");
            ReviewItem ours = take(unmatched, i -> i.fetchUrl().equals(url) && (type == null || i.assetType().name().equals(type)));
            if (ours == null || upstreamId == null) {
                LOG.warning("upstream SD2 upload answered an item that matches none of ours: " + LogText.safe(item));
                continue;
            }
            outcomes.put(ours.assetId(), new SubmitOutcome.Accepted(SD2_REF + upstreamId));
            LOG.info(() -> "asset " + ours.assetId() + " is upstream asset " + LogText.safe(upstreamId));
        }
        if (failed != null) {
            for (JsonNode item : failed) {
                String url = text(item, "originalUrl");
                ReviewItem ours = take(unmatched, i -> i.fetchUrl().equals(url));
                if (ours != null) {
                    String reason = text(item, "errorMessage");
                    outcomes.put(ours.assetId(), new SubmitOutcome.Refused(FailureCode.UPSTREAM_REFUSED,
                            "the upstream asset library refused the URL: " + (reason == null ? "no reason given" : bounded(reason))));
                }
            }
        }
        if (!unmatched.isEmpty()) {
            LOG.severe("upstream SD2 upload accounted for neither items nor failedItems of "
                    + unmatched.stream().map(ReviewItem::assetId).toList() + "; handing them over again next round");
        }
        return outcomes;
    }

    private Map<String, ReviewDecision> statusBatch(List<String> upstreamIds, Map<String, ReviewTicket> byUpstreamId) {
        ObjectNode body = JsonCodec.object();
        upstreamIds.forEach(body.putArray("assetIds")::add);
        Map<String, ReviewDecision> decisions = new LinkedHashMap<>();
        JsonNode data;
        try {
            data = client.post(SD2_STATUS, body, null);
        } catch (UpstreamRefusedException e) {
            upstreamIds.forEach(id -> decisions.put(byUpstreamId.get(id).assetId(), lookupFailed(id, e.getMessage())));
            return decisions;
        }
        JsonNode items = data.get("items");
        JsonNode failed = data.get("failedItems");
        if (items == null || !items.isArray() || (failed != null && !failed.isArray())) {
            throw new ReviewerUnavailableException("upstream SD2 status answered without an items array", null);
        }
        for (JsonNode item : items) {
            ReviewTicket t = byUpstreamId.get(text(item, "assetId"));
            if (t != null && upstreamIds.contains(text(item, "assetId"))) {
                decide(t, text(item, "assetId"), item).ifPresent(d -> decisions.put(t.assetId(), d));
            }
        }
        if (failed != null) {
            for (JsonNode item : failed) {
                String id = text(item, "assetId");
                ReviewTicket t = byUpstreamId.get(id);
                if (t != null && !decisions.containsKey(t.assetId())) {
                    decisions.put(t.assetId(), lookupFailed(id, text(item, "errorMessage")));
                }
            }
        }
        return decisions;
    }

    private Optional<ReviewDecision> detail(ReviewTicket t) {
        String upstreamId = t.reviewRef().substring(SEEDANCE_REF.length());
        JsonNode data;
        try {
            data = client.get(SEEDANCE_DETAIL + URLEncoder.encode(upstreamId, StandardCharsets.UTF_8));
        } catch (UpstreamRefusedException e) {
            return Optional.of(lookupFailed(upstreamId, e.getMessage()));
        }
        return decide(t, upstreamId, data);
    }

    /** The decision an upstream status means; empty (asked again next round) for a status not understood. */
    private Optional<ReviewDecision> decide(ReviewTicket t, String upstreamId, JsonNode item) {
        String status = text(item, "status");
        if ("submitted".equals(status) || "Processing".equals(status)) {
            return Optional.of(ReviewDecision.PENDING);
        }
        if ("Active".equals(status)) {
            return Optional.of(ReviewDecision.APPROVED);
        }
        if ("Failed".equals(status)) {
            String code = text(item, "errorCode");
            String message = text(item, "errorMessage");
            return Optional.of(new ReviewDecision.Rejected(
                    FailureCode.isKnown(code) ? code : FailureCode.REVIEW_REJECTED,
                    message == null ? "rejected by the upstream asset library (it gave no reason)" : bounded(message)));
        }
        UpstreamProtocolException reported = new UpstreamProtocolException("upstream asset " + upstreamId + " (our "
                + t.assetId() + ") has status " + (status == null ? "(none)" : "\"" + status + "\"")
                + ", which is none of submitted, Processing, Active, Failed; asking again next round");
        LOG.log(Level.SEVERE, LogText.safe(reported.getMessage()), reported);
        return Optional.empty();
    }

    private static ReviewDecision lookupFailed(String upstreamId, String reason) {
        return new ReviewDecision.Rejected(FailureCode.REVIEW_ERROR, "the upstream asset library no longer finds asset "
                + bounded(upstreamId) + ": " + (reason == null ? "no reason given" : bounded(reason)) + "; upload the asset again");
    }

    /** At most this much of a text from the upstream library is kept (an asset item holds 400 KB at most). */
    static final int MAX_UPSTREAM_TEXT = 1000;

    static String bounded(String text) {
        if (text.length() <= MAX_UPSTREAM_TEXT) {
            return text;
        }
        int cut = Character.isHighSurrogate(text.charAt(MAX_UPSTREAM_TEXT - 1)) ? MAX_UPSTREAM_TEXT - 1 : MAX_UPSTREAM_TEXT;
        return text.substring(0, cut) + "... (" + text.length() + " characters from the upstream library)";
    }

    private static SubmitOutcome refused(UpstreamRefusedException e) {
        return new SubmitOutcome.Refused(FailureCode.UPSTREAM_REFUSED,
                "the upstream asset library refused the asset (HTTP " + e.httpStatus() + "): " + e.getMessage());
    }

    /**
     * The Idempotency-Key of an upload: derived from our account and asset ids and the URLs sent, so a
     * retried upload of the same body is the same key. The URL is a presigned GET of the stored copy,
     * signed anew at each submission: a key of the ids alone came back to the upstream with another
     * body, which an idempotent API refuses (409, found by the reviewer fault suite). A retry after a
     * lost answer may therefore make a second upstream asset; only the answered one is followed.
     */
    static String idempotencyKey(List<ReviewItem> items) {
        StringBuilder text = new StringBuilder("assetlib-upload-v2");
        items.forEach(i -> text.append('\n').append(i.accountId()).append('/').append(i.assetId()).append(' ').append(i.fetchUrl()));
        return "assetlib-" + Base64.getUrlEncoder().withoutPadding().encodeToString(Sha256.digest(text.toString()));
    }

    private static ReviewItem take(List<ReviewItem> from, java.util.function.Predicate<ReviewItem> match) {
        for (var it = from.iterator(); it.hasNext(); ) {
            ReviewItem i = it.next();
            if (match.test(i)) {
                it.remove();
                return i;
            }
        }
        return null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
    }

    /**
     * The calls of one reviewer call: each runs while the budget lasts; a transient failure of one
     * does not lose what the others answered. Only when none worked is the failure thrown.
     */
    private final class Calls {
        private final long start = nanoTime.getAsLong();
        private int worked;
        private ReviewerUnavailableException firstFailure;
        private int skipped;

        void run(String what, Runnable call) {
            long elapsed = nanoTime.getAsLong() - start;
            if (worked + (firstFailure == null ? 0 : 1) > 0
                    && elapsed + client.requestTimeout().toNanos() > callBudget.toNanos()) {
                skipped++;
                return;
            }
            try {
                call.run();
                worked++;
            } catch (ReviewerUnavailableException e) {
                LOG.log(Level.WARNING, "upstream unavailable for " + what + "; asking again later: " + LogText.safe(e.getMessage()));
                if (firstFailure == null) {
                    firstFailure = e;
                }
            }
        }

        void throwIfNothingWorked() {
            if (skipped > 0) {
                LOG.warning(skipped + " upstream calls left for the next round (time budget of " + callBudget.toSeconds() + " s)");
            }
            if (worked == 0 && firstFailure != null) {
                throw firstFailure;
            }
        }
    }
}
