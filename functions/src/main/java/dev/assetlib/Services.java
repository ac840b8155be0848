package dev.assetlib;

import dev.assetlib.app.query.AssetHistory;
import dev.assetlib.app.query.AssetListing;
import dev.assetlib.app.manage.AssetManagement;
import dev.assetlib.app.idempotency.Idempotency;
import dev.assetlib.app.query.ListTokens;
import dev.assetlib.app.query.ReferenceCheck;
import dev.assetlib.app.upload.UploadService;
import dev.assetlib.auth.ApiKeyStore;
import dev.assetlib.aws.AwsClients;
import dev.assetlib.config.Config;
import dev.assetlib.config.ListTokenKeys;
import dev.assetlib.domain.AssetIds;
import dev.assetlib.app.ingest.IngestService;
import dev.assetlib.review.RejectRule;
import dev.assetlib.review.Reviewer;
import dev.assetlib.review.SimulatedReviewer;
import dev.assetlib.review.human.HumanReviewService;
import dev.assetlib.review.human.HumanReviewer;
import dev.assetlib.review.human.PageTokens;
import dev.assetlib.store.HumanReviewStore;
import dev.assetlib.store.SigningKeyStore;
import java.security.SecureRandom;
import dev.assetlib.review.upstream.SecretsManagerApiKey;
import dev.assetlib.review.upstream.UpstreamApiKey;
import dev.assetlib.review.upstream.UpstreamClient;
import dev.assetlib.review.upstream.UpstreamReviewer;
import dev.assetlib.store.AssetLists;
import dev.assetlib.store.AssetStore;
import dev.assetlib.store.IdempotencyRecords;
import dev.assetlib.app.upload.DirectUploadService;
import dev.assetlib.aws.S3UploadUrlSigner;
import dev.assetlib.app.upload.UploadReceiver;
import dev.assetlib.app.upload.UploadUrlSigner;
import dev.assetlib.app.review.CompletionPublisher;
import dev.assetlib.app.review.PollSchedule;
import dev.assetlib.app.review.ReviewStarter;
import dev.assetlib.app.review.ReviewWorkflow;
import java.time.Clock;
import java.time.Duration;

/**
 * The composition root: builds each service with its collaborators, on first use, so a function
 * builds only the clients it needs. In Lambda one instance serves the execution environment
 * ({@link #lambda()}); the local stack and tests build their own with local clients.
 */
public final class Services {
    private static Services lambdaInstance;
    /**
     * How long one call of the upstream reviewer may take in all: StatusCheckFunction's time-out is
     * 20 s, and a task that timed out would not be retried but fail its assets.
     */
    static final Duration UPSTREAM_CALL_BUDGET = Duration.ofSeconds(12);

    private final Config config;
    private final AwsClients clients;
    private final Clock clock;
    private final Clock wallClock;
    private final String upstreamApiKey;
    private AssetStore assetStore;
    private Reviewer reviewer;
    private HumanReviewStore humanReviewStore;
    private HumanReviewService humanReviewService;
    private ApiKeyStore apiKeyStore;
    private UploadService uploadService;
    private ReviewWorkflow reviewWorkflow;
    private ReviewStarter reviewStarter;
    private CompletionPublisher completionPublisher;
    private IdempotencyRecords idempotencyRecords;
    private Idempotency idempotency;
    private AssetListing assetListing;
    private AssetHistory assetHistory;
    private ReferenceCheck referenceCheck;
    private AssetManagement assetManagement;
    private UploadUrlSigner uploadUrlSigner;
    private DirectUploadService directUploadService;
    private UploadReceiver uploadReceiver;
    private IngestService ingestService;

    public Services(Config config, AwsClients clients, Clock clock) {
        this(config, clients, clock, clock, null);
    }

    /**
     * @param clock          the service's time: asset times, review delays, deadlines, polling
     * @param wallClock      the time of request-level leases (idempotency), which guard concurrent
     *                       requests in real time. The two differ only in the local stack, whose
     *                       {@code --time-scale} speeds up the first and must not shorten the second.
     * @param upstreamApiKey the upstream reviewer's key given directly (the local stack's
     *                       {@code --upstream-key}); null in AWS, where it is read from the Secrets
     *                       Manager secret that {@code UPSTREAM_API_KEY_SECRET} names. It is never an
     *                       environment variable.
     */
    public Services(Config config, AwsClients clients, Clock clock, Clock wallClock, String upstreamApiKey) {
        this.config = config;
        this.clients = clients;
        this.clock = clock;
        this.wallClock = wallClock;
        this.upstreamApiKey = upstreamApiKey;
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

    public synchronized AssetStore assetStore() {
        if (assetStore == null) {
            assetStore = new AssetStore(clients.dynamoDb(), config.require(Config.ASSETS_TABLE), new AssetIds());
        }
        return assetStore;
    }

    public synchronized ApiKeyStore apiKeyStore() {
        if (apiKeyStore == null) {
            apiKeyStore = new ApiKeyStore(clients.dynamoDb(), config.require(Config.ASSETS_TABLE));
        }
        return apiKeyStore;
    }

    public synchronized ReviewStarter reviewStarter() {
        if (reviewStarter == null) {
            reviewStarter = new ReviewStarter(clients.sfn(), config.require(Config.REVIEW_STATE_MACHINE_ARN));
        }
        return reviewStarter;
    }

    public synchronized CompletionPublisher completionPublisher() {
        if (completionPublisher == null) {
            completionPublisher = new CompletionPublisher(clients.sqs(), config.require(Config.COMPLETION_QUEUE_URL));
        }
        return completionPublisher;
    }

    public synchronized UploadService uploadService() {
        if (uploadService == null) {
            uploadService = new UploadService(assetStore(), reviewStarter(), config.reviewDeadline(), config.uploadWait(), clock);
        }
        return uploadService;
    }

    /** The idempotency records of both the HTTP upload routes and the ingest consumer (one mechanism). */
    public synchronized IdempotencyRecords idempotencyRecords() {
        if (idempotencyRecords == null) {
            idempotencyRecords = new IdempotencyRecords(clients.dynamoDb(), config.require(Config.ASSETS_TABLE));
        }
        return idempotencyRecords;
    }

    public synchronized Idempotency idempotency() {
        if (idempotency == null) {
            idempotency = new Idempotency(idempotencyRecords(), uploadService(), wallClock);
        }
        return idempotency;
    }

    /** Reads the list token key (Secrets Manager in AWS) once, when the function initialises. */
    public synchronized AssetListing assetListing() {
        if (assetListing == null) {
            ListTokens tokens = new ListTokens(ListTokenKeys.load(config, clients::secretsManager));
            assetListing = new AssetListing(new AssetLists(clients.dynamoDb(), config.require(Config.ASSETS_TABLE)), tokens);
        }
        return assetListing;
    }

    public synchronized AssetHistory assetHistory() {
        if (assetHistory == null) {
            assetHistory = new AssetHistory(assetStore(), clock);
        }
        return assetHistory;
    }

    public synchronized ReferenceCheck referenceCheck() {
        if (referenceCheck == null) {
            referenceCheck = new ReferenceCheck(assetStore());
        }
        return referenceCheck;
    }

    public synchronized AssetManagement assetManagement() {
        if (assetManagement == null) {
            assetManagement = new AssetManagement(assetStore(), completionPublisher(), reviewStarter(),
                    config.deletedRetention(), clock);
        }
        return assetManagement;
    }

    public synchronized ReviewWorkflow reviewWorkflow() {
        if (reviewWorkflow == null) {
            PollSchedule schedule = new PollSchedule(config.pollFirstSeconds(), config.pollGrowthFactor(), config.pollMaxSeconds());
            reviewWorkflow = new ReviewWorkflow(assetStore(), reviewer(), completionPublisher(), schedule, clock);
        }
        return reviewWorkflow;
    }

    /** S3 presigned PUTs for the configured bucket, unless the local stack put its own signer in place. */
    public synchronized UploadUrlSigner uploadUrlSigner() {
        if (uploadUrlSigner == null) {
            uploadUrlSigner = new S3UploadUrlSigner(clients.s3Presigner(), config.require(Config.UPLOAD_BUCKET));
        }
        return uploadUrlSigner;
    }

    /** The local stack's stand-in for S3 presigning (a URL it serves itself); call before first use. */
    public synchronized void useUploadUrlSigner(UploadUrlSigner signer) {
        if (directUploadService != null) {
            throw new IllegalStateException("the upload URL signer is already in use");
        }
        this.uploadUrlSigner = signer;
    }

    public synchronized DirectUploadService directUploadService() {
        if (directUploadService == null) {
            directUploadService = new DirectUploadService(uploadService(), uploadUrlSigner(), config.uploadUrlExpiry());
        }
        return directUploadService;
    }

    public synchronized UploadReceiver uploadReceiver() {
        if (uploadReceiver == null) {
            uploadReceiver = new UploadReceiver(assetStore(), clock);
        }
        return uploadReceiver;
    }

    public synchronized IngestService ingestService() {
        if (ingestService == null) {
            ingestService = new IngestService(uploadService(), idempotencyRecords(), apiKeyStore(), completionPublisher(),
                    config.maxBatchUrls(), clock, wallClock);
        }
        return ingestService;
    }

    public synchronized HumanReviewStore humanReviewStore() {
        if (humanReviewStore == null) {
            humanReviewStore = new HumanReviewStore(clients.dynamoDb(), config.require(Config.ASSETS_TABLE), assetStore());
        }
        return humanReviewStore;
    }

    /** The review routes' service; its paging tokens are signed with the deployment's own key (made on first use). */
    public synchronized HumanReviewService humanReviewService() {
        if (humanReviewService == null) {
            SigningKeyStore keys = new SigningKeyStore(clients.dynamoDb(), config.require(Config.ASSETS_TABLE), new SecureRandom());
            humanReviewService = new HumanReviewService(humanReviewStore(),
                    new PageTokens(() -> keys.key("review-pending-token")), clock);
        }
        return humanReviewService;
    }

    /** The reviewer adapter that {@code REVIEWER} chooses, built once (the upstream one reads its key here). */
    public synchronized Reviewer reviewer() {
        if (reviewer == null) {
            reviewer = switch (config.reviewer()) {
                case "simulated" -> new SimulatedReviewer(config.simulatedReviewDelay(),
                        RejectRule.parseAll(config.simulatedRejectRules()), clock);
                case "upstream" -> upstreamReviewer();
                case "human" -> new HumanReviewer(humanReviewStore(), clock);
                default -> throw new IllegalStateException(Config.REVIEWER + " \"" + config.reviewer()
                        + "\" is not known: use simulated, upstream or human");
            };
        }
        return reviewer;
    }

    private Reviewer upstreamReviewer() {
        UpstreamApiKey key = upstreamApiKey != null ? UpstreamApiKey.fixed(upstreamApiKey)
                : new SecretsManagerApiKey(clients.secretsManager(), config.require(Config.UPSTREAM_API_KEY_SECRET));
        UpstreamClient client = new UpstreamClient(config.upstreamBaseUrl(), key,
                Duration.ofSeconds(3).compareTo(config.upstreamTimeout()) < 0 ? Duration.ofSeconds(3) : config.upstreamTimeout(),
                config.upstreamTimeout());
        return new UpstreamReviewer(client, config.upstreamBatchSize(), UPSTREAM_CALL_BUDGET);
    }
}
