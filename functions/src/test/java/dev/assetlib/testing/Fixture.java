package dev.assetlib.testing;

import dev.assetlib.Services;
import dev.assetlib.api.AssetQueryHandler;
import dev.assetlib.api.ManageHandler;
import dev.assetlib.api.UploadHandler;
import dev.assetlib.app.idempotency.IdempotentExecutor;
import dev.assetlib.app.review.CompletionPublisher;
import dev.assetlib.app.review.PollSchedule;
import dev.assetlib.app.review.ReviewStarter;
import dev.assetlib.app.review.ReviewWorkflow;
import dev.assetlib.app.upload.UploadService;
import dev.assetlib.aws.AwsClients;
import dev.assetlib.config.Config;
import dev.assetlib.review.Reviewer;
import dev.assetlib.store.AssetStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The composition root ({@link Services}) against DynamoDB Local, an ElasticMQ FIFO queue, the
 * recording FAKE Step Functions client and a given clock, with its handlers. Each fixture has its
 * own table, queue and random list-token key.
 */
public final class Fixture {
    public static final String STATE_MACHINE = "arn:aws:states:us-east-1:000000000000:stateMachine:AssetReview";
    public static final Duration RETENTION = Duration.ofDays(30);

    public final AwsClients clients;
    public final String table;
    public final String queue;
    public final FakeSfnClient sfn;
    public final Clock clock;
    public final Services services;
    public final AssetStore store;
    public final CompletionPublisher completions;
    public final ReviewStarter starter;
    public final UploadService uploads;
    public final IdempotentExecutor idempotency;
    public final UploadHandler uploadHandler;
    public final AssetQueryHandler queryHandler;
    public final ManageHandler manageHandler;

    public Fixture(AwsClients clients, Clock clock) {
        this(clients, LocalDynamoDb.newTable(clients), clock);
    }

    public Fixture(AwsClients clients, String table, Clock clock) {
        this(clients, table, LocalSqs.newFifoQueue(clients.sqs()), new FakeSfnClient(), clock);
    }

    private Fixture(AwsClients clients, String table, String queue, FakeSfnClient sfn, Clock clock) {
        this.clients = clients;
        this.table = table;
        this.queue = queue;
        this.sfn = sfn;
        this.clock = clock;
        this.services = services(clients, table, queue, sfn, clock);
        this.store = services.assetStore();
        this.completions = services.completionPublisher();
        this.starter = services.reviewStarter();
        this.uploads = services.uploadService();
        this.idempotency = services.idempotentExecutor();
        this.uploadHandler = new UploadHandler(services);
        this.queryHandler = new AssetQueryHandler(services);
        this.manageHandler = new ManageHandler(services);
    }

    /**
     * The services of a test: the template's defaults (24 h review deadline, 20 URLs per batch,
     * 30 days' retention of deleted assets), a random list-token key, and the FAKE Step Functions client.
     */
    public static Services services(AwsClients clients, String table, String queue, FakeSfnClient sfn, Clock clock) {
        return services(clients, table, queue, sfn, Services.Clocks.of(clock));
    }

    /** As above, with a service clock and a wall clock (leases) of their own. */
    public static Services services(AwsClients clients, String table, String queue, FakeSfnClient sfn, Services.Clocks clocks) {
        byte[] tokenKey = new byte[32];
        new SecureRandom().nextBytes(tokenKey);
        Map<String, String> env = new HashMap<>();
        env.put(Config.ASSETS_TABLE, table);
        if (queue != null) {
            env.put(Config.COMPLETION_QUEUE_URL, queue);
        }
        env.put(Config.REVIEW_STATE_MACHINE_ARN, STATE_MACHINE);
        env.put(Config.REVIEW_DEADLINE_SECONDS, Long.toString(Duration.ofHours(24).toSeconds()));
        env.put(Config.MAX_BATCH_URLS, "20");
        env.put(Config.DELETED_RETENTION_DAYS, Long.toString(RETENTION.toDays()));
        env.put(Config.LIST_TOKEN_KEY, Base64.getUrlEncoder().withoutPadding().encodeToString(tokenKey));
        return new Services(new Config(env), clients, clocks, Services.Overrides.NONE.withStepFunctions(sfn));
    }

    public ReviewWorkflow workflow(Reviewer reviewer) {
        return new ReviewWorkflow(store, reviewer, completions, new PollSchedule(2, 1.5, 60), clock);
    }

    /** The upload handler of another store over the same table (for the tests that build their own store). */
    public static UploadHandler uploadHandler(AwsClients clients, AssetStore store, FakeSfnClient sfn, Clock clock) {
        return new UploadHandler(services(clients, store.table(), null, sfn, clock));
    }

    public static AssetQueryHandler queryHandler(AwsClients clients, AssetStore store) {
        return new AssetQueryHandler(services(clients, store.table(), null, new FakeSfnClient(), Clock.systemUTC()));
    }
}
