package dev.assetlib;

import dev.assetlib.app.limits.RateLimiter;
import dev.assetlib.app.limits.UsageReport;
import dev.assetlib.store.AccountPlans;
import dev.assetlib.store.DynamoRateLimiter;
import dev.assetlib.store.QuotaCounters;

import dev.assetlib.app.idempotency.IdempotentExecutor;
import dev.assetlib.app.ingest.IngestRetryQueue;
import dev.assetlib.app.ingest.IngestService;
import dev.assetlib.app.ingest.QuotaWait;
import dev.assetlib.app.manage.AssetManagement;
import dev.assetlib.objects.MediaCopies;
import dev.assetlib.objects.S3MediaCopies;
import dev.assetlib.objects.S3MediaStore;
import dev.assetlib.app.query.AssetHistory;
import dev.assetlib.app.query.AssetListing;
import dev.assetlib.app.query.ListTokens;
import dev.assetlib.app.query.ReferenceCheck;
import dev.assetlib.app.review.CompletionPublisher;
import dev.assetlib.app.review.MediaLinks;
import dev.assetlib.app.review.MediaStep;
import dev.assetlib.aws.S3MediaLinks;
import dev.assetlib.app.upload.PublicUrls;
import dev.assetlib.fetch.FetchAllowList;
import dev.assetlib.fetch.FetchSettings;
import dev.assetlib.fetch.GuardedFetcher;
import dev.assetlib.media.MediaCheck;
import dev.assetlib.media.MediaInspector;
import dev.assetlib.media.MediaLimits;
import dev.assetlib.media.MediaProbe;
import dev.assetlib.objects.MediaEncryption;
import dev.assetlib.objects.S3MediaStore;
import java.nio.file.Path;
import dev.assetlib.app.review.PollSchedule;
import dev.assetlib.app.review.ReviewStartQueue;
import dev.assetlib.app.review.ReviewReconciler;
import dev.assetlib.app.review.ReviewStarter;
import dev.assetlib.app.review.SharedReviewStart;
import dev.assetlib.app.review.ReviewWorkflow;
import dev.assetlib.app.upload.DirectUploadService;
import dev.assetlib.app.upload.UploadReceiver;
import dev.assetlib.app.upload.UploadService;
import dev.assetlib.app.upload.UploadUrlSigner;
import dev.assetlib.store.ApiKeyStore;
import dev.assetlib.aws.AwsClients;
import dev.assetlib.aws.S3UploadUrlSigner;
import dev.assetlib.config.Config;
import dev.assetlib.config.ListTokenKeys;
import dev.assetlib.domain.AssetIds;
import dev.assetlib.review.RejectRule;
import dev.assetlib.review.Reviewer;
import dev.assetlib.review.SimulatedReviewer;
import dev.assetlib.review.human.HumanReviewService;
import dev.assetlib.review.human.HumanReviewer;
import dev.assetlib.review.rekognition.RekognitionReviewer;
import dev.assetlib.review.human.PageTokens;
import dev.assetlib.review.upstream.SecretsManagerApiKey;
import dev.assetlib.review.upstream.UpstreamApiKey;
import dev.assetlib.review.upstream.UpstreamClient;
import dev.assetlib.review.upstream.UpstreamReviewer;
import dev.assetlib.store.AssetLists;
import dev.assetlib.store.AssetStore;
import dev.assetlib.store.HumanReviewStore;
import dev.assetlib.store.IdempotencyRecords;
import dev.assetlib.store.SigningKeyStore;
import dev.assetlib.app.webhooks.AesGcmSealer;
import dev.assetlib.app.webhooks.DeliveryQueue;
import dev.assetlib.app.webhooks.RetrySchedule;
import dev.assetlib.app.webhooks.SecretSealer;
import dev.assetlib.app.webhooks.WebhookDispatcher;
import dev.assetlib.app.webhooks.WebhookRegistry;
import dev.assetlib.app.webhooks.WebhookSettings;
import dev.assetlib.config.WebhookConfig;
import dev.assetlib.fetch.GuardedPoster;
import dev.assetlib.fetch.HostResolver;
import dev.assetlib.store.WebhookStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The composition root: the application core wired from {@link Config}, the AWS clients, the
 * clocks and any {@link Overrides}, for Lambda ({@link #lambda()}), the local stack and tests
 * alike. Each part is built on first use (and with it only the AWS clients it uses), so a function
 * pays at cold start only for what its handler asks for. Handlers depend on this; it depends on
 * no handler.
 */
public final class Services {
    /**
     * How long one call of the upstream reviewer may take in all: StatusCheckFunction's time-out is
     * 20 s, and a task that timed out would not be retried but fail its assets.
     */
    static final Duration UPSTREAM_CALL_BUDGET = Duration.ofSeconds(12);
    /**
     * The same for the rekognition reviewer: no asset's Rekognition calls start after it (the rest
     * wait a round); with its calls' 6 s time-out (AwsClients) a task stays inside the 20 s.
     */
    static final Duration REKOGNITION_CALL_BUDGET = Duration.ofSeconds(6);
    private static Services lambdaInstance;

    /**
     * @param service the service's time: asset times, review delays, deadlines, polling
     * @param wall    the time of request-level leases (idempotency), which guard concurrent requests
     *                in real time. The two differ only in the local stack, whose {@code --time-scale}
     *                speeds up the first and must not shorten the second.
     */
    public record Clocks(Clock service, Clock wall) {
        public static Clocks of(Clock clock) {
            return new Clocks(clock, clock);
        }
    }

    /**
     * Parts given instead of being built from the AWS clients (each null: built as in AWS).
     *
     * @param upstreamApiKey  the upstream reviewer's key given directly (the local stack's
     *                        {@code --upstream-key}); in AWS it is read from the Secrets Manager secret
     *                        that {@code UPSTREAM_API_KEY_SECRET} names. It is never an environment variable.
     * @param stepFunctions   a Step Functions client other than the clients' own (tests: a recording fake)
     */
    public record Overrides(String upstreamApiKey, SfnClient stepFunctions) {
        public static final Overrides NONE = new Overrides(null, null);

        public Overrides withUpstreamApiKey(String key) {
            return new Overrides(key, stepFunctions);
        }

        public Overrides withStepFunctions(SfnClient client) {
            return new Overrides(upstreamApiKey, client);
        }
    }

    /** The parts, each built on first use by {@link #build} (a switch, not a lambda each: none is linked at cold start). */
    private enum Part {
        ASSET_STORE, API_KEY_STORE, IDEMPOTENCY_RECORDS, HUMAN_REVIEW_STORE, REVIEW_STARTER, COMPLETION_PUBLISHER,
        UPLOAD_URL_SIGNER, REVIEWER, UPLOAD_SERVICE, IDEMPOTENT_EXECUTOR, DIRECT_UPLOAD_SERVICE, UPLOAD_RECEIVER,
        INGEST_SERVICE, ASSET_LISTING, ASSET_HISTORY, REFERENCE_CHECK, ASSET_MANAGEMENT, REVIEW_WORKFLOW,
        HUMAN_REVIEW_SERVICE, SHARED_REVIEW_START, REVIEW_RECONCILER, MEDIA_STEP,
        // account limits (docs/quotas.md)
        ACCOUNT_PLANS, QUOTA_COUNTERS, RATE_LIMITER, USAGE_REPORT,
        // webhooks
        WEBHOOK_STORE, WEBHOOK_SEALER, WEBHOOK_DISPATCHER, WEBHOOK_REGISTRY
    }

    private final Config config;
    private final AwsClients clients;
    private final Clocks clocks;
    private final Overrides overrides;
    private final Object[] built = new Object[Part.values().length];

    public Services(Config config, AwsClients clients, Clock clock) {
        this(config, clients, Clocks.of(clock), Overrides.NONE);
    }

    public Services(Config config, AwsClients clients, Clocks clocks, Overrides overrides) {
        this.config = config;
        this.clients = clients;
        this.clocks = clocks;
        this.overrides = overrides;
    }

    /** The wiring: how each part is made from the configuration, the clients, the clocks and the other parts. */
    private Object build(Part part) {
        Clock clock = clocks.service();
        return switch (part) {
            // ports: the store's parts, the queues, the state machine, the upload signer, the reviewer
            case ASSET_STORE -> new AssetStore(clients.dynamoDb(), table(), new AssetIds(), quotaCounters());
            case API_KEY_STORE -> new ApiKeyStore(clients.dynamoDb(), table());
            case IDEMPOTENCY_RECORDS -> new IdempotencyRecords(clients.dynamoDb(), table());
            case HUMAN_REVIEW_STORE -> new HumanReviewStore(clients.dynamoDb(), table(), assetStore());
            // Shared mode (issue 19): uploads are queued; the starter function starts shared executions.
            case REVIEW_STARTER -> new ReviewStarter(overrides.stepFunctions() != null ? overrides.stepFunctions() : clients.sfn(),
                    config.require(Config.REVIEW_STATE_MACHINE_ARN), config.sharedReviews()
                            ? new ReviewStartQueue(clients.sqs(), config.require(Config.REVIEW_START_QUEUE_URL)) : null);
            case SHARED_REVIEW_START -> new SharedReviewStart(reviewStarter(), config.reviewBatchMaxAssets(),
                    assetStore().openReviews(), clock);
            case COMPLETION_PUBLISHER -> new CompletionPublisher(clients.sqs(), config.require(Config.COMPLETION_QUEUE_URL),
                    config.optional(Config.WEBHOOK_EVENT_QUEUE_URL).orElse(null));
            case UPLOAD_URL_SIGNER -> new S3UploadUrlSigner(clients.s3Presigner(), config.require(Config.UPLOAD_BUCKET));
            case REVIEWER -> reviewer(clock);
            // the application core
            case UPLOAD_SERVICE -> new UploadService(assetStore(), reviewStarter(), config.reviewDeadline(), config.uploadWait(), clock);
            case IDEMPOTENT_EXECUTOR -> new IdempotentExecutor(idempotencyRecords(), reviewStarter(), clocks.wall());
            case DIRECT_UPLOAD_SERVICE -> new DirectUploadService(uploadService(), uploadUrlSigner(), config.uploadUrlExpiry());
            case UPLOAD_RECEIVER -> new UploadReceiver(assetStore(), clock);
            case INGEST_SERVICE -> new IngestService(uploadService(), idempotentExecutor(), idempotencyRecords(), apiKeyStore(),
                    completionPublisher(), config.maxBatchUrls(), publicUrls(), clock,
                    config.optional(Config.INGEST_QUEUE_URL).map(url -> new IngestService.QuotaWaits(
                            new IngestRetryQueue(clients.sqs(), url, config.ingestTimeScale()),
                            QuotaWait.giveUpAfter(config.ingestQuotaWait()))).orElse(null));
            // Reads the list token key (Secrets Manager in AWS) once, when the function initialises.
            case ASSET_LISTING -> new AssetListing(new AssetLists(clients.dynamoDb(), table()),
                    new ListTokens(ListTokenKeys.load(config, clients::secretsManager)));
            case ASSET_HISTORY -> new AssetHistory(assetStore(), clock);
            case REFERENCE_CHECK -> new ReferenceCheck(assetStore());
            case ASSET_MANAGEMENT -> new AssetManagement(assetStore(), completionPublisher(), reviewStarter(),
                    config.deletedRetention(), clock, mediaCopies());
            case REVIEW_WORKFLOW -> new ReviewWorkflow(assetStore(), reviewer(), completionPublisher(),
                    new PollSchedule(config.pollFirstSeconds(), config.pollGrowthFactor(), config.pollMaxSeconds()), clock,
                    mediaLinks());
            case HUMAN_REVIEW_SERVICE -> humanReviewService(clock);
            case MEDIA_STEP -> new MediaStep(new MediaInspector(
                    GuardedFetcher.create(FetchSettings.fromEnv(config.env())), new MediaProbe(),
                    new MediaCheck(MediaLimits.fromEnv(config.env())),
                    new S3MediaStore(clients.s3(), config.require(Config.MEDIA_BUCKET), MediaEncryption.fromEnv(config.env())),
                    Path.of(System.getProperty("java.io.tmpdir"))),
                    assetStore(), completionPublisher(), config.mediaConcurrency(), clock);
            case REVIEW_RECONCILER -> new ReviewReconciler(assetStore(), reviewStarter(), config.reviewDeadline(),
                    config.uploadWait(), config.reconcileRecheck(), clock);
            // account limits: plans cached per instance, counters in the asset transactions, buckets on the wall clock
            case ACCOUNT_PLANS -> new AccountPlans(clients.dynamoDb(), table(), config.accountLimits(), config.planCache(), clocks.wall());
            case QUOTA_COUNTERS -> new QuotaCounters(clients.dynamoDb(), table(), accountPlans());
            case RATE_LIMITER -> new DynamoRateLimiter(clients.dynamoDb(), table(), clocks.wall());
            case USAGE_REPORT -> new UsageReport(accountPlans(), part(Part.QUOTA_COUNTERS, QuotaCounters.class),
                    config.accountLimitsEnabled(), clock);
            // webhooks
            case WEBHOOK_STORE -> new WebhookStore(clients.dynamoDb(), table());
            // Reads the sealing key (Secrets Manager in AWS) once, when first needed.
            case WEBHOOK_SEALER -> new AesGcmSealer(WebhookConfig.sealingKey(config, clients::secretsManager), new SecureRandom());
            case WEBHOOK_DISPATCHER -> webhookDispatcher(clock);
            case WEBHOOK_REGISTRY -> new WebhookRegistry(webhookStore(), webhookSealer(), WebhookConfig.allowList(config),
                    HostResolver.SYSTEM, webhookDispatcher(),
                    WebhookConfig.settings(config), new SecureRandom(), clock);
        };
    }

    private synchronized <T> T part(Part part, Class<T> type) {
        Object value = built[part.ordinal()];
        if (value == null) {
            value = build(part);
            built[part.ordinal()] = value;
        }
        return type.cast(value);
    }

    /** The media bucket's copies (MEDIA_BUCKET), or none where no media bucket is configured. */
    public MediaCopies mediaCopies() {
        return config.optional(S3MediaStore.MEDIA_BUCKET).filter(b -> !b.isBlank())
                .<MediaCopies>map(bucket -> new S3MediaCopies(clients.s3(), bucket)).orElse(MediaCopies.NONE);
    }

    private String table() {
        return config.require(Config.ASSETS_TABLE);
    }

    /** The execution environment's services, from the variables template.yaml declares. */
    public static synchronized Services lambda() {
        if (lambdaInstance == null) {
            lambdaInstance = new Services(Config.fromEnvironment(), AwsClients.fromLambdaEnvironment(), Clock.systemUTC());
        }
        return lambdaInstance;
    }

    public Config config() {
        return config;
    }

    public AssetStore assetStore() {
        return part(Part.ASSET_STORE, AssetStore.class);
    }

    public ApiKeyStore apiKeyStore() {
        return part(Part.API_KEY_STORE, ApiKeyStore.class);
    }

    public IdempotencyRecords idempotencyRecords() {
        return part(Part.IDEMPOTENCY_RECORDS, IdempotencyRecords.class);
    }

    public HumanReviewStore humanReviewStore() {
        return part(Part.HUMAN_REVIEW_STORE, HumanReviewStore.class);
    }

    public ReviewStarter reviewStarter() {
        return part(Part.REVIEW_STARTER, ReviewStarter.class);
    }

    /** The starter function's work in shared mode: review-start messages to shared executions. */
    public SharedReviewStart sharedReviewStart() {
        return part(Part.SHARED_REVIEW_START, SharedReviewStart.class);
    }

    public CompletionPublisher completionPublisher() {
        return part(Part.COMPLETION_PUBLISHER, CompletionPublisher.class);
    }

    /** S3 presigned PUTs for the configured bucket, unless the overrides give the local stack's own signer. */
    public UploadUrlSigner uploadUrlSigner() {
        return part(Part.UPLOAD_URL_SIGNER, UploadUrlSigner.class);
    }

    /** The reviewer adapter that {@code REVIEWER} chooses, built once (the upstream one reads its key here). */
    public Reviewer reviewer() {
        return part(Part.REVIEWER, Reviewer.class);
    }

    public UploadService uploadService() {
        return part(Part.UPLOAD_SERVICE, UploadService.class);
    }

    /** The one idempotency mechanism of the HTTP upload routes and the ingest consumer. */
    public IdempotentExecutor idempotentExecutor() {
        return part(Part.IDEMPOTENT_EXECUTOR, IdempotentExecutor.class);
    }

    public DirectUploadService directUploadService() {
        return part(Part.DIRECT_UPLOAD_SERVICE, DirectUploadService.class);
    }

    public UploadReceiver uploadReceiver() {
        return part(Part.UPLOAD_RECEIVER, UploadReceiver.class);
    }

    public IngestService ingestService() {
        return part(Part.INGEST_SERVICE, IngestService.class);
    }

    public AssetListing assetListing() {
        return part(Part.ASSET_LISTING, AssetListing.class);
    }

    public AssetHistory assetHistory() {
        return part(Part.ASSET_HISTORY, AssetHistory.class);
    }

    public ReferenceCheck referenceCheck() {
        return part(Part.REFERENCE_CHECK, ReferenceCheck.class);
    }

    public AssetManagement assetManagement() {
        return part(Part.ASSET_MANAGEMENT, AssetManagement.class);
    }

    public ReviewWorkflow reviewWorkflow() {
        return part(Part.REVIEW_WORKFLOW, ReviewWorkflow.class);
    }

    /** Presigned GETs of the media bucket's copies; none when MEDIA_BUCKET is not set (a function that shows no copies). */
    public MediaLinks mediaLinks() {
        return config.optional(Config.MEDIA_BUCKET)
                .<MediaLinks>map(bucket -> new S3MediaLinks(clients.s3Presigner(), bucket)).orElse(MediaLinks.NONE);
    }

    /** The upload-time SSRF check, with the fetch allow-list (local stack only; empty in AWS). */
    public PublicUrls publicUrls() {
        return new PublicUrls(FetchAllowList.parse(config.optional(FetchAllowList.ENV).orElse(null)));
    }

    /** The review's media step (MediaFunction): fetch, probe, check, store. */
    public MediaStep mediaStep() {
        return part(Part.MEDIA_STEP, MediaStep.class);
    }

    public HumanReviewService humanReviewService() {
        return part(Part.HUMAN_REVIEW_SERVICE, HumanReviewService.class);
    }

    /** Each account's plan (defaults and overrides). */
    public AccountPlans accountPlans() {
        return part(Part.ACCOUNT_PLANS, AccountPlans.class);
    }

    /** The quota counters, or null when account limits are off. */
    public QuotaCounters quotaCounters() {
        return config.accountLimitsEnabled() ? part(Part.QUOTA_COUNTERS, QuotaCounters.class) : null;
    }

    public UsageReport usageReport() {
        return part(Part.USAGE_REPORT, UsageReport.class);
    }

    /** The shared token buckets, or null when account limits are off. */
    public RateLimiter rateLimiter() {
        return config.accountLimitsEnabled() ? part(Part.RATE_LIMITER, RateLimiter.class) : null;
    }

    public ReviewReconciler reviewReconciler() {
        return part(Part.REVIEW_RECONCILER, ReviewReconciler.class);
    }

    public WebhookStore webhookStore() {
        return part(Part.WEBHOOK_STORE, WebhookStore.class);
    }

    /** Fan-out of completions and the delivery attempts (WebhookDeliveryFunction). */
    public WebhookDispatcher webhookDispatcher() {
        return part(Part.WEBHOOK_DISPATCHER, WebhookDispatcher.class);
    }

    /** The webhook routes' service. */
    public WebhookRegistry webhookRegistry() {
        return part(Part.WEBHOOK_REGISTRY, WebhookRegistry.class);
    }

    private WebhookDispatcher webhookDispatcher(Clock clock) {
        WebhookSettings settings = WebhookConfig.settings(config);
        return new WebhookDispatcher(webhookStore(), webhookSealer(),
                GuardedPoster.create(WebhookConfig.allowList(config), Duration.ofSeconds(5), settings.attemptTimeout()),
                new DeliveryQueue(clients.sqs(), config.require(Config.WEBHOOK_DELIVERY_QUEUE_URL), settings.timeScale()),
                new RetrySchedule(new SecureRandom()::nextDouble), settings, clock, clocks.wall());
    }

    private SecretSealer webhookSealer() {
        return part(Part.WEBHOOK_SEALER, SecretSealer.class);
    }

    /** The reviewer adapter that {@code REVIEWER} chooses (the upstream one reads its key here). */
    private Reviewer reviewer(Clock clock) {
        return switch (config.reviewer()) {
            case "simulated" -> new SimulatedReviewer(config.simulatedReviewDelay(),
                    RejectRule.parseAll(config.simulatedRejectRules()), clock);
            case "upstream" -> upstreamReviewer(config, clients, overrides.upstreamApiKey());
            case "human" -> new HumanReviewer(humanReviewStore(), clock);
            case "rekognition" -> new RekognitionReviewer(clients.rekognition(), config.require(Config.MEDIA_BUCKET),
                    config.moderationPolicy(), assetStore(), humanReviewStore(), clock, REKOGNITION_CALL_BUDGET);
            default -> throw new IllegalStateException(Config.REVIEWER + " \"" + config.reviewer()
                    + "\" is not known: use rekognition, human, upstream or simulated");
        };
    }

    /** The review routes' service; its paging tokens are signed with the deployment's own key (made on first use). */
    private HumanReviewService humanReviewService(Clock clock) {
        SigningKeyStore keys = new SigningKeyStore(clients.dynamoDb(), table(), new SecureRandom());
        return new HumanReviewService(humanReviewStore(), new PageTokens(() -> keys.key("review-pending-token")), clock);
    }

    private static Reviewer upstreamReviewer(Config config, AwsClients clients, String upstreamApiKey) {
        UpstreamApiKey key = upstreamApiKey != null ? UpstreamApiKey.fixed(upstreamApiKey)
                : new SecretsManagerApiKey(clients.secretsManager(), config.require(Config.UPSTREAM_API_KEY_SECRET));
        UpstreamClient client = new UpstreamClient(config.upstreamBaseUrl(), key,
                Duration.ofSeconds(3).compareTo(config.upstreamTimeout()) < 0 ? Duration.ofSeconds(3) : config.upstreamTimeout(),
                config.upstreamTimeout());
        return new UpstreamReviewer(client, config.upstreamBatchSize(), UPSTREAM_CALL_BUDGET);
    }
}
