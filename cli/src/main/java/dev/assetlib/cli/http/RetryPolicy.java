package dev.assetlib.cli.http;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Retries of answers that say "try again later": 429 (throttled) and 503 (a dependency briefly
 * unavailable; the service creates nothing before answering it). Retry-After wins when the
 * service sends it (seconds or an HTTP date, capped); otherwise exponential backoff with full jitter.
 */
public record RetryPolicy(int maxAttempts, Duration base, Duration maxBackoff, Duration maxRetryAfter) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(8), Duration.ofSeconds(60));

    public boolean retryable(int status) {
        return status == 429 || status == 503;
    }

    /** The wait before attempt {@code attempt + 1} (attempt counts from 1). */
    public Duration delay(int attempt, HttpHeaders headers, Instant now) {
        Optional<Duration> told = headers.firstValue("Retry-After").flatMap(v -> retryAfter(v, now));
        if (told.isPresent()) {
            Duration d = told.get();
            return d.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : d;
        }
        long cap = Math.min(maxBackoff.toMillis(), base.toMillis() << Math.min(attempt - 1, 20));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
    }

    static Optional<Duration> retryAfter(String value, Instant now) {
        String v = value.trim();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(now, at);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException ignored) {
                return Optional.empty();
            }
        }
    }
}
