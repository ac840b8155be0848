package dev.assetlib.app.review;

import dev.assetlib.json.JsonCodec;
import dev.assetlib.store.OpenReviews;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The starter function's work (shared mode): the review-start messages of one poll (up to the
 * event source's BatchSize, gathered for at most its batching window) become as few executions as
 * possible, each of at most {@code maxAssets} assets of any accounts, an upload's assets never
 * split. Each execution is started through {@link ReviewStarter#startShared}; a message whose
 * execution could not be started is answered as failed, so SQS redelivers it alone.
 */
public final class SharedReviewStart {
    private static final Logger LOG = Logger.getLogger(SharedReviewStart.class.getName());

    private final ReviewStarter starter;
    private final int maxAssets;
    private final OpenReviews openReviews;
    private final Clock clock;

    public SharedReviewStart(ReviewStarter starter, int maxAssets) {
        this(starter, maxAssets, null, Clock.systemUTC());
    }

    /**
     * @param openReviews where each upload's open review records the shared execution that reviews
     *                    it, so that the reconciler looks at that execution (not at a
     *                    {@code review-{batchId}} that never existed); null: nothing recorded
     */
    public SharedReviewStart(ReviewStarter starter, int maxAssets, OpenReviews openReviews, Clock clock) {
        this.starter = starter;
        this.maxAssets = Math.max(1, maxAssets);
        this.openReviews = openReviews;
        this.clock = clock;
    }

    /** One message of the queue: its id (for a partial batch response) and body. */
    public record Message(String id, String body) {
    }

    /** What one poll did: the executions started (or found started), and the messages to redeliver. */
    public record Outcome(List<String> executions, List<String> failedMessageIds) {
    }

    public Outcome start(List<Message> messages) {
        List<String> failed = new ArrayList<>();
        List<String> executions = new ArrayList<>();
        List<Message> chunk = new ArrayList<>();
        List<ReviewState> reviews = new ArrayList<>();
        int assets = 0;
        for (Message m : messages) {
            ReviewState review = parse(m);
            if (review == null) {
                failed.add(m.id()); // never written by this service: redelivered, then dead-lettered
                continue;
            }
            int size = review.assets().size();
            if (!chunk.isEmpty() && assets + size > maxAssets) {
                startOne(chunk, reviews, executions, failed);
                chunk = new ArrayList<>();
                reviews = new ArrayList<>();
                assets = 0;
            }
            chunk.add(m);
            reviews.add(review);
            assets += size;
        }
        if (!chunk.isEmpty()) {
            startOne(chunk, reviews, executions, failed);
        }
        return new Outcome(executions, failed);
    }

    private void startOne(List<Message> chunk, List<ReviewState> reviews, List<String> executions, List<String> failed) {
        try {
            String name = starter.startShared(reviews);
            executions.add(name);
            record(reviews, name);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not start a shared review of " + chunk.size() + " uploads; SQS will redeliver them", e);
            chunk.forEach(m -> failed.add(m.id()));
        }
    }

    /** Best effort: if this is lost, the reconciler's look at the upload finds its assets decided or restarts it. */
    private void record(List<ReviewState> reviews, String name) {
        if (openReviews == null) {
            return;
        }
        for (ReviewState r : reviews) {
            try {
                openReviews.recordExecution(r.accountId(), r.batchId(), null, name, 0, clock.instant().plus(OpenReviews.FIRST_LOOK));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not record the shared execution of batch " + r.batchId(), e);
            }
        }
    }

    private static ReviewState parse(Message m) {
        try {
            ReviewState review = ReviewState.fromJson(JsonCodec.parse(m.body()));
            if (review != null && review.accountsKnown() && !review.assets().isEmpty()) {
                return review;
            }
        } catch (Exception e) {
            // reported below
        }
        LOG.severe(() -> "review-start message " + m.id() + " is not a review's input; left for the dead-letter queue");
        return null;
    }
}
