package dev.assetlib;

import dev.assetlib.app.idempotency.IdempotentExecutor;
import dev.assetlib.app.ingest.IngestService;
import dev.assetlib.app.manage.AssetManagement;
import dev.assetlib.app.query.AssetHistory;
import dev.assetlib.app.query.AssetListing;
import dev.assetlib.app.query.ListTokens;
import dev.assetlib.app.query.ReferenceCheck;
import dev.assetlib.app.review.CompletionPublisher;
import dev.assetlib.app.review.PollSchedule;
import dev.assetlib.app.review.ReviewStarter;
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
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
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
     * @param uploadUrlSigner the local stack's stand-in for S3 presigning (a URL it serves itself)
     * @param upstreamApiKey  the upstream reviewer's key given directly (the local stack's
     *                        {@code --upstream-key}); in AWS it is read from the Secrets Manager secret
     *                        that {@code UPSTREAM_API_KEY_SECRET} names. It is never an environment variable.
     * @param stepFunctions   a Step Functions client other than the clients' own (tests: a recording fake)
     */
    public record Overrides(UploadUrlSigner uploadUrlSigner, String upstreamApiKey, SfnClient stepFunctions) {
        public static final Overrides NONE = new Overrides(null, null, null);

        public Overrides withUploadUrlSigner(UploadUrlSigner signer) {
            return new Overrides(signer, upstreamApiKey, stepFunctions);
        }

        public Overrides withUpstreamApiKey(String key) {
            return new Overrides(uploadUrlSigner, key, stepFunctions);
        }

        public Overrides withStepFunctions(SfnClient client) {
            return new Overrides(uploadUrlSigner, upstreamApiKey, client);
        }
    }

    private final Config config;
    private final Lazy<AssetStore> assetStore;
    private final Lazy<ApiKeyStore> apiKeyStore;
    private final Lazy<IdempotencyRecords> idempotencyRecords;
    private final Lazy<HumanReviewStore> humanReviewStore;
    private final Lazy<ReviewStarter> reviewStarter;
    private final Lazy<CompletionPublisher> completionPublisher;
    private final Lazy<UploadUrlSigner> uploadUrlSigner;
    private final Lazy<Reviewer> reviewer;
    private final Lazy<UploadService> uploadService;
    private final Lazy<IdempotentExecutor> idempotentExecutor;
    private final Lazy<DirectUploadService> directUploadService;
    private final Lazy<UploadReceiver> uploadReceiver;
    private final Lazy<IngestService> ingestService;
    private final Lazy<AssetListing> assetListing;
    private final Lazy<AssetHistory> assetHistory;
    private final Lazy<ReferenceCheck> referenceCheck;
    private final Lazy<AssetManagement> assetManagement;
    private final Lazy<ReviewWorkflow> reviewWorkflow;
    private final Lazy<HumanReviewService> humanReviewService;

    public Services(Config config, AwsClients clients, Clock clock) {
        this(config, clients, Clocks.of(clock), Overrides.NONE);
    }

    public Services(Config config, AwsClients clients, Clocks clocks, Overrides overrides) {
        this.config = config;
        Clock clock = clocks.service();
        // ports: the store's parts, the queues, the state machine, the upload signer, the reviewer
        assetStore = Lazy.of(() -> new AssetStore(clients.dynamoDb(), config.require(Config.ASSETS_TABLE), new AssetIds()));
        apiKeyStore = Lazy.of(() -> new ApiKeyStore(clients.dynamoDb(), config.require(Config.ASSETS_TABLE)));
        idempotencyRecords = Lazy.of(() -> new IdempotencyRecords(clients.dynamoDb(), config.require(Config.ASSETS_TABLE)));
        humanReviewStore = Lazy.of(() -> new HumanReviewStore(clients.dynamoDb(), config.require(Config.ASSETS_TABLE), assetStore.get()));
        reviewStarter = Lazy.of(() -> new ReviewStarter(overrides.stepFunctions() != null ? overrides.stepFunctions() : clients.sfn(),
                config.require(Config.REVIEW_STATE_MACHINE_ARN)));
        completionPublisher = Lazy.of(() -> new CompletionPublisher(clients.sqs(), config.require(Config.COMPLETION_QUEUE_URL)));
        uploadUrlSigner = Lazy.of(() -> overrides.uploadUrlSigner() != null ? overrides.uploadUrlSigner()
                : new S3UploadUrlSigner(clients.s3Presigner(), config.require(Config.UPLOAD_BUCKET)));
        reviewer = Lazy.of(() -> reviewer(config, clients, clock, overrides.upstreamApiKey(), humanReviewStore));
        // the application core
        uploadService = Lazy.of(() -> new UploadService(assetStore.get(), reviewStarter.get(), config.reviewDeadline(),
                config.uploadWait(), clock));
        idempotentExecutor = Lazy.of(() -> new IdempotentExecutor(idempotencyRecords.get(), reviewStarter.get(), clocks.wall()));
        directUploadService = Lazy.of(() -> new DirectUploadService(uploadService.get(), uploadUrlSigner.get(),
                config.uploadUrlExpiry()));
        uploadReceiver = Lazy.of(() -> new UploadReceiver(assetStore.get(), clock));
        ingestService = Lazy.of(() -> new IngestService(uploadService.get(), idempotentExecutor.get(), idempotencyRecords.get(),
                apiKeyStore.get(), completionPublisher.get(), config.maxBatchUrls(), clock));
        // Reads the list token key (Secrets Manager in AWS) once, when the function initialises.
        assetListing = Lazy.of(() -> new AssetListing(new AssetLists(clients.dynamoDb(), config.require(Config.ASSETS_TABLE)),
                new ListTokens(ListTokenKeys.load(config, clients::secretsManager))));
        assetHistory = Lazy.of(() -> new AssetHistory(assetStore.get(), clock));
        referenceCheck = Lazy.of(() -> new ReferenceCheck(assetStore.get()));
        assetManagement = Lazy.of(() -> new AssetManagement(assetStore.get(), completionPublisher.get(), reviewStarter.get(),
                config.deletedRetention(), clock));
        reviewWorkflow = Lazy.of(() -> new ReviewWorkflow(assetStore.get(), reviewer.get(), completionPublisher.get(),
                new PollSchedule(config.pollFirstSeconds(), config.pollGrowthFactor(), config.pollMaxSeconds()), clock));
        // The review routes' paging tokens are signed with the deployment's own key (made on first use).
        humanReviewService = Lazy.of(() -> {
            SigningKeyStore keys = new SigningKeyStore(clients.dynamoDb(), config.require(Config.ASSETS_TABLE), new SecureRandom());
            return new HumanReviewService(humanReviewStore.get(), new PageTokens(() -> keys.key("review-pending-token")), clock);
        });
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
        return assetStore.get();
    }

    public ApiKeyStore apiKeyStore() {
        return apiKeyStore.get();
    }

    public IdempotencyRecords idempotencyRecords() {
        return idempotencyRecords.get();
    }

    public HumanReviewStore humanReviewStore() {
        return humanReviewStore.get();
    }

    public ReviewStarter reviewStarter() {
        return reviewStarter.get();
    }

    public CompletionPublisher completionPublisher() {
        return completionPublisher.get();
    }

    /** S3 presigned PUTs for the configured bucket, unless the overrides give the local stack's own signer. */
    public UploadUrlSigner uploadUrlSigner() {
        return uploadUrlSigner.get();
    }

    /** The reviewer adapter that {@code REVIEWER} chooses, built once (the upstream one reads its key here). */
    public Reviewer reviewer() {
        return reviewer.get();
    }

    public UploadService uploadService() {
        return uploadService.get();
    }

    /** The one idempotency mechanism of the HTTP upload routes and the ingest consumer. */
    public IdempotentExecutor idempotentExecutor() {
        return idempotentExecutor.get();
    }

    public DirectUploadService directUploadService() {
        return directUploadService.get();
    }

    public UploadReceiver uploadReceiver() {
        return uploadReceiver.get();
    }

    public IngestService ingestService() {
        return ingestService.get();
    }

    public AssetListing assetListing() {
        return assetListing.get();
    }

    public AssetHistory assetHistory() {
        return assetHistory.get();
    }

    public ReferenceCheck referenceCheck() {
        return referenceCheck.get();
    }

    public AssetManagement assetManagement() {
        return assetManagement.get();
    }

    public ReviewWorkflow reviewWorkflow() {
        return reviewWorkflow.get();
    }

    public HumanReviewService humanReviewService() {
        return humanReviewService.get();
    }

    private static Reviewer reviewer(Config config, AwsClients clients, Clock clock, String upstreamApiKey,
                                     Supplier<HumanReviewStore> humanReviews) {
        return switch (config.reviewer()) {
            case "simulated" -> new SimulatedReviewer(config.simulatedReviewDelay(),
                    RejectRule.parseAll(config.simulatedRejectRules()), clock);
            case "upstream" -> upstreamReviewer(config, clients, upstreamApiKey);
            case "human" -> new HumanReviewer(humanReviews.get(), clock);
            default -> throw new IllegalStateException(Config.REVIEWER + " \"" + config.reviewer()
                    + "\" is not known: use simulated, upstream or human");
        };
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
