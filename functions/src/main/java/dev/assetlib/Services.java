package dev.assetlib;

import dev.assetlib.api.UploadService;
import dev.assetlib.auth.ApiKeyStore;
import dev.assetlib.aws.AwsClients;
import dev.assetlib.config.Config;
import dev.assetlib.domain.AssetIds;
import dev.assetlib.review.RejectRule;
import dev.assetlib.review.Reviewer;
import dev.assetlib.review.SimulatedReviewer;
import dev.assetlib.ingest.IngestIdempotency;
import dev.assetlib.ingest.IngestService;
import dev.assetlib.store.AssetStore;
import dev.assetlib.upload.DirectUploadService;
import dev.assetlib.upload.S3UploadUrlSigner;
import dev.assetlib.upload.UploadReceiver;
import dev.assetlib.upload.UploadUrlSigner;
import dev.assetlib.workflow.CompletionPublisher;
import dev.assetlib.workflow.PollSchedule;
import dev.assetlib.workflow.ReviewStarter;
import dev.assetlib.workflow.ReviewWorkflow;
import java.time.Clock;

/**
 * The composition root: builds each service with its collaborators, on first use, so a function
 * builds only the clients it needs. In Lambda one instance serves the execution environment
 * ({@link #lambda()}); the local stack and tests build their own with local clients.
 */
public final class Services {
    private static Services lambdaInstance;

    private final Config config;
    private final AwsClients clients;
    private final Clock clock;
    private AssetStore assetStore;
    private ApiKeyStore apiKeyStore;
    private UploadService uploadService;
    private ReviewWorkflow reviewWorkflow;
    private UploadUrlSigner uploadUrlSigner;
    private DirectUploadService directUploadService;
    private UploadReceiver uploadReceiver;
    private IngestService ingestService;

    public Services(Config config, AwsClients clients, Clock clock) {
        this.config = config;
        this.clients = clients;
        this.clock = clock;
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

    public synchronized UploadService uploadService() {
        if (uploadService == null) {
            ReviewStarter starter = new ReviewStarter(clients.sfn(), config.require(Config.REVIEW_STATE_MACHINE_ARN));
            uploadService = new UploadService(assetStore(), starter, config.reviewDeadline(), config.uploadWait(), clock);
        }
        return uploadService;
    }

    public synchronized ReviewWorkflow reviewWorkflow() {
        if (reviewWorkflow == null) {
            CompletionPublisher completions = new CompletionPublisher(clients.sqs(), config.require(Config.COMPLETION_QUEUE_URL));
            PollSchedule schedule = new PollSchedule(config.pollFirstSeconds(), config.pollGrowthFactor(), config.pollMaxSeconds());
            reviewWorkflow = new ReviewWorkflow(assetStore(), reviewer(), completions, schedule, clock);
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
            CompletionPublisher completions = new CompletionPublisher(clients.sqs(), config.require(Config.COMPLETION_QUEUE_URL));
            ingestService = new IngestService(uploadService(), new IngestIdempotency(clients.dynamoDb(), config.require(Config.ASSETS_TABLE)),
                    apiKeyStore(), completions, config.maxBatchUrls(), clock);
        }
        return ingestService;
    }

    public Reviewer reviewer() {
        String kind = config.reviewer();
        if (kind.equals("simulated")) {
            return new SimulatedReviewer(config.simulatedReviewDelay(), RejectRule.parseAll(config.simulatedRejectRules()), clock);
        }
        throw new IllegalStateException(Config.REVIEWER + " \"" + kind + "\" is not known: use simulated");
    }
}
