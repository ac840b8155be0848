package dev.assetlib.testing;

import dev.assetlib.app.query.AssetHistory;
import dev.assetlib.app.query.AssetListing;
import dev.assetlib.app.manage.AssetManagement;
import dev.assetlib.api.AssetQueryHandler;
import dev.assetlib.app.idempotency.Idempotency;
import dev.assetlib.app.query.ListTokens;
import dev.assetlib.api.ManageHandler;
import dev.assetlib.app.query.ReferenceCheck;
import dev.assetlib.api.UploadHandler;
import dev.assetlib.app.upload.UploadService;
import dev.assetlib.aws.AwsClients;
import dev.assetlib.domain.AssetIds;
import dev.assetlib.review.Reviewer;
import dev.assetlib.store.AssetLists;
import dev.assetlib.store.AssetStore;
import dev.assetlib.store.IdempotencyRecords;
import dev.assetlib.app.review.CompletionPublisher;
import dev.assetlib.app.review.PollSchedule;
import dev.assetlib.app.review.ReviewStarter;
import dev.assetlib.app.review.ReviewWorkflow;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

/**
 * Every service and handler wired as {@code Services} wires them, against DynamoDB Local, an
 * ElasticMQ FIFO queue, the recording FAKE Step Functions client and a given clock. Each fixture
 * has its own table, queue and random list-token key.
 */
public final class Fixture {
    public static final String STATE_MACHINE = "arn:aws:states:us-east-1:000000000000:stateMachine:AssetReview";
    public static final Duration RETENTION = Duration.ofDays(30);

    public final AwsClients clients;
    public final String table;
    public final String queue;
    public final FakeSfnClient sfn = new FakeSfnClient();
    public final Clock clock;
    public final AssetStore store;
    public final CompletionPublisher completions;
    public final ReviewStarter starter;
    public final UploadService uploads;
    public final Idempotency idempotency;
    public final UploadHandler uploadHandler;
    public final AssetQueryHandler queryHandler;
    public final ManageHandler manageHandler;
    public final byte[] tokenKey = new byte[32];

    public Fixture(AwsClients clients, Clock clock) {
        this(clients, LocalDynamoDb.newTable(clients), clock);
    }

    public Fixture(AwsClients clients, String table, Clock clock) {
        this.clients = clients;
        this.table = table;
        this.queue = LocalSqs.newFifoQueue(clients.sqs());
        this.clock = clock;
        new SecureRandom().nextBytes(tokenKey);
        this.store = new AssetStore(clients.dynamoDb(), table, new AssetIds());
        this.completions = new CompletionPublisher(clients.sqs(), queue);
        this.starter = new ReviewStarter(sfn, STATE_MACHINE);
        this.uploads = new UploadService(store, starter, Duration.ofHours(24), clock);
        this.idempotency = new Idempotency(new IdempotencyRecords(clients.dynamoDb(), table), uploads, clock);
        this.uploadHandler = new UploadHandler(uploads, idempotency, 20);
        this.queryHandler = new AssetQueryHandler(store,
                new AssetListing(new AssetLists(clients.dynamoDb(), table), new ListTokens(tokenKey)),
                new AssetHistory(store, clock), new ReferenceCheck(store));
        this.manageHandler = new ManageHandler(new AssetManagement(store, completions, starter, RETENTION, clock));
    }

    public ReviewWorkflow workflow(Reviewer reviewer) {
        return new ReviewWorkflow(store, reviewer, completions, new PollSchedule(2, 1.5, 60), clock);
    }

    /** The upload handler of another store over the same table (for the tests that build their own store). */
    public static UploadHandler uploadHandler(AwsClients clients, AssetStore store, FakeSfnClient sfn, Clock clock) {
        UploadService uploads = new UploadService(store, new ReviewStarter(sfn, STATE_MACHINE), Duration.ofHours(24), clock);
        return new UploadHandler(uploads, new Idempotency(new IdempotencyRecords(clients.dynamoDb(), store.table()), uploads, clock), 20);
    }

    public static AssetQueryHandler queryHandler(AwsClients clients, AssetStore store) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new AssetQueryHandler(store, new AssetListing(new AssetLists(clients.dynamoDb(), store.table()), new ListTokens(key)),
                new AssetHistory(store, Clock.systemUTC()), new ReferenceCheck(store));
    }
}
