package dev.assetlib.review.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.assetlib.testing.LocalAws;
import org.junit.jupiter.api.extension.ExtendWith;
import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.aws.AwsClients;
import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetIds;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.domain.AssetType;
import dev.assetlib.json.Json;
import dev.assetlib.review.ReviewItem;
import dev.assetlib.review.ReviewerUnavailableException;
import dev.assetlib.review.upstream.ScriptedUpstream.Fault;
import dev.assetlib.review.upstream.ScriptedUpstream.Route;
import dev.assetlib.store.AssetStore;
import dev.assetlib.store.NewAsset;
import dev.assetlib.testing.LocalSqs;
import dev.assetlib.testing.MutableClock;
import dev.assetlib.app.review.CompletionPublisher;
import dev.assetlib.app.review.PollSchedule;
import dev.assetlib.app.review.ReviewState;
import dev.assetlib.app.review.ReviewWorkflow;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The upstream reviewer against a scripted upstream (JDK HTTP server), driven through the real review
 * workflow on DynamoDB Local and ElasticMQ: every fault the upstream can throw at it, and the promise
 * that no asset is lost, none is marked Failed for a transient error, and none is uploaded twice.
 */
@ExtendWith(LocalAws.class)
class UpstreamReviewerContractTest {
    private static final String KEY = "upstream-key-for-tests";
    private static final String ACCOUNT = "acct-front";
    private static AwsClients clients;
    private static String table;

    private ScriptedUpstream upstream;
    private MutableClock clock;
    private String queue;
    private AssetStore store;
    private ReviewWorkflow workflow;
    private UpstreamReviewer reviewer;
    private final List<LogRecord> logged = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            synchronized (logged) {
                logged.add(r);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void startServers(LocalAws aws) {
        clients = aws.clients();
        table = aws.table();
    }

    @BeforeEach
    void setUp() throws Exception {
        upstream = new ScriptedUpstream(KEY);
        clock = new MutableClock(Instant.parse("2026-03-30T14:21:58Z"));
        queue = LocalSqs.newFifoQueue(clients.sqs());
        store = new AssetStore(clients.dynamoDb(), table, new AssetIds());
        reviewer = reviewer(upstream.baseUrl(), UpstreamApiKey.fixed(KEY));
        workflow = new ReviewWorkflow(store, reviewer, new CompletionPublisher(clients.sqs(), queue),
                new PollSchedule(2, 1.5, 60), clock);
        Logger.getLogger("dev.assetlib").addHandler(capture);
    }

    @AfterEach
    void tearDown() {
        Logger.getLogger("dev.assetlib").removeHandler(capture);
        upstream.close();
    }

    private static UpstreamReviewer reviewer(URI base, UpstreamApiKey key) {
        return new UpstreamReviewer(new UpstreamClient(base, key, Duration.ofMillis(500), Duration.ofMillis(400)),
                20, Duration.ofSeconds(10));
    }

    private ReviewState upload(String kind, AssetType type, String... urls) {
        AssetStatus first = kind.equals(ReviewState.BATCH) ? AssetStatus.submitted : AssetStatus.Processing;
        List<Asset> created = store.createAll(ACCOUNT, Arrays.stream(urls).map(u -> new NewAsset(type, u, null, first)).toList(),
                true, clock.instant());
        return new ReviewState(ACCOUNT, created.get(0).batchId(), kind, clock.instant().plus(Duration.ofHours(1)).getEpochSecond(),
                0, 0, false, created.stream().map(a -> new ReviewState.PendingAsset(a.assetId(), type.name(), a.url(), null)).toList(), null);
    }

    private ReviewState round(ReviewState s) {
        clock.advance(Duration.ofSeconds(s.waitSeconds()));
        return workflow.check(s);
    }

    private Asset asset(String id) {
        return store.get(ACCOUNT, id).orElseThrow();
    }

    private List<String> ids(ReviewState s) {
        return s.pending().stream().map(ReviewState.PendingAsset::assetId).toList();
    }

    private String upstreamIdOf(String ourId) {
        Map<String, AttributeValue> item = clients.dynamoDb().getItem(r -> r.tableName(table).key(Map.of(
                "pk", AttributeValue.fromS("ACCOUNT#" + ACCOUNT), "sk", AttributeValue.fromS("ASSET#" + ourId)))).item();
        String ref = item.get("reviewRef").s();
        assertThat(item.get("reviewer").s()).isEqualTo("upstream");
        return ref.substring(ref.indexOf(':') + 1);
    }

    private void assertNothingFailedOrSent(List<String> ids) {
        for (String id : ids) {
            assertThat(asset(id).status()).as("asset %s", id).isIn(AssetStatus.submitted, AssetStatus.Processing);
        }
        assertThat(LocalSqs.drain(clients.sqs(), queue)).isEmpty();
    }

    private List<LogRecord> severe() {
        synchronized (logged) {
            return logged.stream().filter(r -> r.getLevel() == Level.SEVERE).toList();
        }
    }

    @Test
    void aSingleAssetIsUploadedOnceAndAskedByDetailUntilActive() throws Exception {
        ReviewState initial = upload(ReviewState.SINGLE, AssetType.Image, "https://example.com/face.jpg");
        String id = ids(initial).get(0);

        ReviewState s = workflow.submit(initial);
        assertThat(upstream.count(Route.UPLOAD)).isEqualTo(1);
        ScriptedUpstream.Request up = upstream.of(Route.UPLOAD).get(0);
        assertThat(up.headers().get("authorization")).isEqualTo("Bearer " + KEY);
        assertThat(up.idempotencyKey()).startsWith("assetlib-");
        JsonNode body = Json.MAPPER.readTree(up.body());
        assertThat(body.get("assetType").asText()).isEqualTo("Image");
        assertThat(body.get("url").asText()).isEqualTo("https://example.com/face.jpg");
        assertThat(body.get("name").asText()).isEqualTo(id);
        String upstreamId = upstreamIdOf(id);
        assertThat(s.pending().get(0).ref()).isEqualTo("upstream-seedance:" + upstreamId);

        s = round(s);
        s = round(s);
        assertThat(upstream.count(Route.DETAIL)).isEqualTo(2);
        assertThat(asset(id).status()).isEqualTo(AssetStatus.Processing);

        upstream.statusOf.put(upstreamId, "Active");
        s = round(s);
        assertThat(s.done()).isTrue();
        assertThat(asset(id).status()).isEqualTo(AssetStatus.Active);
        assertThat(LocalSqs.drain(clients.sqs(), queue)).hasSize(1);
        assertThat(upstream.count(Route.UPLOAD)).isEqualTo(1);
        assertThat(upstream.count(Route.SD2_STATUS)).isZero();
    }

    @Test
    void aBatchIsOneUploadAndOneStatusCallPerRoundAndEndsAsTheUpstreamDecides() {
        ReviewState initial = upload(ReviewState.BATCH, AssetType.Image,
                "https://example.com/a.jpg", "https://example.com/b.jpg", "https://example.com/a.jpg");
        List<String> ours = ids(initial);

        ReviewState s = workflow.submit(initial);
        assertThat(upstream.count(Route.SD2_UPLOAD)).isEqualTo(1);
        assertThat(upstream.created).hasValue(3);
        assertThat(ours.stream().map(this::upstreamIdOf).distinct()).hasSize(3);

        upstream.statusOf.put(upstreamIdOf(ours.get(0)), "Active");
        upstream.statusOf.put(upstreamIdOf(ours.get(1)), "Failed");
        upstream.reasonOf.put(upstreamIdOf(ours.get(1)), "several faces where one is allowed");
        s = round(s);
        assertThat(s.pending()).hasSize(1);
        assertThat(asset(ours.get(0)).status()).isEqualTo(AssetStatus.Active);
        Asset failed = asset(ours.get(1));
        assertThat(failed.status()).isEqualTo(AssetStatus.Failed);
        assertThat(failed.errorCode()).isEqualTo("REVIEW_REJECTED");
        assertThat(failed.errorMessage()).isEqualTo("several faces where one is allowed");

        s = round(s);
        upstream.statusOf.put(upstreamIdOf(ours.get(2)), "Active");
        s = round(s);
        assertThat(s.done()).isTrue();
        // One status call per round, for all that was still pending.
        assertThat(upstream.count(Route.SD2_STATUS)).isEqualTo(3);
        assertThat(upstream.of(Route.SD2_STATUS).get(0).body()).contains(upstreamIdOf(ours.get(2)));
        assertThat(LocalSqs.drain(clients.sqs(), queue)).hasSize(3);
        assertThat(upstream.count(Route.DETAIL)).isZero();
    }

    /** Issue 15, item 8: the base path clients use works as the base URL; a huge upstream reason is cut to 1,000 characters. */
    @Test
    void theKyyReactApiServerFormWorksAndUpstreamTextIsBounded() {
        reviewer = reviewer(URI.create(upstream.baseUrl() + "/kyyReactApiServer"), UpstreamApiKey.fixed(KEY));
        workflow = new ReviewWorkflow(store, reviewer, new CompletionPublisher(clients.sqs(), queue),
                new PollSchedule(2, 1.5, 60), clock);
        ReviewState initial = upload(ReviewState.BATCH, AssetType.Image, "https://example.com/huge-reason.jpg");
        String id = ids(initial).get(0);
        ReviewState s = workflow.submit(initial);
        // Accepted upstream (a doubled /kyyReactApiServer would answer 404 and leave no reference).
        assertThat(upstream.count(Route.SD2_UPLOAD) + upstream.count(Route.UPLOAD)).isEqualTo(1);
        assertThat(s.pending()).singleElement().satisfies(p -> assertThat(p.ref()).isNotNull());
        upstream.statusOf.put(upstreamIdOf(id), "Failed");
        upstream.reasonOf.put(upstreamIdOf(id), "line one\nforged: line two " + "x".repeat(300_000));
        s = round(s);
        Asset failed = asset(id);
        assertThat(failed.status()).isEqualTo(AssetStatus.Failed);
        assertThat(failed.errorMessage()).startsWith("line one\nforged").hasSizeLessThan(1_100)
                .endsWith("(300026 characters from the upstream library)");
    }

    @Test
    void transientFaultsAtUploadAndStatusNeverFailAnAssetAndLoseNone() {
        ReviewState initial = upload(ReviewState.BATCH, AssetType.Video,
                "https://example.com/1.mp4", "https://example.com/2.mp4");
        List<String> ours = ids(initial);
        upstream.fail(Route.SD2_UPLOAD, Fault.HTTP_429, Fault.HTTP_500, Fault.HTTP_503_HTML, Fault.MALFORMED_JSON,
                Fault.CODE_NOT_A_NUMBER, Fault.CODE_THROTTLED, Fault.HTTP_401);

        ReviewState s = workflow.submit(initial);
        for (int i = 0; i < 7; i++) { // the submit and 6 rounds meet a fault each; the 7th round goes through
            assertThat(s.pending()).hasSize(2).allSatisfy(p -> assertThat(p.ref()).isNull());
            assertNothingFailedOrSent(ours);
            s = round(s);
        }
        // The 8th attempt goes through: uploaded, and only once (all refused attempts created nothing).
        assertThat(s.pending()).allSatisfy(p -> assertThat(p.ref()).startsWith("upstream-sd2:"));
        assertThat(upstream.created).hasValue(2);

        upstream.fail(Route.SD2_STATUS, Fault.HTTP_429, Fault.HTTP_500, Fault.TIMEOUT, Fault.MALFORMED_JSON, Fault.HTTP_503_HTML);
        for (int i = 0; i < 5; i++) {
            s = round(s);
            assertNothingFailedOrSent(ours);
        }
        ours.forEach(id -> upstream.statusOf.put(upstreamIdOf(id), "Active"));
        s = round(s);
        assertThat(s.done()).isTrue();
        assertThat(ours).allSatisfy(id -> assertThat(asset(id).status()).isEqualTo(AssetStatus.Active));
        assertThat(LocalSqs.drain(clients.sqs(), queue)).hasSize(2);
        assertThat(upstream.count(Route.SD2_UPLOAD)).isEqualTo(8);
    }

    @Test
    void anUnreachableUpstreamIsTransient() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        UpstreamReviewer unreachable = reviewer(URI.create("http://127.0.0.1:" + closedPort), UpstreamApiKey.fixed(KEY));
        assertThatThrownBy(() -> unreachable.submit(List.of(new ReviewItem(ACCOUNT, "asset-20260330142158-aaaaa",
                AssetType.Image, "https://example.com/x.jpg")))).isInstanceOf(ReviewerUnavailableException.class)
                .hasMessageContaining("unreachable");
    }

    @Test
    void anUploadWhoseAnswerWasLostIsSentAgainWithTheSameIdempotencyKeyAndCreatesOneUpstreamAsset() {
        ReviewState initial = upload(ReviewState.SINGLE, AssetType.Audio, "https://example.com/voice.mp3");
        String id = ids(initial).get(0);
        upstream.fail(Route.UPLOAD, Fault.TIMEOUT); // the upstream creates the asset, its answer comes too late

        ReviewState s = workflow.submit(initial);
        assertThat(s.pending().get(0).ref()).isNull();
        assertNothingFailedOrSent(List.of(id));

        s = round(s);
        assertThat(upstream.count(Route.UPLOAD)).isEqualTo(2);
        List<ScriptedUpstream.Request> uploads = upstream.of(Route.UPLOAD);
        assertThat(uploads.get(1).idempotencyKey()).isEqualTo(uploads.get(0).idempotencyKey());
        assertThat(uploads.get(1).body()).isEqualTo(uploads.get(0).body());
        assertThat(upstream.created).hasValue(1);
        assertThat(s.pending().get(0).ref()).isEqualTo("upstream-seedance:" + upstreamIdOf(id));
    }

    @Test
    void aRetriedSubmitTaskDoesNotUploadAgain() {
        ReviewState initial = upload(ReviewState.BATCH, AssetType.Image, "https://example.com/1.jpg", "https://example.com/2.jpg");
        upstream.honourIdempotencyKey = false; // even an upstream that ignores the header sees each asset once

        ReviewState first = workflow.submit(initial);
        ReviewState again = workflow.submit(initial); // the state machine retries the task: same input
        workflow.check(initial); // and a check that still carries no references

        assertThat(upstream.count(Route.SD2_UPLOAD)).isEqualTo(1);
        assertThat(upstream.created).hasValue(2);
        assertThat(again.pending()).isEqualTo(first.pending());
    }

    @Test
    void aRefusalAtUploadFailsTheAssetWithTheUpstreamsReason() {
        upstream.refusedUrls.add("https://example.com/bad.jpg");
        ReviewState single = upload(ReviewState.SINGLE, AssetType.Image, "https://example.com/bad.jpg");
        ReviewState s = workflow.submit(single);
        assertThat(s.done()).isTrue();
        Asset a = asset(ids(single).get(0));
        assertThat(a.status()).isEqualTo(AssetStatus.Failed);
        assertThat(a.errorCode()).isEqualTo("UPSTREAM_REFUSED");
        assertThat(a.errorMessage()).contains("HTTP 400").contains("cannot be fetched");

        // In a batch, a per-URL refusal (failedItems) fails that asset only.
        ReviewState batch = upload(ReviewState.BATCH, AssetType.Image, "https://example.com/ok.jpg", "https://example.com/bad.jpg");
        s = workflow.submit(batch);
        assertThat(s.pending()).hasSize(1);
        assertThat(asset(ids(batch).get(1)).errorCode()).isEqualTo("UPSTREAM_REFUSED");
        assertThat(asset(ids(batch).get(1)).errorMessage()).contains("url cannot be fetched");
        assertThat(asset(ids(batch).get(0)).status()).isEqualTo(AssetStatus.Processing);
        assertThat(LocalSqs.drain(clients.sqs(), queue)).hasSize(2);
    }

    @Test
    void anUnknownStatusIsReportedNeverTakenForProcessingNorFailedAndAskedAgain() {
        ReviewState initial = upload(ReviewState.SINGLE, AssetType.Image, "https://example.com/x.jpg");
        String id = ids(initial).get(0);
        ReviewState s = workflow.submit(initial);
        upstream.statusOf.put(upstreamIdOf(id), "Active");
        upstream.fail(Route.DETAIL, Fault.UNKNOWN_STATUS, Fault.NO_STATUS);

        s = round(s);
        s = round(s);
        assertNothingFailedOrSent(List.of(id));
        assertThat(severe()).extracting(LogRecord::getThrown).hasSize(2)
                .allSatisfy(t -> assertThat(t).isInstanceOf(UpstreamProtocolException.class));
        assertThat(severe().get(0).getMessage()).contains("\"Archived\"").contains(id);

        s = round(s);
        assertThat(s.done()).isTrue();
        assertThat(asset(id).status()).isEqualTo(AssetStatus.Active);
        assertThat(LocalSqs.drain(clients.sqs(), queue)).hasSize(1);
    }

    @Test
    void anUnknownStatusOfOneAssetDoesNotHoldBackTheRestOfTheBatch() {
        ReviewState initial = upload(ReviewState.BATCH, AssetType.Image, "https://example.com/1.jpg", "https://example.com/2.jpg");
        ReviewState s = workflow.submit(initial);
        List<String> ours = ids(initial);
        upstream.statusOf.put(upstreamIdOf(ours.get(0)), "Active");
        upstream.statusOf.put(upstreamIdOf(ours.get(1)), "Quarantined");

        s = round(s);
        assertThat(asset(ours.get(0)).status()).isEqualTo(AssetStatus.Active);
        assertThat(asset(ours.get(1)).status()).isEqualTo(AssetStatus.Processing);
        assertThat(s.pending()).extracting(ReviewState.PendingAsset::assetId).containsExactly(ours.get(1));
        assertThat(severe()).anySatisfy(r -> assertThat(r.getMessage()).contains("\"Quarantined\""));
    }

    @Test
    void stringAndIntegerCodesAreBothRead() {
        upstream.swapCodeTypes = true; // "0" on Seedance routes, 0 on SD2 routes
        ReviewState single = upload(ReviewState.SINGLE, AssetType.Image, "https://example.com/s.jpg");
        ReviewState batch = upload(ReviewState.BATCH, AssetType.Image, "https://example.com/b1.jpg", "https://example.com/b2.jpg");
        ReviewState s1 = workflow.submit(single);
        ReviewState s2 = workflow.submit(batch);
        ids(single).forEach(id -> upstream.statusOf.put(upstreamIdOf(id), "Active"));
        ids(batch).forEach(id -> upstream.statusOf.put(upstreamIdOf(id), "Active"));
        assertThat(round(s1).done()).isTrue();
        assertThat(round(s2).done()).isTrue();
        assertThat(UpstreamClient.code(Json.MAPPER.valueToTree(0))).isZero();
        assertThat(UpstreamClient.code(Json.MAPPER.valueToTree("0"))).isZero();
        assertThat(UpstreamClient.code(Json.MAPPER.valueToTree(" 40011 "))).isEqualTo(40011L);
        assertThat(UpstreamClient.code(Json.MAPPER.valueToTree("zero"))).isNull();
        assertThat(UpstreamClient.code(null)).isNull();
    }

    @Test
    void anAssetTheUpstreamNoLongerKnowsFailsWithAReason() {
        ReviewState initial = upload(ReviewState.SINGLE, AssetType.Image, "https://example.com/x.jpg");
        ReviewState s = workflow.submit(initial);
        upstream.urlOf.clear(); // the upstream lost or deleted it: detail answers 404
        s = round(s);
        Asset a = asset(ids(initial).get(0));
        assertThat(a.status()).isEqualTo(AssetStatus.Failed);
        assertThat(a.errorCode()).isEqualTo("REVIEW_ERROR");
        assertThat(a.errorMessage()).contains("no longer finds");
    }

    @Test
    void aRefusedKeyIsReadAgainAndFailsNothing() {
        AtomicInteger refreshed = new AtomicInteger();
        UpstreamApiKey rotating = new UpstreamApiKey() {
            @Override
            public String get() {
                return refreshed.get() == 0 ? "old-key" : KEY;
            }

            @Override
            public void refresh() {
                refreshed.incrementAndGet();
            }
        };
        workflow = new ReviewWorkflow(store, reviewer(upstream.baseUrl(), rotating),
                new CompletionPublisher(clients.sqs(), queue), new PollSchedule(2, 1.5, 60), clock);
        ReviewState initial = upload(ReviewState.SINGLE, AssetType.Image, "https://example.com/x.jpg");
        ReviewState s = workflow.submit(initial);
        assertThat(refreshed).hasValue(1);
        assertNothingFailedOrSent(ids(initial));
        s = round(s);
        assertThat(s.pending().get(0).ref()).startsWith("upstream-seedance:");
        assertThat(severe()).anySatisfy(r -> assertThat(r.getMessage()).contains("refused our API key").doesNotContain("old-key"));
    }

    @Test
    void theDeadlineEndsAnAssetTheUpstreamNeverAnswersForWithATimeoutNotATransientFailure() {
        ReviewState initial = upload(ReviewState.SINGLE, AssetType.Image, "https://example.com/x.jpg");
        ReviewState s = workflow.submit(initial);
        for (int i = 0; i < 5; i++) {
            upstream.fail(Route.DETAIL, Fault.HTTP_500);
            s = round(s);
        }
        assertNothingFailedOrSent(ids(initial));
        clock.advance(Duration.ofHours(2));
        s = workflow.check(s);
        Asset a = asset(ids(initial).get(0));
        assertThat(a.errorCode()).isEqualTo("REVIEW_TIMEOUT");
        List<Message> messages = LocalSqs.drain(clients.sqs(), queue);
        assertThat(messages).hasSize(1);
    }
}
