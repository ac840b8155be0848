package dev.assetlib.app.idempotency;

import dev.assetlib.app.review.ReviewStarter;
import dev.assetlib.app.review.ReviewState;
import dev.assetlib.json.JsonCodec;
import dev.assetlib.store.GuardFailedException;
import dev.assetlib.store.IdempotencyRecords;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Runs work under an idempotency key, for the HTTP upload routes and the ingest consumer alike:
 * claim the key and do the work; or find what the key's first use did and answer it again
 * (finishing it first if its owner died after creating the assets: the stored review is started,
 * idempotent by execution name); or refuse when the key stands for another request. What differs
 * between callers (an HTTP caller waits for a claim in progress, an ingest message is left to
 * SQS to redeliver) is the {@link Policy} given to {@link #run}. See {@link IdempotencyRecords}
 * for the record and its states.
 */
public final class IdempotentExecutor {
    /** Longer than the upload function's timeout, so a live owner never loses its lease. */
    public static final Duration LEASE = Duration.ofSeconds(30);

    private final IdempotencyRecords records;
    private final ReviewStarter reviews;
    private final Clock wallClock;

    /**
     * @param wallClock real time, for leases and record expiry (the local stack scales the
     *                  service's clock, never leases)
     */
    public IdempotentExecutor(IdempotencyRecords records, ReviewStarter reviews, Clock wallClock) {
        this.records = records;
        this.reviews = reviews;
        this.wallClock = wallClock;
    }

    /** One use of a key: whose, which key (hashed), for which request (fingerprint), kept how long. */
    public record Use(String accountId, String keyHash, String fingerprint, Duration retention) {
        IdempotencyRecords.Key key() {
            return new IdempotencyRecords.Key(accountId, keyHash);
        }
    }

    /** What a caller does in each case the key's record can be in. Null from {@link #undecided} means: try again. */
    public interface Policy<R> {
        /** The key's request was done before (or, {@code resumed}, was just finished from CREATED): answer it again. */
        R replay(IdempotencyRecords.Record record, boolean resumed);

        /** The key was used for another request. */
        R conflict();

        /** This caller lost its lease while working: another one took the key over and finishes. */
        R lost();

        /**
         * Nothing decided this round: another holder's live lease ({@code vanished} false), or the
         * record gone since the claim failed (released or expired). Null to go round again.
         */
        R undecided(int round, boolean vanished);
    }

    /** The work done while holding the key. */
    public interface Work<R> {
        R run(Lease lease);
    }

    /** The key held by this caller: what the work records, in its own transaction or on its own. */
    public final class Lease {
        private final Use use;
        private final String leaseId;

        private Lease(Use use, String leaseId) {
            this.use = use;
            this.leaseId = leaseId;
        }

        /** The write that marks the record CREATED, in the transaction that creates the assets. */
        public TransactWriteItem created(ReviewState review, IdempotencyRecords.Response answer, String rejection) {
            return records.created(use.key(), leaseId, JsonCodec.write(review.toJson()), answer, rejection);
        }

        /** Ends the record DONE with its final answer; false when this caller no longer holds the lease. */
        public boolean complete(IdempotencyRecords.Response answer) {
            return records.complete(use.key(), leaseId, answer);
        }

        /** Ends the record DONE as a rejection (400) owed as a completion; false when the lease is lost. */
        public boolean rejected(String rejection) {
            return records.rejected(use.key(), leaseId, rejection);
        }
    }

    public <R> R run(Use use, Policy<R> policy, Work<R> work) {
        for (int round = 0; ; round++) {
            String leaseId = UUID.randomUUID().toString();
            Instant now = wallClock.instant();
            if (records.claim(use.key(), use.fingerprint(), new IdempotencyRecords.Lease(leaseId, now.plus(LEASE)), now,
                    use.retention())) {
                return owned(use, leaseId, policy, work);
            }
            IdempotencyRecords.Record record = records.read(use.key()).orElse(null);
            now = wallClock.instant();
            boolean live = record != null && record.expiresAt() > now.getEpochSecond();
            if (live) {
                if (!record.fingerprint().equals(use.fingerprint())) {
                    return policy.conflict();
                }
                if (IdempotencyRecords.DONE.equals(record.state())) {
                    return policy.replay(record, false);
                }
                if (!record.leaseUntil().isAfter(now)
                        && records.takeOver(use.key(), record.leaseId(),
                        new IdempotencyRecords.Lease(leaseId, now.plus(LEASE)), now)) {
                    if (IdempotencyRecords.CREATED.equals(record.state())) {
                        // The first use created the assets and died: start their review, finish its record.
                        resumeReview(record.reviewInput());
                        records.complete(use.key(), leaseId, new IdempotencyRecords.Response(record.statusCode(), record.response()));
                        return policy.replay(record, true);
                    }
                    return owned(use, leaseId, policy, work);
                }
            }
            R answer = policy.undecided(round, !live);
            if (answer != null) {
                return answer;
            }
        }
    }

    private <R> R owned(Use use, String leaseId, Policy<R> policy, Work<R> work) {
        try {
            return work.run(new Lease(use, leaseId));
        } catch (GuardFailedException lost) {
            return policy.lost();
        } catch (RuntimeException e) {
            records.release(use.key(), leaseId);
            throw e;
        }
    }

    /** Same execution name and input as the first attempt's, so Step Functions makes it a no-op if it ran. */
    private void resumeReview(String reviewInput) {
        ReviewState state;
        try {
            state = ReviewState.fromJson(JsonCodec.parse(reviewInput));
        } catch (IOException e) {
            throw new IllegalStateException("stored review input is not a review state", e);
        }
        if (state == null) {
            throw new IllegalStateException("stored review input is not a review state");
        }
        reviews.start(state);
    }
}
