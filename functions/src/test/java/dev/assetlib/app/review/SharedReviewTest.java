package dev.assetlib.app.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.Services;
import dev.assetlib.app.upload.UploadRequests;
import dev.assetlib.aws.AwsClients;
import dev.assetlib.config.Config;
import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetIds;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.domain.AssetType;
import dev.assetlib.json.Json;
import dev.assetlib.json.JsonCodec;
import dev.assetlib.review.RejectRule;
import dev.assetlib.review.ReviewDecision;
import dev.assetlib.review.ReviewItem;
import dev.assetlib.review.ReviewTicket;
import dev.assetlib.review.Reviewer;
import dev.assetlib.review.SimulatedReviewer;
import dev.assetlib.review.SubmitOutcome;
import dev.assetlib.store.AssetStore;
import dev.assetlib.testing.FakeSfnClient;
import dev.assetlib.testing.Fixture;
import dev.assetlib.testing.LocalAws;
import dev.assetlib.testing.LocalDynamoDb;
import dev.assetlib.testing.LocalSqs;
import dev.assetlib.testing.MutableClock;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Shared review executions (issue 19, ReviewStartMode shared) against DynamoDB Local and ElasticMQ:
 * uploads of several accounts queued, one execution started for them by the starter, reviewed with
 * one reviewer call per round, each account isolated from the others' faults. Step Functions is the
 * recording FAKE (the real interpreter runs in local/'s SharedReviewStackTest).
 */
@ExtendWith(LocalAws.class)
class SharedReviewTest {
    private AwsClients clients;
    private String table;
    private String completionQueue;
    private String startQueue;
    private FakeSfnClient sfn;
    private MutableClock clock;
    private Services services;

    @BeforeEach
    void setUp(LocalAws aws) {
        clients = aws.clients();
        table = LocalDynamoDb.newTable(clients);
        completionQueue = LocalSqs.newFifoQueue(clients.sqs());
        startQueue = clients.sqs().createQueue(r -> r.queueName("review-start-" + UUID.randomUUID())).queueUrl();
        sfn = new FakeSfnClient();
        clock = new MutableClock(Instant.parse("2026-03-30T14:21:58Z"));
        Map<String, String> env = new HashMap<>();
        env.put(Config.ASSETS_TABLE, table);
        env.put(Config.COMPLETION_QUEUE_URL, completionQueue);
        env.put(Config.REVIEW_STATE_MACHINE_ARN, Fixture.STATE_MACHINE);
        env.put(Config.REVIEW_START_MODE, "shared");
        env.put(Config.REVIEW_START_QUEUE_URL, startQueue);
        env.put(Config.LIST_TOKEN_KEY, "k".repeat(40));
        services = new Services(new Config(env), clients, Services.Clocks.of(clock), Services.Overrides.NONE.withStepFunctions(sfn));
    }

    private Asset single(String account, String url) {
        return services.uploadService().single(account, new UploadRequests.SingleUpload(AssetType.Image, url, null, false), null)
                .uploaded().get(0).asset();
    }

    private List<Asset> batch(String account, String... urls) {
        return services.uploadService().batch(account, new UploadRequests.BatchUpload(
                Arrays.stream(urls).map(u -> new UploadRequests.BatchItem(AssetType.Image, u)).toList(), List.of(), false), null)
                .uploaded().stream().map(u -> u.asset()).toList();
    }

    /** What the starter function is handed: the queued review-start messages (received, not deleted). */
    private List<SharedReviewStart.Message> queued() {
        List<SharedReviewStart.Message> all = new ArrayList<>();
        for (Message m : LocalSqs.drain(clients.sqs(), startQueue)) {
            all.add(new SharedReviewStart.Message(m.messageId(), m.body()));
        }
        return all;
    }

    private ReviewState input(int execution) throws Exception {
        return ReviewState.fromJson(JsonCodec.parse(sfn.started.get(execution).input()));
    }

    private ReviewWorkflow workflow(AssetStore store, Reviewer reviewer) {
        return new ReviewWorkflow(store, reviewer, new CompletionPublisher(clients.sqs(), completionQueue),
                new PollSchedule(2, 1.5, 60), clock);
    }

    private Reviewer simulated(String rejectPattern) {
        return new SimulatedReviewer(Duration.ofSeconds(5), rejectPattern == null ? List.of()
                : List.of(new RejectRule(Pattern.compile(rejectPattern), "real-person face without authorisation")), clock);
    }

    /** Completion messages by asset id: every asset must have exactly one. */
    private Map<String, List<JsonNode>> completions() throws Exception {
        Map<String, List<JsonNode>> byAsset = new LinkedHashMap<>();
        for (Message m : LocalSqs.drain(clients.sqs(), completionQueue)) {
            JsonNode body = Json.MAPPER.readTree(m.body());
            byAsset.computeIfAbsent(body.get("assetId").asText(), k -> new ArrayList<>()).add(body);
        }
        return byAsset;
    }

    private Asset stored(Asset a) {
        return services.assetStore().get(a.accountId(), a.assetId()).orElseThrow();
    }

    @Test
    void uploadsOfTwoAccountsShareOneExecutionAndOneAccountsRejectionFailsOnlyItsAsset() throws Exception {
        Asset face = single("acct-a", "https://example.com/face.jpg");
        Asset cat = single("acct-b", "https://example.com/cat.jpg");
        List<Asset> dogs = batch("acct-b", "https://example.com/dog1.jpg", "https://example.com/dog2.jpg");
        assertThat(sfn.started).as("an upload in shared mode starts no execution itself").isEmpty();

        SharedReviewStart.Outcome outcome = services.sharedReviewStart().start(queued());

        assertThat(outcome.failedMessageIds()).isEmpty();
        assertThat(sfn.started).hasSize(1);
        assertThat(outcome.executions()).containsExactly(sfn.started.get(0).name());
        assertThat(sfn.started.get(0).name()).startsWith(ReviewStarter.SHARED_PREFIX);
        ReviewState shared = input(0);
        assertThat(shared.accountId()).as("a shared execution has no account of its own").isNull();
        assertThat(shared.assets()).extracting(ReviewState.PendingAsset::accountId)
                .containsExactly("acct-a", "acct-b", "acct-b", "acct-b");
        assertThat(shared.assets()).extracting(ReviewState.PendingAsset::kind)
                .containsExactly(ReviewState.SINGLE, ReviewState.SINGLE, ReviewState.BATCH, ReviewState.BATCH);

        List<Integer> checkCalls = new ArrayList<>();
        Reviewer reviewer = counting(simulated("face"), checkCalls);
        ReviewWorkflow wf = workflow(services.assetStore(), reviewer);
        ReviewState s = wf.submit(shared);
        assertThat(stored(dogs.get(0)).status()).as("a batch's asset moves from submitted").isEqualTo(AssetStatus.Processing);
        clock.advance(Duration.ofSeconds(10));
        s = wf.check(s);

        assertThat(s.done()).isTrue();
        assertThat(checkCalls).as("one reviewer call per round for the whole shared batch").containsExactly(4);
        assertThat(stored(face).status()).isEqualTo(AssetStatus.Failed);
        assertThat(stored(face).errorCode()).isEqualTo("REVIEW_REJECTED");
        assertThat(stored(cat).status()).isEqualTo(AssetStatus.Active);
        assertThat(stored(dogs.get(0)).status()).isEqualTo(AssetStatus.Active);
        assertThat(stored(dogs.get(1)).status()).isEqualTo(AssetStatus.Active);
        Map<String, List<JsonNode>> sent = completions();
        assertThat(sent).containsOnlyKeys(face.assetId(), cat.assetId(), dogs.get(0).assetId(), dogs.get(1).assetId());
        sent.values().forEach(messages -> assertThat(messages).hasSize(1));
        assertThat(sent.get(face.assetId()).get(0).get("accountId").asText()).isEqualTo("acct-a");
        assertThat(sent.get(cat.assetId()).get(0).get("accountId").asText()).isEqualTo("acct-b");

        wf.check(s); // the state machine retrying the last check (its output lost) sends nothing more
        assertThat(completions()).isEmpty();
    }

    @Test
    void aRedeliveredBatchStartsNoSecondExecutionWhateverTheOrderOfItsMessages() {
        single("acct-a", "https://example.com/1.jpg");
        single("acct-b", "https://example.com/2.jpg");
        single("acct-c", "https://example.com/3.jpg");
        List<SharedReviewStart.Message> messages = queued();

        SharedReviewStart.Outcome first = services.sharedReviewStart().start(messages);
        List<SharedReviewStart.Message> reversed = new ArrayList<>(messages);
        java.util.Collections.reverse(reversed);
        SharedReviewStart.Outcome again = services.sharedReviewStart().start(reversed);

        assertThat(sfn.started).hasSize(1);
        assertThat(again.executions()).isEqualTo(first.executions());
        assertThat(again.failedMessageIds()).as("already started is done: nothing redelivered").isEmpty();
    }

    @Test
    void theStarterPacksUploadsIntoExecutionsOfAtMostNAssetsNeverSplittingAnUpload() throws Exception {
        single("acct-a", "https://example.com/1.jpg");
        batch("acct-b", "https://example.com/2.jpg", "https://example.com/3.jpg");
        single("acct-c", "https://example.com/4.jpg");
        single("acct-a", "https://example.com/5.jpg");

        new SharedReviewStart(services.reviewStarter(), 2).start(queued());

        assertThat(sfn.started).hasSize(3);
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sizes.add(input(i).assets().size());
        }
        assertThat(sizes).containsExactly(1, 2, 2);
    }

    @Test
    void aStartThatFailsReportsOnlyItsOwnMessagesForRedelivery() {
        single("acct-a", "https://example.com/1.jpg");
        single("acct-b", "https://example.com/2.jpg");
        List<SharedReviewStart.Message> messages = queued();
        sfn.failWith = software.amazon.awssdk.services.sfn.model.SfnException.builder().message("throttled").statusCode(400).build();
        List<SharedReviewStart.Message> withGarbage = new ArrayList<>(messages);
        withGarbage.add(new SharedReviewStart.Message("garbage", "{\"not\":\"a review\"}"));

        SharedReviewStart.Outcome outcome = services.sharedReviewStart().start(withGarbage);

        assertThat(outcome.failedMessageIds()).containsExactlyInAnyOrder(messages.get(0).id(), messages.get(1).id(), "garbage");
        sfn.failWith = null;
        assertThat(services.sharedReviewStart().start(messages).failedMessageIds()).isEmpty();
        assertThat(sfn.started).hasSize(1);
    }

    @Test
    void oneAccountsStoreFaultLeavesOnlyItsAssetsPendingAndTheyFinishOnceItHeals() throws Exception {
        Asset a = single("acct-a", "https://example.com/a.jpg");
        Asset b = single("acct-b", "https://example.com/b.jpg");
        services.sharedReviewStart().start(queued());
        FaultyAccount faulty = new FaultyAccount(clients.dynamoDb(), "acct-b");
        ReviewWorkflow wf = workflow(new AssetStore(faulty.client(), table, new AssetIds()), simulated(null));

        faulty.failing = true;
        ReviewState s = wf.submit(input(0));
        assertThat(s.assets()).filteredOn(p -> p.accountId().equals("acct-a")).allMatch(p -> p.ref() != null);
        assertThat(s.assets()).filteredOn(p -> p.accountId().equals("acct-b")).allMatch(p -> p.ref() == null);
        clock.advance(Duration.ofSeconds(6));
        s = wf.check(s);
        assertThat(stored(a).status()).isEqualTo(AssetStatus.Active);
        assertThat(s.done()).isFalse();
        assertThat(s.assets()).extracting(ReviewState.PendingAsset::assetId).containsExactly(b.assetId());

        // When every account of the review faults, the task fails as a whole (the state machine retries it).
        ReviewState onlyB = s;
        assertThatThrownBy(() -> wf.check(onlyB)).isInstanceOf(RuntimeException.class);

        faulty.failing = false;
        s = wf.check(s);
        clock.advance(Duration.ofSeconds(6));
        s = wf.check(s);
        assertThat(s.done()).isTrue();
        assertThat(stored(b).status()).isEqualTo(AssetStatus.Active);
        Map<String, List<JsonNode>> sent = completions();
        assertThat(sent).containsOnlyKeys(a.assetId(), b.assetId());
        sent.values().forEach(messages -> assertThat(messages).hasSize(1));
    }

    @Test
    void oneAccountsRefusalAtSubmissionFailsOnlyItsAssets() throws Exception {
        Asset a = single("acct-a", "https://example.com/a.jpg");
        Asset b = single("acct-b", "https://example.com/b.jpg");
        services.sharedReviewStart().start(queued());
        Reviewer inner = simulated(null);
        Reviewer refusingA = new Reviewer() {
            public String name() {
                return inner.name();
            }

            public Map<String, SubmitOutcome> submit(List<ReviewItem> items) {
                Map<String, SubmitOutcome> out = new HashMap<>(inner.submit(items.stream().filter(i -> !i.accountId().equals("acct-a")).toList()));
                items.stream().filter(i -> i.accountId().equals("acct-a"))
                        .forEach(i -> out.put(i.assetId(), new SubmitOutcome.Refused("REVIEW_REJECTED", "not reviewable")));
                return out;
            }

            public Map<String, ReviewDecision> check(List<ReviewTicket> tickets) {
                return inner.check(tickets);
            }
        };
        ReviewWorkflow wf = workflow(services.assetStore(), refusingA);
        ReviewState s = wf.submit(input(0));
        assertThat(stored(a).status()).isEqualTo(AssetStatus.Failed);
        assertThat(stored(b).status()).isEqualTo(AssetStatus.Processing);
        clock.advance(Duration.ofSeconds(6));
        s = wf.check(s);
        assertThat(s.done()).isTrue();
        assertThat(stored(b).status()).isEqualTo(AssetStatus.Active);
        assertThat(completions()).containsOnlyKeys(a.assetId(), b.assetId());
    }

    @Test
    void aDeleteInsideASharedExecutionMarksOnlyThatAssetAndStopsNothing() throws Exception {
        Asset gone = single("acct-a", "https://example.com/gone.jpg");
        Asset kept = single("acct-b", "https://example.com/kept.jpg");
        services.sharedReviewStart().start(queued());
        ReviewWorkflow wf = workflow(services.assetStore(), simulated(null));
        ReviewState s = wf.submit(input(0));

        services.assetManagement().delete("acct-a", gone.assetId());

        assertThat(sfn.stopped).as("a shared execution reviews other uploads too: never stopped").isEmpty();
        clock.advance(Duration.ofSeconds(6));
        s = wf.check(s);
        assertThat(s.done()).isTrue();
        assertThat(stored(kept).status()).isEqualTo(AssetStatus.Active);
        Asset deleted = stored(gone);
        assertThat(deleted.status()).isEqualTo(AssetStatus.Failed);
        assertThat(deleted.errorCode()).isEqualTo("DELETED");
        Map<String, List<JsonNode>> sent = completions();
        assertThat(sent.get(gone.assetId())).hasSize(1);
        assertThat(sent.get(gone.assetId()).get(0).get("errorCode").asText()).isEqualTo("DELETED");
        assertThat(sent.get(kept.assetId())).hasSize(1);
    }

    @Test
    void aOneUploadReviewKeepsItsJsonWhileASharedOneCarriesEachAssetsAccount() {
        ReviewState one = new ReviewState("acct-a", "b1", ReviewState.SINGLE, 100, 0, 0, false,
                List.of(new ReviewState.PendingAsset("x1", "Image", "https://e/1", null)), null);
        assertThat(one.toJson().toString()).doesNotContain("\"accountId\":\"acct-a\",\"assetId\"")
                .isEqualTo("{\"accountId\":\"acct-a\",\"batchId\":\"b1\",\"kind\":\"single\",\"deadline\":100,\"round\":0,"
                        + "\"waitSeconds\":0,\"done\":false,\"pending\":[{\"assetId\":\"x1\",\"assetType\":\"Image\",\"url\":\"https://e/1\"}]}");
        ReviewState two = new ReviewState("acct-b", "b2", ReviewState.BATCH, 90, 0, 0, false,
                List.of(new ReviewState.PendingAsset("x2", "Image", "https://e/2", null)), null);
        ReviewState shared = ReviewState.shared("shared-1", List.of(one, two));
        ReviewState back = ReviewState.fromJson(shared.toJson());
        assertThat(back.deadline()).as("the earliest deadline of its uploads").isEqualTo(90);
        assertThat(back.assets()).extracting(p -> p.accountId() + "/" + p.kind())
                .containsExactly("acct-a/single", "acct-b/batch");
        assertThat(back.accountsKnown()).isTrue();
    }

    private static Reviewer counting(Reviewer inner, List<Integer> checkCalls) {
        return new Reviewer() {
            public String name() {
                return inner.name();
            }

            public Map<String, SubmitOutcome> submit(List<ReviewItem> items) {
                return inner.submit(items);
            }

            public Map<String, ReviewDecision> check(List<ReviewTicket> tickets) {
                checkCalls.add(tickets.size());
                return inner.check(tickets);
            }
        };
    }

    /**
     * A DynamoDB client that FAILS every call naming one account's partition while {@code failing}
     * (a throttled hot partition): the rest goes to DynamoDB Local.
     */
    static final class FaultyAccount {
        private final DynamoDbClient real;
        private final String marker;
        volatile boolean failing;

        FaultyAccount(DynamoDbClient real, String account) {
            this.real = real;
            this.marker = "ACCOUNT#" + account;
        }

        DynamoDbClient client() {
            InvocationHandler handler = (proxy, method, args) -> {
                if (method.isDefault() && args != null && Arrays.stream(args).anyMatch(x -> x instanceof Consumer)) {
                    return InvocationHandler.invokeDefault(proxy, method, args); // builds the request, then comes back here
                }
                if (failing && args != null && Arrays.stream(args).map(String::valueOf).collect(Collectors.joining()).contains(marker)) {
                    throw DynamoDbException.builder().message("throttled: " + marker).statusCode(400).build();
                }
                try {
                    return method.invoke(real, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            };
            return (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(),
                    new Class<?>[] {DynamoDbClient.class}, handler);
        }
    }
}
