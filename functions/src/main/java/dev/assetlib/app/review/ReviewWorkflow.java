package dev.assetlib.app.review;

import dev.assetlib.store.StatusChange;
import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.domain.Actors;
import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.domain.AssetType;
import dev.assetlib.domain.FailureCode;
import dev.assetlib.json.JsonCodec;
import dev.assetlib.review.ReviewDecision;
import dev.assetlib.review.ReviewItem;
import dev.assetlib.review.ReviewTicket;
import dev.assetlib.review.Reviewer;
import dev.assetlib.review.ReviewerUnavailableException;
import dev.assetlib.review.SubmitOutcome;
import dev.assetlib.store.AssetStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The three tasks of the review state machine. {@link #submit} hands the batch to the reviewer;
 * {@link #check} asks about every pending asset in one call, writes each decision, and chooses the
 * next wait; {@link #fail} ends a review that errored. Each decided asset gets its completion message
 * as soon as it is terminal, not when the whole batch is. Its parts: {@link ReviewRound} (one task's
 * time, owed completions and per-account faults), {@link AssetEndings} (an asset's final status and
 * completion) and {@link UploadArrivals} (the direct uploads still awaiting their object).
 */
public final class ReviewWorkflow {
    /** Made on first use (failures only): java.util.logging's set-up is ~10 ms of a cold start. */
    private static final class Log {
        static final Logger LOG = Logger.getLogger(ReviewWorkflow.class.getName());
    }
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
    private final AssetEndings endings;
    private final UploadArrivals uploads;
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
        this.endings = new AssetEndings(store);
        this.uploads = new UploadArrivals(store, endings);
    }

    public ReviewState submit(ReviewState state) {
        ReviewRound r = new ReviewRound(state, clock.instant(), store, completions);
        List<ReviewState.PendingAsset> pending = new ArrayList<>();
        for (ReviewState.PendingAsset p : state.assets()) {
            boolean[] gone = {false};
            if (!r.guard(p.accountId(), () -> gone[0] = ReviewState.BATCH.equals(p.kind())
                    && store.transition(StatusChange.of(p.accountId(), p.assetId())
                            .from(EnumSet.of(AssetStatus.submitted)).to(AssetStatus.Processing)
                            .by(Actors.REVIEWER).at(r.now)).isEmpty()
                    && !endings.isStillUndecided(p.accountId(), p.assetId()))) {
                pending.add(p); // its account's store failed: submitted next round
                continue;
            }
            if (!gone[0]) {
                pending.add(p); // else already decided or gone: nothing left to review
            }
        }
        List<ReviewState.PendingAsset> stillPending = handOver(r, pending);
        return ended(r.end(stillPending, left -> state.next(left, nextWait(0, state, left, r.now)).withRound(0)));
    }

    public ReviewState check(ReviewState state) {
        ReviewRound r = new ReviewRound(state, clock.instant(), store, completions);
        if (r.now.getEpochSecond() >= state.deadline()) {
            List<ReviewState.PendingAsset> left = new ArrayList<>();
            for (ReviewState.PendingAsset p : state.assets()) {
                if (!r.guard(p.accountId(), () -> {
                    if (p.awaitsUpload() && endings.failMissingUpload(r, p, state.deadline())) {
                        return;
                    }
                    endings.finish(r, p, AssetStatus.Failed, FailureCode.REVIEW_TIMEOUT,
                            "no review decision before the deadline " + Instant.ofEpochSecond(state.deadline())
                                    + ": upload the asset again to retry", Actors.DEADLINE);
                })) {
                    left.add(p); // its account's store failed: failed again next round
                }
            }
            withdraw(state.assets());
            return ended(r.end(left, rest -> state.next(rest, 1)));
        }
        UploadArrivals.Arrivals arrivals = uploads.arrivals(r, state.assets());
        // An object that arrived just now goes through the media step (InspectMedia, next) before
        // any reviewer sees it: it is neither handed over nor checked in this round.
        List<ReviewState.PendingAsset> pending = handOver(r, arrivals.pending().stream()
                .filter(p -> !arrivals.arrived().contains(p.assetId())).toList());
        List<ReviewTicket> tickets = pending.stream().filter(p -> p.ref() != null)
                .map(p -> new ReviewTicket(p.assetId(), p.ref())).toList();
        Map<String, ReviewDecision> decisions = decisions(pending, tickets);
        List<ReviewState.PendingAsset> stillPending = new ArrayList<>();
        for (ReviewState.PendingAsset p : pending) {
            ReviewDecision decision = decisions.getOrDefault(p.assetId(), ReviewDecision.PENDING);
            // The history's actor: who decided when the reviewer knows it (a human reviewer:
            // reviewer:<key id>@<account>), else the reviewer.
            boolean decided = decision instanceof ReviewDecision.Approved || decision instanceof ReviewDecision.Rejected;
            boolean written = r.guard(p.accountId(), () -> {
                if (decision instanceof ReviewDecision.Approved approved) {
                    endings.finish(r, p, AssetStatus.Active, null, approved.reason(), actor(approved.decidedBy()));
                } else if (decision instanceof ReviewDecision.Rejected rejected) {
                    endings.finish(r, p, AssetStatus.Failed, rejected.code(), rejected.reason(), actor(rejected.decidedBy()));
                }
            });
            if (!decided || !written) {
                stillPending.add(p);
            }
        }
        arrivals.pending().stream().filter(p -> arrivals.arrived().contains(p.assetId())).forEach(stillPending::add);
        if (arrivals.anyArrived()) {
            // The review proper starts now: its schedule starts again with the short first wait,
            // after the media step has inspected and copied the object (the state machine's Choice).
            return ended(r.end(stillPending, left -> state.next(left, nextWait(0, state, left, r.now)).withRound(0).inspecting()));
        }
        return ended(r.end(stillPending, left -> state.next(left, nextWait(state.round() + 1, state, left, r.now))));
    }

    /**
     * The reviewer's decisions for the whole batch in one call. Should that call fail for a reason
     * other than the reviewer being unavailable (a human reviewer's read of one account's queue), each
     * account is asked on its own, so that one account's fault leaves only its own assets pending.
     */
    private Map<String, ReviewDecision> decisions(List<ReviewState.PendingAsset> pending, List<ReviewTicket> tickets) {
        if (tickets.isEmpty()) {
            return Map.of();
        }
        try {
            return reviewer.check(tickets);
        } catch (ReviewerUnavailableException e) {
            Log.LOG.log(Level.WARNING, "reviewer " + reviewer.name() + " unavailable; asking again later", e);
            return Map.of();
        } catch (RuntimeException e) {
            Map<String, List<ReviewTicket>> byAccount = new LinkedHashMap<>();
            Map<String, String> accountOf = new HashMap<>();
            pending.forEach(p -> accountOf.put(p.assetId(), p.accountId()));
            tickets.forEach(t -> byAccount.computeIfAbsent(accountOf.get(t.assetId()), a -> new ArrayList<>()).add(t));
            if (byAccount.size() < 2) {
                throw e;
            }
            Map<String, ReviewDecision> decisions = new HashMap<>();
            byAccount.forEach((account, theirs) -> {
                try {
                    decisions.putAll(reviewer.check(theirs));
                } catch (RuntimeException fault) {
                    Log.LOG.log(Level.WARNING, "reviewer " + reviewer.name() + " could not check the assets of account "
                            + account + "; asking again later", fault);
                }
            });
            return decisions;
        }
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

    /**
     * A round's result; when nothing is left pending, the batch's review is closed for the
     * reconciler (best effort: if this is lost, the reconciler finds every asset decided and closes
     * it). A shared execution's uploads are closed by the reconciler the same way.
     */
    private ReviewState ended(ReviewState next) {
        if (next.done() && next.accountId() != null) {
            try {
                store.openReviews().close(next.accountId(), next.batchId());
            } catch (RuntimeException e) {
                Log.LOG.log(Level.WARNING, "could not close the review of batch " + next.batchId(), e);
            }
        }
        return next;
    }

    /**
     * Fails every pending asset with the error the state machine caught; still sends completions.
     * Each account's assets are failed whatever another's writes do; if any could not be, the task
     * fails after the others are done, and its retry (the state machine's) finishes the rest.
     */
    public ReviewState fail(ReviewState state) {
        ReviewRound r = new ReviewRound(state, clock.instant(), store, completions);
        String message = "the review could not be completed (" + describe(state.error()) + "): upload the asset again";
        List<ReviewState.PendingAsset> left = new ArrayList<>();
        for (ReviewState.PendingAsset p : state.assets()) {
            if (!r.guard(p.accountId(), () -> endings.finish(r, p, AssetStatus.Failed, FailureCode.REVIEW_ERROR, message, Actors.REVIEWER))) {
                left.add(p);
            }
        }
        withdraw(state.assets());
        List<ReviewState.PendingAsset> unsent = r.flush(left);
        if (!unsent.isEmpty()) {
            throw r.firstFault != null ? r.firstFault
                    : new IllegalStateException(unsent.size() + " completion messages could not be sent: retrying");
        }
        return ended(state.next(List.of(), 1));
    }

    /**
     * Submits the assets that have no reviewer reference yet, in one reviewer call for every account;
     * refusals fail at once. A reference is recorded on the asset (a conditional write) before the
     * task returns, and read back first, so a retried task (its output lost, a crash after the
     * reviewer accepted) never hands an asset over twice: only assets with no recorded reference are
     * submitted. The reads and writes are per account: one account's fault holds back only its assets.
     */
    private List<ReviewState.PendingAsset> handOver(ReviewRound r, List<ReviewState.PendingAsset> pending) {
        // A direct upload still awaiting its object has nothing to hand over yet.
        List<ReviewState.PendingAsset> unreferenced = pending.stream().filter(p -> p.ref() == null && !p.awaitsUpload()).toList();
        if (unreferenced.isEmpty()) {
            return pending;
        }
        Map<String, String> refs = new HashMap<>();
        byAccount(unreferenced).forEach((account, ids) -> r.guard(account, () -> refs.putAll(store.reviewRefs(account, ids))));
        List<ReviewState.PendingAsset> unsubmitted = unreferenced.stream()
                .filter(p -> !r.faulted(p.accountId()) && !refs.containsKey(p.assetId())).toList();
        // The reviewer gets the media step's facts and a presigned GET of the stored copy.
        Map<String, Asset> assets = new HashMap<>();
        byAccount(unsubmitted).forEach((account, ids) -> r.guard(account, () -> assets.putAll(store.getAll(account, ids))));
        List<ReviewItem> toSubmit = unsubmitted.stream().filter(p -> !r.faulted(p.accountId())).map(p -> {
            Asset a = assets.get(p.assetId());
            dev.assetlib.domain.AssetMedia media = a == null ? null : a.media();
            String copy = media == null || media.storedKey() == null ? null
                    : mediaLinks.presignedGet(media.storedKey(), COPY_LINK_TTL, MediaLinks.fileName(p.url()));
            return new ReviewItem(p.accountId(), p.assetId(), AssetType.valueOf(p.assetType()), p.url(), media, copy);
        }).toList();
        Map<String, SubmitOutcome> outcomes = Map.of();
        if (!toSubmit.isEmpty()) {
            try {
                outcomes = reviewer.submit(toSubmit);
            } catch (ReviewerUnavailableException e) {
                Log.LOG.log(Level.WARNING, "reviewer " + reviewer.name() + " unavailable at submission; trying again next round", e);
            }
            Map<String, Map<String, String>> accepted = new LinkedHashMap<>();
            Map<String, String> accountOf = new HashMap<>();
            toSubmit.forEach(i -> accountOf.put(i.assetId(), i.accountId()));
            outcomes.forEach((id, outcome) -> {
                if (outcome instanceof SubmitOutcome.Accepted a && accountOf.containsKey(id)) {
                    accepted.computeIfAbsent(accountOf.get(id), k -> new LinkedHashMap<>()).put(id, a.reviewRef());
                }
            });
            accepted.forEach((account, theirs) -> r.guard(account,
                    () -> refs.putAll(store.recordReviewRefs(account, reviewer.name(), theirs, r.now))));
        }
        List<ReviewState.PendingAsset> result = new ArrayList<>();
        for (ReviewState.PendingAsset p : pending) {
            if (p.ref() != null || p.awaitsUpload()) {
                result.add(p);
            } else if (refs.containsKey(p.assetId())) {
                result.add(p.withRef(refs.get(p.assetId())));
            } else if (outcomes.get(p.assetId()) instanceof SubmitOutcome.Refused refused) {
                if (!r.guard(p.accountId(), () -> endings.finish(r, p, AssetStatus.Failed, refused.code(), refused.reason(), Actors.REVIEWER))) {
                    result.add(p); // its refusal could not be written: handed over again next round
                }
            } else {
                result.add(p); // not accepted yet: handed over again next round
            }
        }
        return result;
    }

    /** Tells the reviewer it need not decide these any more, per account; never fails the task. */
    private void withdraw(List<ReviewState.PendingAsset> pending) {
        Map<String, List<ReviewTicket>> byAccount = new LinkedHashMap<>();
        pending.stream().filter(p -> p.ref() != null).forEach(p -> byAccount.computeIfAbsent(p.accountId(),
                a -> new ArrayList<>()).add(new ReviewTicket(p.assetId(), p.ref())));
        byAccount.forEach((accountId, tickets) -> {
            try {
                reviewer.withdraw(accountId, tickets);
            } catch (RuntimeException e) {
                Log.LOG.log(Level.WARNING, "reviewer " + reviewer.name() + " could not withdraw " + tickets.size() + " assets", e);
            }
        });
    }

    static Map<String, List<String>> byAccount(List<ReviewState.PendingAsset> pending) {
        Map<String, List<String>> ids = new LinkedHashMap<>();
        pending.forEach(p -> ids.computeIfAbsent(p.accountId(), a -> new ArrayList<>()).add(p.assetId()));
        return ids;
    }

    private static String actor(String decidedBy) {
        return decidedBy != null && Actors.isValid(decidedBy) ? decidedBy : Actors.REVIEWER;
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
