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
import java.util.HashSet;
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
        Round r = new Round(state);
        List<ReviewState.PendingAsset> pending = new ArrayList<>();
        for (ReviewState.PendingAsset p : state.assets()) {
            boolean[] gone = {false};
            if (!r.guard(p.accountId(), () -> gone[0] = ReviewState.BATCH.equals(p.kind())
                    && store.transition(StatusChange.of(p.accountId(), p.assetId())
                            .from(EnumSet.of(AssetStatus.submitted)).to(AssetStatus.Processing)
                            .by(Actors.REVIEWER).at(r.now)).isEmpty()
                    && !isStillUndecided(p.accountId(), p.assetId()))) {
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
        Round r = new Round(state);
        if (r.now.getEpochSecond() >= state.deadline()) {
            List<ReviewState.PendingAsset> left = new ArrayList<>();
            for (ReviewState.PendingAsset p : state.assets()) {
                if (!r.guard(p.accountId(), () -> {
                    if (p.awaitsUpload() && failMissingUpload(r, p, state.deadline())) {
                        return;
                    }
                    finish(r, p, AssetStatus.Failed, FailureCode.REVIEW_TIMEOUT,
                            "no review decision before the deadline " + Instant.ofEpochSecond(state.deadline())
                                    + ": upload the asset again to retry", Actors.DEADLINE);
                })) {
                    left.add(p); // its account's store failed: failed again next round
                }
            }
            withdraw(state.assets());
            return ended(r.end(left, rest -> state.next(rest, 1)));
        }
        Arrivals arrivals = arrivals(r, state.assets());
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
                    finish(r, p, AssetStatus.Active, null, approved.reason(), actor(approved.decidedBy()));
                } else if (decision instanceof ReviewDecision.Rejected rejected) {
                    finish(r, p, AssetStatus.Failed, rejected.code(), rejected.reason(), actor(rejected.decidedBy()));
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

    /** What a round found of the pending items awaiting their direct upload; {@code arrived}: whose object came. */
    private record Arrivals(List<ReviewState.PendingAsset> pending, Set<String> arrived) {
        boolean anyArrived() {
            return !arrived.isEmpty();
        }
    }

    /**
     * Looks up, in one read per account, the pending items that await their object: one whose object
     * arrived becomes ready for the reviewer (or fails when the object breaks the size limit); one
     * whose upload deadline passed fails with UPLOAD_MISSING; one decided or removed elsewhere leaves
     * the review. Items not awaiting anything cost nothing here.
     */
    private Arrivals arrivals(Round r, List<ReviewState.PendingAsset> pending) {
        Map<String, List<String>> awaiting = byAccount(pending.stream().filter(ReviewState.PendingAsset::awaitsUpload).toList());
        if (awaiting.isEmpty()) {
            return new Arrivals(pending, Set.of());
        }
        Map<String, AssetUpload> uploads = new HashMap<>();
        awaiting.forEach((account, ids) -> r.guard(account, () -> uploads.putAll(store.getUploads(account, ids))));
        List<ReviewState.PendingAsset> result = new ArrayList<>();
        Set<String> arrivedIds = new HashSet<>();
        for (ReviewState.PendingAsset p : pending) {
            if (!p.awaitsUpload() || r.faulted(p.accountId())) {
                result.add(p); // not awaiting, or its account could not be read: looked at next round
                continue;
            }
            AssetUpload upload = uploads.get(p.assetId());
            if (upload == null) {
                continue; // removed: nothing left to review
            }
            boolean[] keep = {false};
            boolean arrived = upload.received() && !upload.asset().status().isTerminal()
                    && upload.sizeBytes() > 0 && upload.sizeBytes() <= UploadLimits.maxBytes(AssetType.valueOf(p.assetType()));
            if (!r.guard(p.accountId(), () -> keep[0] = awaited(r, p, upload))) {
                keep[0] = true;
            }
            if (arrived) {
                result.add(p.uploaded(upload.location()));
                arrivedIds.add(p.assetId());
            } else if (keep[0]) {
                result.add(p); // still awaiting (or its object arrived just now: seen next round)
            }
        }
        return new Arrivals(result, arrivedIds);
    }

    /** What an awaited item's upload record says: true to keep awaiting it; writes its end otherwise. */
    private boolean awaited(Round r, ReviewState.PendingAsset p, AssetUpload upload) {
        // A deleted asset is terminal (Failed/DELETED) and ends here: its object, if any came, starts nothing.
        if (upload.asset().status().isTerminal()) {
            complete(r, p, Optional.empty()); // decided by an earlier attempt: its completion may be owed
            return false;
        }
        if (upload.received()) {
            AssetType type = AssetType.valueOf(p.assetType());
            long max = UploadLimits.maxBytes(type);
            if (upload.sizeBytes() > max) {
                finish(r, p, AssetStatus.Failed, FailureCode.UPLOAD_TOO_LARGE, "the uploaded object is "
                        + upload.sizeBytes() + " bytes: at most " + max + " bytes are accepted for " + type
                        + "; request a new upload URL and PUT a smaller file", Actors.UPLOAD);
            } else if (upload.sizeBytes() == 0) {
                finish(r, p, AssetStatus.Failed, FailureCode.UPLOAD_EMPTY,
                        "the uploaded object is empty (0 bytes): request a new upload URL and PUT the file itself",
                        Actors.UPLOAD);
            }
            return false; // failed just now, or arrived (the caller hands it over)
        }
        return r.now.getEpochSecond() < p.uploadDeadline() || !failMissingUpload(r, p, p.uploadDeadline());
    }

    /**
     * Fails a direct upload whose object never arrived, only while it still awaits it; false when
     * the object was recorded meanwhile (or the asset was decided), so the caller looks again.
     */
    private boolean failMissingUpload(Round r, ReviewState.PendingAsset p, long deadline) {
        Optional<Asset> moved = store.transition(StatusChange.of(p.accountId(), p.assetId())
                .from(UNDECIDED).to(AssetStatus.Failed)
                .failing(FailureCode.UPLOAD_MISSING, "the upload never arrived: no object was PUT to the upload URL before "
                        + Instant.ofEpochSecond(deadline) + "; request a new upload URL and PUT the file before it expires")
                .whileAwaitingUpload().by(Actors.DEADLINE).at(r.now));
        if (moved.isEmpty()) {
            return false;
        }
        complete(r, p, moved);
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
        Round r = new Round(state);
        String message = "the review could not be completed (" + describe(state.error()) + "): upload the asset again";
        List<ReviewState.PendingAsset> left = new ArrayList<>();
        for (ReviewState.PendingAsset p : state.assets()) {
            if (!r.guard(p.accountId(), () -> finish(r, p, AssetStatus.Failed, FailureCode.REVIEW_ERROR, message, Actors.REVIEWER))) {
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
    private List<ReviewState.PendingAsset> handOver(Round r, List<ReviewState.PendingAsset> pending) {
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
                if (!r.guard(p.accountId(), () -> finish(r, p, AssetStatus.Failed, refused.code(), refused.reason(), Actors.REVIEWER))) {
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

    private static Map<String, List<String>> byAccount(List<ReviewState.PendingAsset> pending) {
        Map<String, List<String>> ids = new LinkedHashMap<>();
        pending.forEach(p -> ids.computeIfAbsent(p.accountId(), a -> new ArrayList<>()).add(p.assetId()));
        return ids;
    }

    private static String actor(String decidedBy) {
        return decidedBy != null && Actors.isValid(decidedBy) ? decidedBy : Actors.REVIEWER;
    }

    /**
     * Moves the asset to its final status; its one completion message goes out at the end of the
     * task ({@link Round#flush}). When another attempt already moved it (a retried task), the message
     * is sent only if that attempt did not record it as sent. A deleted asset is never moved (the
     * store's writes require no {@code deletedAt}); if the delete's own Failed/DELETED completion is
     * still owed (the delete was interrupted), it is sent here. No Active completion is ever sent for
     * a deleted asset.
     */
    private void finish(Round r, ReviewState.PendingAsset p, AssetStatus to, String code, String message, String actor) {
        Optional<Asset> moved = store.transition(StatusChange.of(p.accountId(), p.assetId())
                .from(UNDECIDED).to(to).failing(code, message).by(actor).at(r.now));
        // Approved bytes are remembered by their SHA-256, so the same bytes are not reviewed again (MediaStep).
        moved.filter(a -> a.status() == AssetStatus.Active && a.media() != null && a.media().sha256() != null)
                .ifPresent(a -> store.markApproved(p.accountId(), a.media().sha256(), p.assetId(), r.now));
        complete(r, p, moved);
    }

    /**
     * Owes the completion of an asset that {@code moved} (or, if empty, an earlier attempt or a
     * delete) made terminal, unless already sent; never an Active one for a deleted asset: an Active
     * completion is claimed first ({@link AssetStore#claimActiveCompletion}), one conditional write
     * that either a delete or this publication wins.
     */
    private void complete(Round r, ReviewState.PendingAsset p, Optional<Asset> moved) {
        Asset asset = moved.or(() -> store.get(p.accountId(), p.assetId())).orElse(null);
        if (asset == null || !asset.status().isTerminal() || asset.completionSent()) {
            return;
        }
        if (asset.status() == AssetStatus.Active && !store.claimActiveCompletion(p.accountId(), p.assetId())) {
            // A delete came first: it made the asset Failed/DELETED, and that is its one completion
            // (owed here if the delete was interrupted before sending it). Never Active after a delete.
            Asset now = store.get(p.accountId(), p.assetId()).orElse(null);
            if (now != null && now.status() == AssetStatus.Failed && !now.completionSent()) {
                r.owe(p, now);
            }
            return;
        }
        r.owe(p, asset);
    }

    private boolean isStillUndecided(String accountId, String assetId) {
        return store.get(accountId, assetId).map(a -> UNDECIDED.contains(a.status())).orElse(false);
    }

    /**
     * One task's work: its time, the completions it owes (sent together at its end, in batches of
     * ten), and the accounts whose store calls failed. One account's fault keeps only that account's
     * assets pending for the next round; when every account of the review faulted, the task fails as
     * a whole and the state machine retries it (what a one-upload review has always done).
     */
    private final class Round {
        final Instant now = clock.instant();
        private final Set<String> accounts = new HashSet<>();
        private final Set<String> faulted = new HashSet<>();
        private final Map<String, ReviewState.PendingAsset> owedFor = new LinkedHashMap<>();
        private final List<Asset> owed = new ArrayList<>();
        RuntimeException firstFault;

        Round(ReviewState state) {
            state.assets().forEach(p -> accounts.add(p.accountId()));
        }

        /** Runs one account's step; false (and the account marked) when it failed. */
        boolean guard(String accountId, Runnable step) {
            try {
                step.run();
                return true;
            } catch (IllegalArgumentException bad) {
                throw bad; // input the task can never accept: not one account's fault
            } catch (RuntimeException e) {
                if (firstFault == null) {
                    firstFault = e;
                }
                faulted.add(accountId);
                Log.LOG.log(Level.WARNING, "review step for account " + accountId + " failed; its assets wait for the next round", e);
                return false;
            }
        }

        boolean faulted(String accountId) {
            return faulted.contains(accountId);
        }

        void owe(ReviewState.PendingAsset p, Asset asset) {
            if (owedFor.putIfAbsent(asset.assetId(), p) == null) {
                owed.add(asset);
            }
        }

        /**
         * Sends the owed completions (SendMessageBatch of 10) and records each sent one; returns
         * {@code left} plus the assets whose completion did not go out, to be looked at again.
         */
        List<ReviewState.PendingAsset> flush(List<ReviewState.PendingAsset> left) {
            List<ReviewState.PendingAsset> result = new ArrayList<>(left);
            if (owed.isEmpty()) {
                return result;
            }
            Set<String> sent;
            try {
                sent = completions.publishAll(owed);
            } catch (RuntimeException e) {
                Log.LOG.log(Level.WARNING, "completion messages could not be sent; trying again next round", e);
                if (firstFault == null) {
                    firstFault = e;
                }
                sent = Set.of();
            }
            for (Asset a : owed) {
                ReviewState.PendingAsset p = owedFor.get(a.assetId());
                if (!sent.contains(a.assetId())) {
                    // Kept pending: a later round finds it terminal and owes its completion again.
                    if (!result.contains(p)) {
                        result.add(p);
                    }
                    faulted.add(a.accountId());
                    if (firstFault == null) {
                        firstFault = new IllegalStateException("the completion of asset " + a.assetId() + " could not be sent");
                    }
                    continue;
                }
                // Sent: a failure to record it only risks a second, deduplicated, send later.
                guard(a.accountId(), () -> store.markCompletionSent(a.accountId(), a.assetId()));
            }
            owed.clear();
            owedFor.clear();
            return result;
        }

        /** The task's result from what is left; or its failure when every account of the review faulted. */
        ReviewState end(List<ReviewState.PendingAsset> left, java.util.function.Function<List<ReviewState.PendingAsset>, ReviewState> next) {
            List<ReviewState.PendingAsset> pending = flush(left);
            if (firstFault != null && !accounts.isEmpty() && faulted.containsAll(accounts)) {
                throw firstFault;
            }
            return next.apply(pending);
        }
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
