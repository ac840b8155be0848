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
    public static final String UPLOAD_BUCKET = "UPLOAD_BUCKET";
    /** The media bucket (the service's private copies, media/{accountId}/{assetId}). */
    public static final String MEDIA_BUCKET = "MEDIA_BUCKET";
    public static final String MEDIA_CONCURRENCY = "MEDIA_CONCURRENCY";
    public static final String UPLOAD_URL_EXPIRY_SECONDS = "UPLOAD_URL_EXPIRY_SECONDS";
    public static final String UPLOAD_WAIT_SECONDS = "UPLOAD_WAIT_SECONDS";
    public static final String UPSTREAM_BASE_URL = "UPSTREAM_BASE_URL";
    public static final String UPSTREAM_API_KEY_SECRET = "UPSTREAM_API_KEY_SECRET";
    /**
     * "true" lets UPSTREAM_BASE_URL be plain http:// (the key would travel in clear). Set only by the
     * local stack's --upstream-allow-http (its chained test stacks talk over http://127.0.0.1);
     * template.yaml never declares it, so in AWS an http:// upstream is refused at start.
     */
    public static final String UPSTREAM_ALLOW_PLAIN_HTTP = "UPSTREAM_ALLOW_PLAIN_HTTP";
    public static final String UPSTREAM_TIMEOUT_SECONDS = "UPSTREAM_TIMEOUT_SECONDS";
    public static final String UPSTREAM_BATCH_SIZE = "UPSTREAM_BATCH_SIZE";
    /** The rekognition reviewer's moderation policy, a JSON document (docs/reviewers.md); empty: the default policy. */
    public static final String MODERATION_POLICY = "MODERATION_POLICY";
    public static final java.util.Set<String> REVIEWERS = java.util.Set.of("simulated", "upstream", "human", "rekognition");
    /** ARN of the Secrets Manager secret whose value signs list nextTokens (template.yaml generates it). */
    public static final String LIST_TOKEN_SECRET_ARN = "LIST_TOKEN_SECRET_ARN";
    /** The signing key itself (at least 32 characters): for the local stack only, never in AWS. */
    public static final String LIST_TOKEN_KEY = "LIST_TOKEN_KEY";
    /** How long a deleted asset's tombstone and history stay readable before TTL removes them (days). */
    public static final String DELETED_RETENTION_DAYS = "DELETED_RETENTION_DAYS";
    /** {@code direct} (one execution per upload) or {@code shared} (queued for the starter function; issue 19). */
    public static final String REVIEW_START_MODE = "REVIEW_START_MODE";
    /** The review-start queue that shared mode sends each upload's review to. */
    public static final String REVIEW_START_QUEUE_URL = "REVIEW_START_QUEUE_URL";
    /** Most assets in one shared execution (N; the state's size grows with it: 256 KiB at most). */
    public static final String REVIEW_BATCH_MAX_ASSETS = "REVIEW_BATCH_MAX_ASSETS";
    public static final java.util.Set<String> REVIEW_START_MODES = java.util.Set.of("direct", "shared");

    // Account limits (docs/quotas.md): on/off, and the default plan.
    public static final String ACCOUNT_LIMITS_ENABLED = "ACCOUNT_LIMITS_ENABLED";
    public static final String UPLOADS_PER_SECOND = "UPLOADS_PER_SECOND";
    public static final String READS_PER_SECOND = "READS_PER_SECOND";
    public static final String MANAGEMENT_PER_SECOND = "MANAGEMENT_PER_SECOND";
    public static final String REVIEW_PER_SECOND = "REVIEW_PER_SECOND";
    public static final String QUOTA_IN_REVIEW = "QUOTA_IN_REVIEW";
    public static final String QUOTA_STORED_ASSETS = "QUOTA_STORED_ASSETS";
    public static final String QUOTA_STORED_BYTES = "QUOTA_STORED_BYTES";
    public static final String QUOTA_UPLOADS_PER_DAY = "QUOTA_UPLOADS_PER_DAY";
    /** How long an instance keeps an account's plan before reading it again (seconds). */
    public static final String PLAN_CACHE_SECONDS = "PLAN_CACHE_SECONDS";
    /** How long the reconciler waits before it looks again at a review it found running. */
    public static final String RECONCILE_RECHECK_SECONDS = "RECONCILE_RECHECK_SECONDS";
    // Ingest messages over a quota (docs/quotas.md#bulk-ingest): the queue their delayed copies go
    // to, how long they wait at most before the dead-letter queue, and the local stack's --time-scale.
    public static final String INGEST_QUEUE_URL = "INGEST_QUEUE_URL";
    public static final String INGEST_QUOTA_WAIT_SECONDS = "INGEST_QUOTA_WAIT_SECONDS";
    /** The local stack's --time-scale, which it sets; 1 in AWS. */
    public static final String INGEST_TIME_SCALE = "INGEST_TIME_SCALE";
    // webhooks (WebhookConfig reads them; docs/webhooks.md)
    public static final String WEBHOOK_EVENT_QUEUE_URL = "WEBHOOK_EVENT_QUEUE_URL";
    public static final String WEBHOOK_DELIVERY_QUEUE_URL = "WEBHOOK_DELIVERY_QUEUE_URL";
    public static final String WEBHOOK_MAX_ENDPOINTS = "WEBHOOK_MAX_ENDPOINTS";
    public static final String WEBHOOK_TIMEOUT_SECONDS = "WEBHOOK_TIMEOUT_SECONDS";
    public static final String WEBHOOK_DISABLE_AFTER_FAILURES = "WEBHOOK_DISABLE_AFTER_FAILURES";
    /** The local stack's --time-scale, which it sets; 1 in AWS. */
    public static final String WEBHOOK_TIME_SCALE = "WEBHOOK_TIME_SCALE";
    /** ARN of the Secrets Manager secret whose value seals endpoint secrets (template.yaml generates it). */
    public static final String WEBHOOK_SECRET_KEY_ARN = "WEBHOOK_SECRET_KEY_ARN";
    /** The sealing key itself: for the local stack only, never in AWS. */
    public static final String WEBHOOK_SECRET_KEY = "WEBHOOK_SECRET_KEY";

    private final Map<String, String> env;
    private final boolean accountLimitsEnabled;
    private final dev.assetlib.domain.AccountLimits accountLimits;
    private final Duration planCache;
    private final Duration reviewDeadline;
    private final int maxBatchUrls;
    private final Duration simulatedReviewDelay;
    private final double pollFirstSeconds;
    private final double pollGrowthFactor;
    private final double pollMaxSeconds;
    private final Duration uploadUrlExpiry;
    private final Duration uploadWait;
    private final Duration upstreamTimeout;
    private final int upstreamBatchSize;
    private final Duration deletedRetention;
    private final int reviewBatchMaxAssets;
    private final Duration reconcileRecheck;
    private final dev.assetlib.review.rekognition.ModerationPolicy moderationPolicy;

    public Config(Map<String, String> env) {
        this.env = Map.copyOf(env);
        this.reviewDeadline = Duration.ofSeconds(longValue(REVIEW_DEADLINE_SECONDS, 86_400, 60));
        this.maxBatchUrls = (int) longValue(MAX_BATCH_URLS, 20, 1);
        if (maxBatchUrls > dev.assetlib.store.AssetStore.MAX_ASSETS_PER_CREATE) {
            throw new IllegalStateException(MAX_BATCH_URLS + " must be at most " + dev.assetlib.store.AssetStore.MAX_ASSETS_PER_CREATE
                    + " (the assets of one upload are created in one DynamoDB transaction)");
        }
        this.deletedRetention = Duration.ofDays(longValue(DELETED_RETENTION_DAYS, 30, 1));
        this.reconcileRecheck = Duration.ofSeconds(longValue(RECONCILE_RECHECK_SECONDS, 900, 10));
        this.simulatedReviewDelay = Duration.ofMillis(
                Math.round(doubleValue(SIMULATED_REVIEW_DELAY_SECONDS, 30, 0) * 1000));
        this.pollFirstSeconds = doubleValue(POLL_FIRST_SECONDS, 3, 1);
        this.pollGrowthFactor = doubleValue(POLL_GROWTH_FACTOR, 1.15, 1);
        this.pollMaxSeconds = doubleValue(POLL_MAX_SECONDS, 120, 1);
        this.uploadUrlExpiry = Duration.ofSeconds(longValue(UPLOAD_URL_EXPIRY_SECONDS, 900, 60));
        this.uploadWait = Duration.ofSeconds(longValue(UPLOAD_WAIT_SECONDS, 3600, 60));
        if (uploadWait.compareTo(uploadUrlExpiry) < 0) {
            throw new IllegalStateException(UPLOAD_WAIT_SECONDS + " must be at least " + UPLOAD_URL_EXPIRY_SECONDS
                    + ": an upload may arrive until its URL expires");
        }
        if (pollMaxSeconds < pollFirstSeconds) {
            throw new IllegalStateException(POLL_MAX_SECONDS + " must be at least " + POLL_FIRST_SECONDS);
        }
        this.upstreamTimeout = Duration.ofMillis(Math.round(doubleValue(UPSTREAM_TIMEOUT_SECONDS, 5, 0.1) * 1000));
        this.upstreamBatchSize = (int) longValue(UPSTREAM_BATCH_SIZE, 20, 1);
        if (!REVIEWERS.contains(reviewer())) {
            throw new IllegalStateException(REVIEWER + " \"" + reviewer() + "\" is not known: use rekognition, human, upstream or simulated");
        }
        // The policy is read and checked once, here: a malformed one stops the cold start with the field's name.
        try {
            this.moderationPolicy = optional(MODERATION_POLICY).map(dev.assetlib.review.rekognition.ModerationPolicy::parse)
                    .orElse(dev.assetlib.review.rekognition.ModerationPolicy.DEFAULT);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(MODERATION_POLICY + ": " + e.getMessage(), e);
        }
        boolean plainHttp = "true".equals(env.get(UPSTREAM_ALLOW_PLAIN_HTTP));
        optional(UPSTREAM_BASE_URL).ifPresent(url -> checkBaseUrl(url, plainHttp));
        if (!REVIEW_START_MODES.contains(reviewStartMode())) {
            throw new IllegalStateException(REVIEW_START_MODE + " \"" + reviewStartMode() + "\" is not known: use direct or shared");
        }
        this.reviewBatchMaxAssets = (int) longValue(REVIEW_BATCH_MAX_ASSETS, 100, 1);
        if (reviewBatchMaxAssets > 500) {
            throw new IllegalStateException(REVIEW_BATCH_MAX_ASSETS + " must be at most 500 (an execution's state holds"
                    + " ~250 bytes per asset, at most 256 KiB)");
        }
        // Account limits: off unless the template turns them on (tests of other concerns run without).
        this.accountLimitsEnabled = Boolean.parseBoolean(optional(ACCOUNT_LIMITS_ENABLED).orElse("false"));
        dev.assetlib.domain.AccountLimits v = dev.assetlib.domain.AccountLimits.VENDOR_DEFAULTS;
        java.util.Map<dev.assetlib.domain.RouteClass, Integer> rates = java.util.Map.of(
                dev.assetlib.domain.RouteClass.UPLOADS, (int) longValue(UPLOADS_PER_SECOND, v.perSecond(dev.assetlib.domain.RouteClass.UPLOADS), 1),
                dev.assetlib.domain.RouteClass.READS, (int) longValue(READS_PER_SECOND, v.perSecond(dev.assetlib.domain.RouteClass.READS), 1),
                dev.assetlib.domain.RouteClass.MANAGEMENT, (int) longValue(MANAGEMENT_PER_SECOND, v.perSecond(dev.assetlib.domain.RouteClass.MANAGEMENT), 1),
                dev.assetlib.domain.RouteClass.REVIEW, (int) longValue(REVIEW_PER_SECOND, v.perSecond(dev.assetlib.domain.RouteClass.REVIEW), 1));
        this.accountLimits = new dev.assetlib.domain.AccountLimits(rates, longValue(QUOTA_IN_REVIEW, v.inReview(), 0),
                longValue(QUOTA_STORED_ASSETS, v.storedAssets(), 0), longValue(QUOTA_STORED_BYTES, v.storedBytes(), 0),
                longValue(QUOTA_UPLOADS_PER_DAY, v.uploadsPerDay(), 0));
        this.planCache = Duration.ofSeconds(longValue(PLAN_CACHE_SECONDS, 60, 0));
    }

    /** {@code direct} (default) or {@code shared}: how an upload's review is started. */
    public String reviewStartMode() {
        return optional(REVIEW_START_MODE).orElse("direct");
    }

    public boolean sharedReviews() {
        return "shared".equals(reviewStartMode());
    }

    /** Most assets one shared execution reviews (default 100). */
    public int reviewBatchMaxAssets() {
        return reviewBatchMaxAssets;
    }

    /** Whether rate limits and quotas are kept (template parameter AccountLimitsEnabled). */
    public boolean accountLimitsEnabled() {
        return accountLimitsEnabled;
    }

    /** The default plan of every account (template parameters); accounts may have overrides. */
    public dev.assetlib.domain.AccountLimits accountLimits() {
        return accountLimits;
    }

    public Duration planCache() {
        return planCache;
    }

    /** Every variable, for the parts that read their own group (MediaLimits, FetchSettings, MediaEncryption). */
    public Map<String, String> env() {
        return env;
    }

    /** How many assets of a batch the media step fetches at once (MEDIA_CONCURRENCY, default 4). */
    public int mediaConcurrency() {
        return (int) longValue(MEDIA_CONCURRENCY, 4, 1);
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

    /** How long an ingest message over a quota keeps waiting before it is left for the dead-letter queue (default 3 days). */
    public Duration ingestQuotaWait() {
        return Duration.ofSeconds(longValue(INGEST_QUOTA_WAIT_SECONDS, 259_200, 0));
    }

    /** Ingest delays in queue time per service time: the local stack's --time-scale, 1 in AWS. */
    public double ingestTimeScale() {
        double scale = Double.parseDouble(optional(INGEST_TIME_SCALE).orElse("1"));
        if (!(scale > 0)) {
            throw new IllegalStateException(INGEST_TIME_SCALE + " must be > 0");
        }
        return scale;
    }

    public int maxBatchUrls() {
        return maxBatchUrls;
    }

    public String reviewer() {
        return optional(REVIEWER).orElse("simulated");
    }

    /** The rekognition reviewer's moderation policy (MODERATION_POLICY, else the default one). */
    public dev.assetlib.review.rekognition.ModerationPolicy moderationPolicy() {
        return moderationPolicy;
    }

    /** The upstream library's base URL (scheme, host, port, before {@code /kyyReactApiServer}); required for {@code upstream}. */
    public java.net.URI upstreamBaseUrl() {
        return java.net.URI.create(require(UPSTREAM_BASE_URL));
    }

    /** Time-out of one upstream HTTP request (default 5 s; the task function's own time-out is 20 s). */
    public Duration upstreamTimeout() {
        return upstreamTimeout;
    }

    /** Most URLs per SD2 Manxue upload sent upstream (default 20, the public API's batch size). */
    public int upstreamBatchSize() {
        return upstreamBatchSize;
    }

    private static void checkBaseUrl(String text, boolean plainHttpAllowed) {
        try {
            java.net.URI uri = new java.net.URI(text.trim());
            if ("http".equals(uri.getScheme()) && !plainHttpAllowed) {
                throw new IllegalStateException(UPSTREAM_BASE_URL + " must be https:// (the upstream API key would travel"
                        + " in clear over http), got \"" + text + "\"");
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getUserInfo() != null || uri.getQuery() != null || uri.getFragment() != null) {
                throw new IllegalStateException(UPSTREAM_BASE_URL + " must be an absolute http(s) URL without credentials,"
                        + " query or fragment, like https://api.example.com, got \"" + text + "\"");
            }
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(UPSTREAM_BASE_URL + " is not a URL: \"" + text + "\"");
        }
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

    /** How long an upload URL is valid (default 15 min). */
    public Duration uploadUrlExpiry() {
        return uploadUrlExpiry;
    }

    /**
     * How long after an upload URL is issued its object may arrive (default 1 h, at least the URL's
     * expiry: a PUT begun just before expiry may take a while); after it the asset fails with
     * UPLOAD_MISSING. Never later than the review deadline.
     */
    public Duration uploadWait() {
        return uploadWait;
    }

    public Duration reconcileRecheck() {
        return reconcileRecheck;
    }

    public Duration deletedRetention() {
        return deletedRetention;
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
