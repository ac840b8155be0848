package dev.assetlib.fetch;

import java.time.Duration;
import java.util.Map;

/**
 * How a fetch of a user-given URL behaves. Time-outs are per attempt; {@code maxAttempts} bounds
 * the retries of transient faults (time-outs, resets, 5xx, 429), waiting {@code firstBackoff},
 * doubling, at most {@code maxBackoff} between attempts.
 */
public record FetchSettings(Duration connectTimeout, Duration totalTimeout, int maxRedirects, int maxAttempts,
                            Duration firstBackoff, Duration maxBackoff, FetchAllowList allowList) {
    public static final String CONNECT_TIMEOUT_MS = "FETCH_CONNECT_TIMEOUT_MS";
    public static final String TOTAL_TIMEOUT_SECONDS = "FETCH_TOTAL_TIMEOUT_SECONDS";
    public static final String MAX_ATTEMPTS = "FETCH_MAX_ATTEMPTS";
    public static final String FIRST_BACKOFF_MS = "FETCH_FIRST_BACKOFF_MS";
    /** The vendor's own limit and the issue's: at most 5 redirects. Not configurable on purpose. */
    public static final int MAX_REDIRECTS = 5;

    public FetchSettings {
        if (maxAttempts < 1 || maxRedirects < 0) {
            throw new IllegalArgumentException("maxAttempts must be at least 1 and maxRedirects at least 0");
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || totalTimeout.isNegative() || totalTimeout.isZero()) {
            throw new IllegalArgumentException("time-outs must be positive");
        }
    }

    public static FetchSettings defaults() {
        return new FetchSettings(Duration.ofSeconds(5), Duration.ofSeconds(60), MAX_REDIRECTS, 3,
                Duration.ofMillis(500), Duration.ofSeconds(4), FetchAllowList.none());
    }

    /** From the environment: the names above and {@link FetchAllowList#ENV}; absent ones keep the defaults. */
    public static FetchSettings fromEnv(Map<String, String> env) {
        FetchSettings d = defaults();
        return new FetchSettings(
                Duration.ofMillis(number(env, CONNECT_TIMEOUT_MS, d.connectTimeout.toMillis(), 1)),
                Duration.ofSeconds(number(env, TOTAL_TIMEOUT_SECONDS, d.totalTimeout.toSeconds(), 1)),
                MAX_REDIRECTS,
                (int) number(env, MAX_ATTEMPTS, d.maxAttempts, 1),
                Duration.ofMillis(number(env, FIRST_BACKOFF_MS, d.firstBackoff.toMillis(), 0)),
                d.maxBackoff,
                FetchAllowList.parse(env.get(FetchAllowList.ENV)));
    }

    public FetchSettings withAllowList(FetchAllowList list) {
        return new FetchSettings(connectTimeout, totalTimeout, maxRedirects, maxAttempts, firstBackoff, maxBackoff, list);
    }

    public FetchSettings withTimeouts(Duration connect, Duration total) {
        return new FetchSettings(connect, total, maxRedirects, maxAttempts, firstBackoff, maxBackoff, allowList);
    }

    public FetchSettings withAttempts(int attempts, Duration first) {
        return new FetchSettings(connectTimeout, totalTimeout, maxRedirects, attempts, first, maxBackoff, allowList);
    }

    private static long number(Map<String, String> env, String name, long fallback, long min) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(name + " \"" + v + "\" is not a whole number");
        }
        if (n < min) {
            throw new IllegalStateException(name + " must be at least " + min);
        }
        return n;
    }
}
