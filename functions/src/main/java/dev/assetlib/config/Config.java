package dev.assetlib.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * All configuration, read in one place from the environment variables that template.yaml declares.
 * Values present are parsed at once, so a malformed value fails the cold start, not a request;
 * each handler asks for what it needs with {@link #require} when it is built, so a missing one
 * fails fast too.
 */
public final class Config {
    public static final String ASSETS_TABLE = "ASSETS_TABLE";
    public static final String COMPLETION_QUEUE_URL = "COMPLETION_QUEUE_URL";
    public static final String REVIEW_STATE_MACHINE_ARN = "REVIEW_STATE_MACHINE_ARN";
    public static final String REVIEW_DEADLINE_SECONDS = "REVIEW_DEADLINE_SECONDS";
    public static final String MAX_BATCH_URLS = "MAX_BATCH_URLS";
    public static final String REVIEWER = "REVIEWER";
    public static final String SIMULATED_REVIEW_DELAY_SECONDS = "SIMULATED_REVIEW_DELAY_SECONDS";
    public static final String SIMULATED_REJECT_RULES = "SIMULATED_REJECT_RULES";
    public static final String POLL_FIRST_SECONDS = "POLL_FIRST_SECONDS";
    public static final String POLL_GROWTH_FACTOR = "POLL_GROWTH_FACTOR";
    public static final String POLL_MAX_SECONDS = "POLL_MAX_SECONDS";

    private final Map<String, String> env;
    private final Duration reviewDeadline;
    private final int maxBatchUrls;
    private final Duration simulatedReviewDelay;
    private final double pollFirstSeconds;
    private final double pollGrowthFactor;
    private final double pollMaxSeconds;

    public Config(Map<String, String> env) {
        this.env = Map.copyOf(env);
        this.reviewDeadline = Duration.ofSeconds(longValue(REVIEW_DEADLINE_SECONDS, 86_400, 60));
        this.maxBatchUrls = (int) longValue(MAX_BATCH_URLS, 20, 1);
        this.simulatedReviewDelay = Duration.ofMillis(
                Math.round(doubleValue(SIMULATED_REVIEW_DELAY_SECONDS, 30, 0) * 1000));
        this.pollFirstSeconds = doubleValue(POLL_FIRST_SECONDS, 3, 1);
        this.pollGrowthFactor = doubleValue(POLL_GROWTH_FACTOR, 1.15, 1);
        this.pollMaxSeconds = doubleValue(POLL_MAX_SECONDS, 120, 1);
        if (pollMaxSeconds < pollFirstSeconds) {
            throw new IllegalStateException(POLL_MAX_SECONDS + " must be at least " + POLL_FIRST_SECONDS);
        }
    }

    public static Config fromEnvironment() {
        return new Config(System.getenv());
    }

    /** The value of a variable the caller cannot work without; fails with the variable's name. */
    public String require(String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set (template.yaml declares it)");
        }
        return value;
    }

    public Optional<String> optional(String name) {
        return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
    }

    public Duration reviewDeadline() {
        return reviewDeadline;
    }

    public int maxBatchUrls() {
        return maxBatchUrls;
    }

    public String reviewer() {
        return optional(REVIEWER).orElse("simulated");
    }

    public Duration simulatedReviewDelay() {
        return simulatedReviewDelay;
    }

    public String simulatedRejectRules() {
        return optional(SIMULATED_REJECT_RULES).orElse("[]");
    }

    public double pollFirstSeconds() {
        return pollFirstSeconds;
    }

    public double pollGrowthFactor() {
        return pollGrowthFactor;
    }

    public double pollMaxSeconds() {
        return pollMaxSeconds;
    }

    private long longValue(String name, long fallback, long min) {
        return (long) doubleValue(name, fallback, min);
    }

    private double doubleValue(String name, double fallback, double min) {
        String text = env.get(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        double value;
        try {
            value = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(name + " must be a number, got \"" + text + "\"");
        }
        if (value < min) {
            throw new IllegalStateException(name + " must be at least " + min + ", got " + text);
        }
        return value;
    }
}
