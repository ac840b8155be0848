package dev.assetlib.app.review;

import dev.assetlib.store.AssetStore;
import dev.assetlib.store.OpenReviews;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Issue 15, hole 1: finds the open reviews that are due (see {@link OpenReviews}) and makes sure
 * each has a running execution. A batch never started (its upload died between the asset write
 * and StartExecution) is started under its own name, {@code review-{batchId}} (already existing:
 * done). A batch whose execution is no longer running while some of its assets are still
 * undecided (lost in a restart of the local stack, or abandoned) gets a new execution under a
 * derived name ({@code review-{batchId}-r{n}}), claimed first with a conditional write so that two
 * runs at once start it once. A batch with nothing undecided is closed. Every start goes through
 * {@link #resume}, the one place that starts a review here.
 */
public final class ReviewReconciler {
    private static final Logger LOG = Logger.getLogger(ReviewReconciler.class.getName());
    /** Open reviews looked at per shard and run (8 shards: 800 a run, every minute). */
    public static final int PER_SHARD = 100;

    private final AssetStore store;
    private final ReviewStarter starter;
    private final Duration deadline;
    private final Duration uploadWait;
    private final Duration recheck;
    private final Clock clock;

    public ReviewReconciler(AssetStore store, ReviewStarter starter, Duration deadline, Duration uploadWait,
                            Duration recheck, Clock clock) {
        this.store = store;
        this.starter = starter;
        this.deadline = deadline;
        this.uploadWait = uploadWait;
        this.recheck = recheck;
        this.clock = clock;
    }

    /** What one run did. */
    public record Summary(int looked, int started, int restarted, int running, int closed, int errors) {
    }

    public Summary reconcile() {
        Instant now = clock.instant();
        int looked = 0, started = 0, restarted = 0, running = 0, closed = 0, errors = 0;
        for (int shard = 0; shard < OpenReviews.SHARDS; shard++) {
            for (String[] due : store.openReviews().due(shard, now, PER_SHARD)) {
                looked++;
                try {
                    switch (reconcile(due[0], due[1], now)) {
                        case STARTED -> started++;
                        case RESTARTED -> restarted++;
                        case RUNNING -> running++;
                        case CLOSED -> closed++;
                        case NOTHING -> { }
                    }
                } catch (RuntimeException e) {
                    errors++; // looked at again next run
                    LOG.log(Level.WARNING, "could not reconcile the review of batch " + due[1], e);
                }
            }
        }
        return new Summary(looked, started, restarted, running, closed, errors);
    }

    enum Outcome { STARTED, RESTARTED, RUNNING, CLOSED, NOTHING }

    Outcome reconcile(String accountId, String batchId, Instant now) {
        OpenReviews.OpenReview review = store.openReviews().read(accountId, batchId);
        if (review == null) {
            return Outcome.NOTHING;
        }
        // Undecided members, and decided ones whose completion was never sent (owed: the resumed review sends it).
        List<OpenReviews.Member> undecided = review.members().stream().filter(OpenReviews.Member::unfinished).toList();
        if (undecided.isEmpty()) {
            store.openReviews().close(accountId, batchId);
            return Outcome.CLOSED;
        }
        Instant nextLook = now.plus(recheck);
        if (review.execution() == null) {
            // Never recorded as started: start it under its first name (idempotent with the upload's own start).
            resume(review, undecided, ReviewStarter.executionName(batchId, 0));
            store.openReviews().recordExecution(accountId, batchId, null, ReviewStarter.executionName(batchId, 0), 0, nextLook);
            return Outcome.STARTED;
        }
        if (starter.isRunning(review.execution())) {
            store.openReviews().recordExecution(accountId, batchId, review.execution(), review.execution(),
                    review.attempt(), nextLook);
            return Outcome.RUNNING;
        }
        int attempt = review.attempt() + 1;
        String name = ReviewStarter.executionName(batchId, attempt);
        if (!store.openReviews().recordExecution(accountId, batchId, review.execution(), name, attempt, nextLook)) {
            return Outcome.NOTHING; // another run claimed this restart
        }
        LOG.info("review execution " + review.execution() + " is not running with " + undecided.size()
                + " assets undecided: resuming as " + name);
        resume(review, undecided, name);
        return Outcome.RESTARTED;
    }

    /**
     * Starts the review of the batch's undecided assets under {@code name}: the same input an upload
     * builds (deadlines counted from the batch's creation, so a resumed review never gets longer).
     */
    private void resume(OpenReviews.OpenReview review, List<OpenReviews.Member> undecided, String name) {
        long reviewDeadline = review.createdAt().plus(deadline).getEpochSecond();
        long uploadDeadline = Math.min(reviewDeadline, review.createdAt().plus(uploadWait).getEpochSecond());
        List<ReviewState.PendingAsset> pending = new ArrayList<>();
        for (OpenReviews.Member m : undecided) {
            var a = m.asset();
            pending.add(m.directUpload()
                    ? ReviewState.PendingAsset.awaitingUpload(a.assetId(), a.assetType().name(), uploadDeadline)
                    : new ReviewState.PendingAsset(a.assetId(), a.assetType().name(), a.url(), null));
        }
        String kind = review.kind() == null ? ReviewState.SINGLE : review.kind();
        starter.start(new ReviewState(review.accountId(), review.batchId(), kind, reviewDeadline, 0, 0, false, pending, null), name);
    }
}
