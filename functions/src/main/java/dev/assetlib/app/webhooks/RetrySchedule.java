package dev.assetlib.app.webhooks;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * When to try a failed delivery again: after 5 s, 5 min, 30 min, 2 h, 5 h and 10 h (about 17.6 h
 * after the first attempt, within 24 h), each with up to ±10 % jitter so that many deliveries that
 * failed together do not come back together; after the seventh attempt the delivery is failed.
 */
public final class RetrySchedule {
    public static final List<Duration> DELAYS = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10));
    public static final int MAX_ATTEMPTS = DELAYS.size() + 1;

    private final DoubleSupplier random;

    public RetrySchedule(DoubleSupplier random) {
        this.random = random;
    }

    /** The wait after attempt {@code attempt} (1-based) failed; empty when it was the last. */
    public Optional<Duration> after(int attempt) {
        if (attempt < 1 || attempt > DELAYS.size()) {
            return Optional.empty();
        }
        Duration base = DELAYS.get(attempt - 1);
        double factor = 0.9 + 0.2 * random.getAsDouble();
        return Optional.of(Duration.ofMillis(Math.round(base.toMillis() * factor)));
    }
}
