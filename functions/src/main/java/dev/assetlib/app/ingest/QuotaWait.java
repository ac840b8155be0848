package dev.assetlib.app.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How long an ingest message over a quota waits before it is tried again: {@code first}, doubling
 * with each refusal, at most {@code max} (SQS delays a message at most 15 min, so no wait needs
 * more than one send); after {@code giveUpAfter} of refusals it is left to the queue's redrive
 * policy, which moves it to the dead-letter queue (docs/quotas.md).
 */
public record QuotaWait(Duration first, Duration max, Duration giveUpAfter) {
    /** The deployed schedule's shape: 1 min, 2, 4, 8, then every 15 min. */
    public static final Duration FIRST = Duration.ofMinutes(1);
    public static final Duration MAX = Duration.ofMinutes(15);

    public QuotaWait {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0 || giveUpAfter.isNegative()) {
            throw new IllegalArgumentException("quota wait: 0 < first <= max, giveUpAfter >= 0");
        }
    }

    public static QuotaWait giveUpAfter(Duration giveUpAfter) {
        return new QuotaWait(FIRST, MAX, giveUpAfter);
    }

    /**
     * The wait after the {@code refusals}-th refusal (1 for the first) of a message refused since
     * {@code since}; empty once it has waited {@code giveUpAfter}.
     */
    public Optional<Duration> next(int refusals, Instant since, Instant now) {
        if (Duration.between(since, now).compareTo(giveUpAfter) >= 0) {
            return Optional.empty();
        }
        int doublings = Math.max(0, Math.min(refusals - 1, 30));
        long millis = first.toMillis() << doublings;
        return Optional.of(millis <= 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis));
    }
}
