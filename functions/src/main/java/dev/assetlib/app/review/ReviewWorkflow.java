package dev.assetlib.app.review;

import dev.assetlib.store.StatusChange;
import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.domain.Actors;
import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.domain.AssetType;
import dev.assetlib.domain.FailureCode;
import dev.assetlib.domain.UploadLimits;
import dev.assetlib.json.JsonCodec;
import dev.assetlib.review.ReviewDecision;
import dev.assetlib.review.ReviewItem;
import dev.assetlib.review.ReviewTicket;
import dev.assetlib.review.Reviewer;
import dev.assetlib.review.ReviewerUnavailableException;
import dev.assetlib.review.SubmitOutcome;
import dev.assetlib.store.AssetStore;
import dev.assetlib.store.AssetUpload;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The three tasks of the review state machine. {@link #submit} hands the batch to the reviewer;
 * {@link #check} asks about every pending asset in one call, writes each decision, and chooses the
 * next wait; {@link #fail} ends a review that errored. Each decided asset gets its completion message
 * as soon as it is terminal, not when the whole batch is.
 */
public final class ReviewWorkflow {
    /** Made on first use (failures only): java.util.logging's set-up is ~10 ms of a cold start. */
    private static final class Log {
        static final Logger LOG = Logger.getLogger(ReviewWorkflow.class.getName());
    }
    private static final Set<AssetStatus> UNDECIDED = EnumSet.of(AssetStatus.submitted, AssetStatus.Processing);
    /** Longest wait between looks while a direct upload's object is awaited (one small read per look). */
    static final long AWAITING_UPLOAD_MAX_WAIT_SECONDS = 30;
    /**
     * Checks at most while an object is awaited. The review that follows its arrival starts its
     * own schedule (and its own {@link PollSchedule#MAX_ROUNDS}), so the two budgets together
     * must fit the 25,000-event execution history (ReviewHistoryBudgetTest).
     */
    static final int AWAITING_UPLOAD_MAX_ROUNDS = 400;

    private final AssetStore store;
    private final Reviewer reviewer;
    private final CompletionPublisher completions;
    private final PollSchedule schedule;
    private final Clock clock;
    private final MediaLinks mediaLinks;
    /** How long the reviewer's link to the stored copy is valid (it reads the bytes when handed them). */
    static final java.time.Duration COPY_LINK_TTL = java.time.Duration.ofMinutes(15);

    public ReviewWorkflow(AssetStore store, Reviewer reviewer, CompletionPublisher completions,
                          PollSchedule schedule, Clock clock) {
        this(store, reviewer, completions, schedule, clock, MediaLinks.NONE);
    }

    /** @param mediaLinks presigned GETs of the stored copies, handed to the reviewer instead of the client's URL */
    public ReviewWorkflow(AssetStore store, Reviewer reviewer, CompletionPublisher completions,
                          PollSchedule schedule, Clock clock, MediaLinks mediaLinks) {
        this.mediaLinks = mediaLinks;
        this.store = store;
        this.reviewer = reviewer;
        this.completions = completions;
        this.schedule = schedule;
        this.clock = clock;
    }

    public ReviewState submit(ReviewState state) {
        Instant now = clock.instant();
        List<ReviewState.PendingAsset> pending = new ArrayList<>();
        for (ReviewState.PendingAsset p : state.pending()) {
            if (ReviewState.BATCH.equals(state.kind())
                    && store.transition(StatusChange.of(state.accountId(), p.assetId())
                            .from(EnumSet.of(AssetStatus.submitted)).to(AssetStatus.Processing)
                            .by(Actors.REVIEWER).at(now)).isEmpty()
                    && !isStillUndecided(state.accountId(), p.assetId())) {
                continue; // already decided or gone: nothing left to review
            }
            pending.add(p);
        }
        List<ReviewState.PendingAsset> stillPending = handOver(state.accountId(), pending, now);
        return state.next(stillPending, nextWait(0, state, stillPending, now)).withRound(0);
    }

    public ReviewState check(ReviewState state) {
        Instant now = clock.instant();
        if (now.getEpochSecond() >= state.deadline()) {
            for (ReviewState.PendingAsset p : state.pending()) {
                if (p.awaitsUpload() && failMissingUpload(state.accountId(), p, state.deadline(), now)) {
                    continue;
                }
                finish(state.accountId(), p.assetId(), AssetStatus.Failed, FailureCode.REVIEW_TIMEOUT,
                        "no review decision before the deadline " + Instant.ofEpochSecond(state.deadline())
                                + ": upload the asset again to retry", Actors.DEADLINE, now);
            }
            withdraw(state.accountId(), state.pending());
            return state.next(List.of(), 1);
        }
        Arrivals arrivals = arrivals(state.accountId(), state.pending(), now);
        List<ReviewState.PendingAsset> pending = handOver(state.accountId(), arrivals.pending(), now);
        List<ReviewTicket> tickets = pending.stream().filter(p -> p.ref() != null)
                .map(p -> new ReviewTicket(p.assetId(), p.ref())).toList();
        Map<String, ReviewDecision> decisions = Map.of();
        if (!tickets.isEmpty()) {
            try {
                decisions = reviewer.check(tickets);
            } catch (ReviewerUnavailableException e) {
                Log.LOG.log(Level.WARNING, "reviewer " + reviewer.name() + " unavailable; asking again later", e);
            }
        }
        List<ReviewState.PendingAsset> stillPending = new ArrayList<>();
        for (ReviewState.PendingAsset p : pending) {
            ReviewDecision decision = decisions.getOrDefault(p.assetId(), ReviewDecision.PENDING);
            // The history's actor: who decided when the reviewer knows it (a human reviewer:
            // reviewer:<key prefix>@<account>), else the reviewer.
            if (decision instanceof ReviewDecision.Approved approved) {
                finish(state.accountId(), p.assetId(), AssetStatus.Active, null, null,
                        actor(approved.decidedBy()), now);
            } else if (decision instanceof ReviewDecision.Rejected rejected) {
                finish(state.accountId(), p.assetId(), AssetStatus.Failed, rejected.code(), rejected.reason(),
                        actor(rejected.decidedBy()), now);
            } else {
                stillPending.add(p);
            }
        }
        if (arrivals.anyArrived()) {
            // The review proper starts now: its schedule starts again with the short first wait.
            return state.next(stillPending, nextWait(0, state, stillPending, now)).withRound(0);
        }
        return state.next(stillPending, nextWait(state.round() + 1, state, stillPending, now));
    }

    /** What a round found of the pending items awaiting their direct upload. */
    private record Arrivals(List<ReviewState.PendingAsset> pending, boolean anyArrived) {
    }

    /**
     * Looks up, in one read, the pending items that await their object: one whose object arrived
     * becomes ready for the reviewer (or fails when the object breaks the size limit); one whose
     * upload deadline passed fails with UPLOAD_MISSING; one decided or removed elsewhere leaves the
     * review. Items not awaiting anything cost nothing here.
     */
    private Arrivals arrivals(String accountId, List<ReviewState.PendingAsset> pending, Instant now) {
        List<String> awaiting = pending.stream().filter(ReviewState.PendingAsset::awaitsUpload)
                .map(ReviewState.PendingAsset::assetId).toList();
        if (awaiting.isEmpty()) {
            return new Arrivals(pending, false);
        }
        Map<String, AssetUpload> uploads = store.getUploads(accountId, awaiting);
        List<ReviewState.PendingAsset> result = new ArrayList<>();
        boolean anyArrived = false;
        for (ReviewState.PendingAsset p : pending) {
            if (!p.awaitsUpload()) {
                result.add(p);
                continue;
            }
            AssetUpload upload = uploads.get(p.assetId());
            if (upload == null) {
                continue; // removed: nothing left to review
            }
            // A deleted asset is terminal (Failed/DELETED) and ends here: its object, if any came, starts nothing.
            if (upload.asset().status().isTerminal()) {
                complete(accountId, p.assetId(), Optional.empty()); // decided by an earlier attempt: its completion may be owed
                continue;
            }
            if (upload.received()) {
                AssetType type = AssetType.valueOf(p.assetType());
                long max = UploadLimits.maxBytes(type);
                if (upload.sizeBytes() > max) {
                    finish(accountId, p.assetId(), AssetStatus.Failed, FailureCode.UPLOAD_TOO_LARGE, "the uploaded object is "
                            + upload.sizeBytes() + " bytes: at most " + max + " bytes are accepted for " + type
                            + "; request a new upload URL and PUT a smaller file", Actors.UPLOAD, now);
                } else if (upload.sizeBytes() == 0) {
                    finish(accountId, p.assetId(), AssetStatus.Failed, FailureCode.UPLOAD_EMPTY,
                            "the uploaded object is empty (0 bytes): request a new upload URL and PUT the file itself",
                            Actors.UPLOAD, now);
                } else {
                    result.add(p.uploaded(upload.location()));
                    anyArrived = true;
                }
                continue;
            }
            if (now.getEpochSecond() >= p.uploadDeadline() && failMissingUpload(accountId, p, p.uploadDeadline(), now)) {
                continue;
            }
            result.add(p); // still awaiting (or its object arrived just now: seen next round)
        }
        return new Arrivals(result, anyArrived);
    }

    /**
     * Fails a direct upload whose object never arrived, only while it still awaits it; false when
     * the object was recorded meanwhile (or the asset was decided), so the caller looks again.
     */
    private boolean failMissingUpload(String accountId, ReviewState.PendingAsset p, long deadline, Instant now) {
        Optional<Asset> moved = store.transition(StatusChange.of(accountId, p.assetId())
                .from(UNDECIDED).to(AssetStatus.Failed)
                .failing(FailureCode.UPLOAD_MISSING, "the upload never arrived: no object was PUT to the upload URL before "
                        + Instant.ofEpochSecond(deadline) + "; request a new upload URL and PUT the file before it expires")
                .whileAwaitingUpload().by(Actors.DEADLINE).at(now));
        if (moved.isEmpty()) {
            return false;
        }
        complete(accountId, p.assetId(), moved);
        return true;
    }

    /**
     * The next wait: the schedule's, never past the review deadline or an awaited upload's deadline,
     * and while an object is awaited at most {@link #AWAITING_UPLOAD_MAX_WAIT_SECONDS}, so that a
     * review starts soon after its object arrives.
     */
    private long nextWait(int round, ReviewState state, List<ReviewState.PendingAsset> pending, Instant now) {
        long until = state.deadline();
        boolean awaiting = false;
        for (ReviewState.PendingAsset p : pending) {
            if (p.awaitsUpload()) {
                awaiting = true;
                until = Math.min(until, p.uploadDeadline());
            }
        }
        long secondsLeft = Math.max(1, until - now.getEpochSecond());
        if (!awaiting) {
            return schedule.waitSeconds(round, secondsLeft);
        }
        // Looks every 30 s at most, unless a long upload wait needs longer ones to keep its round budget.
        long cap = Math.max(AWAITING_UPLOAD_MAX_WAIT_SECONDS,
                PollSchedule.budgetShare(round, secondsLeft, AWAITING_UPLOAD_MAX_ROUNDS));
        return Math.min(schedule.waitSeconds(round, secondsLeft, AWAITING_UPLOAD_MAX_ROUNDS), cap);
    }

    /** Fails every pending asset with the error the state machine caught; still sends completions. */
    public ReviewState fail(ReviewState state) {
        Instant now = clock.instant();
        String message = "the review could not be completed (" + describe(state.error()) + "): upload the asset again";
        for (ReviewState.PendingAsset p : state.pending()) {
            finish(state.accountId(), p.assetId(), AssetStatus.Failed, FailureCode.REVIEW_ERROR, message,
                    Actors.REVIEWER, now);
        }
        withdraw(state.accountId(), state.pending());
        return state.next(List.of(), 1);
    }

    /**
     * Submits the assets that have no reviewer reference yet; refusals fail at once. A reference is
     * recorded on the asset (a conditional write) before the task returns, and read back first, so a
     * retried task (its output lost, a crash after the reviewer accepted) never hands an asset over
     * twice: only assets with no recorded reference are submitted.
     */
    private List<ReviewState.PendingAsset> handOver(String accountId, List<ReviewState.PendingAsset> pending, Instant now) {
        // A direct upload still awaiting its object has nothing to hand over yet.
        List<String> unreferenced = pending.stream().filter(p -> p.ref() == null && !p.awaitsUpload())
                .map(ReviewState.PendingAsset::assetId).toList();
        if (unreferenced.isEmpty()) {
            return pending;
        }
        Map<String, String> refs = new HashMap<>(store.reviewRefs(accountId, unreferenced));
        List<ReviewState.PendingAsset> unsubmitted = pending.stream()
                .filter(p -> p.ref() == null && !p.awaitsUpload() && !refs.containsKey(p.assetId())).toList();
        // The reviewer gets the media step's facts and a presigned GET of the stored copy.
        Map<String, Asset> assets = unsubmitted.isEmpty() ? Map.of()
                : store.getAll(accountId, unsubmitted.stream().map(ReviewState.PendingAsset::assetId).toList());
        List<ReviewItem> toSubmit = unsubmitted.stream().map(p -> {
            Asset a = assets.get(p.assetId());
            dev.assetlib.domain.AssetMedia media = a == null ? null : a.media();
            String copy = media == null || media.storedKey() == null ? null
                    : mediaLinks.presignedGet(media.storedKey(), COPY_LINK_TTL, MediaLinks.fileName(p.url()));
            return new ReviewItem(accountId, p.assetId(), AssetType.valueOf(p.assetType()), p.url(), media, copy);
        }).toList();
        Map<String, SubmitOutcome> outcomes = Map.of();
        if (!toSubmit.isEmpty()) {
            try {
                outcomes = reviewer.submit(toSubmit);
            } catch (ReviewerUnavailableException e) {
                Log.LOG.log(Level.WARNING, "reviewer " + reviewer.name() + " unavailable at submission; trying again next round", e);
            }
            Map<String, String> accepted = new LinkedHashMap<>();
            outcomes.forEach((id, outcome) -> {
                if (outcome instanceof SubmitOutcome.Accepted a) {
                    accepted.put(id, a.reviewRef());
                }
            });
            refs.putAll(store.recordReviewRefs(accountId, reviewer.name(), accepted, now));
        }
        List<ReviewState.PendingAsset> result = new ArrayList<>();
        for (ReviewState.PendingAsset p : pending) {
            if (p.ref() != null || p.awaitsUpload()) {
                result.add(p);
            } else if (refs.containsKey(p.assetId())) {
                result.add(p.withRef(refs.get(p.assetId())));
            } else if (outcomes.get(p.assetId()) instanceof SubmitOutcome.Refused refused) {
                finish(accountId, p.assetId(), AssetStatus.Failed, refused.code(), refused.reason(), Actors.REVIEWER, now);
            } else {
                result.add(p); // not accepted yet: handed over again next round
            }
        }
        return result;
    }

    /** Tells the reviewer it need not decide these any more; never fails the task. */
    private void withdraw(String accountId, List<ReviewState.PendingAsset> pending) {
        List<ReviewTicket> tickets = pending.stream().filter(p -> p.ref() != null)
                .map(p -> new ReviewTicket(p.assetId(), p.ref())).toList();
        if (tickets.isEmpty()) {
            return;
        }
        try {
            reviewer.withdraw(accountId, tickets);
        } catch (RuntimeException e) {
            Log.LOG.log(Level.WARNING, "reviewer " + reviewer.name() + " could not withdraw " + tickets.size() + " assets", e);
        }
    }

    /**
     * Moves the asset to its final status and sends its one completion message. When another
     * attempt already moved it (a retried task), the message is sent only if that attempt did not
     * record it as sent. A deleted asset is never moved (the store's writes require no
     * {@code deletedAt}); if the delete's own Failed/DELETED completion is still owed (the delete
     * was interrupted), it is sent here. No Active completion is ever sent for a deleted asset.
     */
    private static String actor(String decidedBy) {
        return decidedBy != null && Actors.isValid(decidedBy) ? decidedBy : Actors.REVIEWER;
    }

    private void finish(String accountId, String assetId, AssetStatus to, String code, String message, String actor,
                        Instant now) {
        Optional<Asset> moved = store.transition(StatusChange.of(accountId, assetId)
                .from(UNDECIDED).to(to).failing(code, message).by(actor).at(now));
        // Approved bytes are remembered by their SHA-256, so the same bytes are not reviewed again (MediaStep).
        moved.filter(a -> a.status() == AssetStatus.Active && a.media() != null && a.media().sha256() != null)
                .ifPresent(a -> store.markApproved(accountId, a.media().sha256(), assetId, now));
        complete(accountId, assetId, moved);
    }

    /**
     * Sends the completion of an asset that {@code moved} (or, if empty, an earlier attempt or a
     * delete) made terminal, unless already sent; never an Active one for a deleted asset.
     */
    private void complete(String accountId, String assetId, Optional<Asset> moved) {
        Asset asset = moved.or(() -> store.get(accountId, assetId)).orElse(null);
        if (asset == null || !asset.status().isTerminal() || asset.completionSent()) {
            return;
        }
        if (asset.isDeleted() && asset.status() == AssetStatus.Active) {
            return;
        }
        completions.publish(asset);
        store.markCompletionSent(accountId, assetId);
    }

    private boolean isStillUndecided(String accountId, String assetId) {
        return store.get(accountId, assetId).map(a -> UNDECIDED.contains(a.status())).orElse(false);
    }

    private static String describe(JsonNode error) {
        if (error == null || error.isNull()) {
            return "unknown error";
        }
        String name = error.path("Error").asText("unknown error");
        String cause = error.path("Cause").asText("");
        try {
            JsonNode parsed = JsonCodec.parse(cause);
            if (parsed != null && parsed.hasNonNull("errorMessage")) {
                cause = parsed.get("errorMessage").asText();
            }
        } catch (Exception notJson) {
            // the Cause is plain text for States.* errors
        }
        String text = cause.isBlank() ? name : name + ": " + cause;
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
