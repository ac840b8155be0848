package dev.assetlib.review.human;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assetlib.testing.LocalAws;
import org.junit.jupiter.api.extension.ExtendWith;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.api.ReviewQueueHandler;
import dev.assetlib.api.UploadHandler;
import dev.assetlib.app.upload.UploadService;
import dev.assetlib.auth.ApiKeyAuthorizerHandler;
import dev.assetlib.store.ApiKeyStore;
import dev.assetlib.aws.AwsClients;
import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetIds;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.domain.AssetType;
import dev.assetlib.json.Json;
import dev.assetlib.store.AssetStore;
import dev.assetlib.store.HumanReviewStore;
import dev.assetlib.store.NewAsset;
import dev.assetlib.store.SigningKeyStore;
import dev.assetlib.testing.Events;
import dev.assetlib.testing.FakeSfnClient;
import dev.assetlib.testing.LocalSqs;
import dev.assetlib.testing.MutableClock;
import dev.assetlib.app.review.CompletionPublisher;
import dev.assetlib.app.review.PollSchedule;
import dev.assetlib.app.review.ReviewState;
import dev.assetlib.app.review.ReviewWorkflow;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The human review queue end to end at functions level: real API keys through the real authorizer,
 * the review routes' handler with the sample events, the human reviewer in the real review workflow,
 * DynamoDB Local and ElasticMQ.
 */
@ExtendWith(LocalAws.class)
class HumanReviewQueueTest {
    private static AwsClients clients;
    private static String table;
    private MutableClock clock;
    private String queue;
    private AssetStore store;
    private ReviewWorkflow workflow;
    private ReviewQueueHandler handler;
    private ApiKeyAuthorizerHandler authorizer;
    private String reviewerA;
    private String reviewerB;
    private String uploaderA;
    private String accountA;
    private String accountB;

    @BeforeEach
    void setUp(LocalAws aws) {
        clients = aws.clients();
        table = aws.table();
        clock = new MutableClock(Instant.parse("2026-03-30T14:21:58Z"));
        queue = LocalSqs.newFifoQueue(clients.sqs());
        store = new AssetStore(clients.dynamoDb(), table, new AssetIds());
        HumanReviewStore humans = new HumanReviewStore(clients.dynamoDb(), table, store);
        workflow = new ReviewWorkflow(store, new HumanReviewer(humans, clock), new CompletionPublisher(clients.sqs(), queue),
                new PollSchedule(2, 1.5, 60), clock);
        SigningKeyStore keys = new SigningKeyStore(clients.dynamoDb(), table, new SecureRandom());
        handler = new ReviewQueueHandler(new HumanReviewService(humans, new PageTokens(() -> keys.key("review-pending-token")), clock));
        ApiKeyStore apiKeys = new ApiKeyStore(clients.dynamoDb(), table);
        authorizer = new ApiKeyAuthorizerHandler(apiKeys);
        String suffix = Long.toString(System.nanoTime(), 36);
        accountA = "acme-" + suffix;
        accountB = "globex-" + suffix;
        reviewerA = apiKeys.create(accountA, "reviewer", new SecureRandom(), clock.instant());
        reviewerB = apiKeys.create(accountB, "reviewer", new SecureRandom(), clock.instant());
        uploaderA = apiKeys.create(accountA, "uploader", new SecureRandom(), clock.instant());
    }

    /** The sample event, with the authorizer's real answer for {@code key} as its context. */
    private APIGatewayV2HTTPEvent event(String file, String key) {
        APIGatewayV2CustomAuthorizerEvent auth = EventLoader.loadEvent("../events/authorizer.json", APIGatewayV2CustomAuthorizerEvent.class);
        Map<String, String> headers = new HashMap<>(auth.getHeaders());
        headers.put("authorization", "Bearer " + key);
        auth.setHeaders(headers);
        Map<String, Object> context = new HashMap<>(authorizer.handleRequest(auth, null).getContext());
        APIGatewayV2HTTPEvent event = Events.http(file);
        event.getRequestContext().getAuthorizer().setLambda(new HashMap<>(context));
        return event;
    }

    private JsonNode call(APIGatewayV2HTTPEvent event, int expectedStatus) throws Exception {
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(expectedStatus);
        JsonNode body = Json.MAPPER.readTree(response.getBody());
        assertThat(body.get("code").isInt()).isTrue();
        return body;
    }

    private JsonNode list(String key, Integer limit, String token, int expectedStatus) throws Exception {
        APIGatewayV2HTTPEvent e = event("api-review-pending.json", key);
        Map<String, String> query = new HashMap<>();
        if (limit != null) {
            query.put("limit", limit.toString());
        }
        if (token != null) {
            query.put("nextToken", token);
        }
        e.setQueryStringParameters(query);
        return call(e, expectedStatus);
    }

    private JsonNode decide(String key, String assetId, String body, int expectedStatus) throws Exception {
        APIGatewayV2HTTPEvent e = event("api-review-decide.json", key);
        e.setPathParameters(Map.of("assetId", assetId));
        e.setRawPath("/kyyReactApiServer/review/" + assetId);
        e.setBody(body);
        return call(e, expectedStatus);
    }

    private ReviewState uploadAndSubmit(String account, int n) {
        List<NewAsset> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(new NewAsset(AssetType.Image, "https://example.com/face-" + i + ".jpg", "face " + i, AssetStatus.submitted));
        }
        List<Asset> created = store.createAll(account, items, true, clock.instant());
        ReviewState s = new ReviewState(account, created.get(0).batchId(), ReviewState.BATCH,
                clock.instant().plus(Duration.ofHours(1)).getEpochSecond(), 0, 0, false,
                created.stream().map(a -> new ReviewState.PendingAsset(a.assetId(), "Image", a.url(), null)).toList(), null);
        return workflow.submit(s);
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("data").path("items").forEach(i -> ids.add(i.get("assetId").asText()));
        return ids;
    }

    @Test
    void aReviewerListsItsAccountsPendingAssetsApprovesAndRejectsAndTheNextCheckFinishesThem() throws Exception {
        ReviewState s = uploadAndSubmit(accountA, 3);
        // The queue is in asset id order: upload time (to the second), then the id's random part.
        List<String> ours = s.pending().stream().map(ReviewState.PendingAsset::assetId).sorted().toList();
        uploadAndSubmit(accountB, 1);
        assertThat(s.pending()).allSatisfy(p -> assertThat(p.ref()).isEqualTo("human:" + accountA + ":" + p.assetId()));

        // Paging: 2 + 1, oldest first; the token is opaque and absent on the last page.
        JsonNode first = list(reviewerA, 2, null, 200);
        assertThat(ids(first)).containsExactly(ours.get(0), ours.get(1));
        JsonNode item = first.path("data").path("items").get(0);
        assertThat(item.get("status").asText()).isEqualTo("Processing");
        assertThat(item.get("url").asText()).startsWith("https://example.com/face-");
        assertThat(item.get("awaitingSince").asText()).isEqualTo("2026-03-30 14:21:58");
        assertThat(item.get("accountId").asText()).isEqualTo(accountA);
        String token = first.path("data").get("nextToken").asText();
        JsonNode second = list(reviewerA, 2, token, 200);
        assertThat(ids(second)).containsExactly(ours.get(2));
        assertThat(second.path("data").has("nextToken")).isFalse();
        assertThat(ids(list(reviewerA, null, null, 200))).containsExactlyElementsOf(ours);

        // Another account's reviewer sees only its own; it can neither use A's token nor decide A's assets.
        assertThat(ids(list(reviewerB, null, null, 200))).hasSize(1).doesNotContainAnyElementsOf(ours);
        assertThat(list(reviewerB, 2, token, 400).get("code").asInt()).isEqualTo(40073);
        assertThat(decide(reviewerB, ours.get(0), "{\"decision\":\"approve\"}", 404).get("code").asInt()).isEqualTo(40400);

        // A tampered token is refused.
        String tampered = token.charAt(0) == 'Y' ? "Z" + token.substring(1) : "Y" + token.substring(1);
        assertThat(list(reviewerA, 2, tampered, 400).get("code").asInt()).isEqualTo(40073);

        // Decisions: approve one, reject one with a reason; a rejection needs a reason.
        assertThat(decide(reviewerA, ours.get(1), "{\"decision\":\"reject\"}", 400).get("code").asInt()).isEqualTo(40071);
        JsonNode approved = decide(reviewerA, ours.get(0), "{\"decision\":\"approve\",\"reason\":\"signed release on file\"}", 200);
        // Who decided is the key's id, drawn at creation: no part of the key (issue 15, hole 5).
        String reviewerAId = approved.path("data").get("decidedBy").asText();
        assertThat(reviewerAId).matches("key-[a-z2-9]{12}");
        assertThat(reviewerA).doesNotContain(reviewerAId.substring(4, 10));
        decide(reviewerA, ours.get(1), "{\"decision\":\"reject\",\"reason\":\"a real-person face without a signed release\"}", 200);
        assertThat(decide(reviewerA, ours.get(0), "{\"decision\":\"reject\",\"reason\":\"changed my mind\"}", 409)
                .get("code").asInt()).isEqualTo(40900);
        assertThat(ids(list(reviewerA, null, null, 200))).containsExactly(ours.get(2));

        // Who decided is on the asset item.
        Map<String, AttributeValue> decided = clients.dynamoDb().getItem(r -> r.tableName(table).key(Map.of(
                "pk", AttributeValue.fromS("ACCOUNT#" + accountA), "sk", AttributeValue.fromS("ASSET#" + ours.get(1))))).item();
        assertThat(decided.get("decidedBy").s()).isEqualTo(reviewerAId);
        assertThat(decided.get("decidedByAccount").s()).isEqualTo(accountA);
        assertThat(decided.get("humanDecision").s()).isEqualTo("reject");
        assertThat(decided).containsKey("decidedAt");

        // The next check (one polling round) applies both decisions, one completion each.
        assertThat(LocalSqs.drain(clients.sqs(), queue)).isEmpty();
        clock.advance(Duration.ofSeconds(s.waitSeconds()));
        s = workflow.check(s);
        assertThat(store.get(accountA, ours.get(0)).orElseThrow().status()).isEqualTo(AssetStatus.Active);
        Asset rejected = store.get(accountA, ours.get(1)).orElseThrow();
        assertThat(rejected.status()).isEqualTo(AssetStatus.Failed);
        assertThat(rejected.errorCode()).isEqualTo("REVIEW_REJECTED");
        assertThat(rejected.errorMessage()).isEqualTo("a real-person face without a signed release");
        List<Message> completions = LocalSqs.drain(clients.sqs(), queue);
        assertThat(completions).hasSize(2);
        assertThat(s.pending()).extracting(ReviewState.PendingAsset::assetId).containsExactly(ours.get(2));
        // Each decision is in the asset's history with who made it: the reviewer key, of its account.
        String who = "reviewer:" + reviewerAId + "@" + accountA;
        assertThat(store.history(accountA, ours.get(0), clock.instant()).orElseThrow()).last()
                .satisfies(e -> assertThat(e.actor()).isEqualTo(who))
                .satisfies(e -> assertThat(e.reason()).isEqualTo("signed release on file")) // an approval's reason is kept too
                .satisfies(e -> assertThat(e.to()).isEqualTo(AssetStatus.Active));
        assertThat(store.history(accountA, ours.get(1), clock.instant()).orElseThrow()).last()
                .satisfies(e -> assertThat(e.actor()).isEqualTo(who))
                .satisfies(e -> assertThat(e.reason()).isEqualTo("a real-person face without a signed release"));
        assertThat(completions).extracting(Message::body).anySatisfy(b -> assertThat(b).contains(ours.get(0)).contains("Active"))
                .anySatisfy(b -> assertThat(b).contains(ours.get(1)).contains("Failed"));

        // A decided asset can no longer be decided; the one left ends at the deadline and leaves the queue.
        assertThat(decide(reviewerA, ours.get(0), "{\"decision\":\"approve\"}", 409).get("code").asInt()).isEqualTo(40900);
        clock.advance(Duration.ofHours(2));
        s = workflow.check(s);
        assertThat(store.get(accountA, ours.get(2)).orElseThrow().errorCode()).isEqualTo("REVIEW_TIMEOUT");
        assertThat(ids(list(reviewerA, null, null, 200))).isEmpty();
        assertThat(decide(reviewerA, ours.get(2), "{\"decision\":\"approve\"}", 409).get("code").asInt()).isEqualTo(40900);
        assertThat(LocalSqs.drain(clients.sqs(), queue)).hasSize(1);
    }

    @Test
    void onlyReviewerKeysReviewAndReviewerKeysMayNotUpload() throws Exception {
        assertThat(list(uploaderA, null, null, 403).get("code").asInt()).isEqualTo(40300);
        assertThat(decide(uploaderA, "asset-20260330142158-q75m8", "{\"decision\":\"approve\"}", 403).get("msg").asText())
                .contains("role reviewer");

        FakeSfnClient sfn = new FakeSfnClient();
        UploadHandler upload = new UploadHandler(dev.assetlib.testing.Fixture.services(clients, table, null, sfn, clock));
        APIGatewayV2HTTPResponse refused = upload.handleRequest(event("api-seedance-upload.json", reviewerA), null);
        assertThat(refused.getStatusCode()).isEqualTo(403);
        assertThat(Json.MAPPER.readTree(refused.getBody()).get("code").asInt()).isEqualTo(40300);
        assertThat(sfn.started).isEmpty();
        assertThat(upload.handleRequest(event("api-seedance-upload.json", uploaderA), null).getStatusCode()).isEqualTo(200);
    }

    @Test
    void badInputOnTheReviewRoutesIsRefusedWithWhatToChange() throws Exception {
        assertThat(list(reviewerA, 0, null, 400).get("code").asInt()).isEqualTo(40072);
        assertThat(list(reviewerA, 101, null, 400).get("code").asInt()).isEqualTo(40072);
        assertThat(list(reviewerA, null, "not-a-token", 400).get("code").asInt()).isEqualTo(40073);
        assertThat(decide(reviewerA, "asset-bad", "{\"decision\":\"approve\"}", 400).get("code").asInt()).isEqualTo(40013);
        assertThat(decide(reviewerA, "asset-20260330142158-q75m8", "{\"decision\":\"yes\"}", 400).get("code").asInt()).isEqualTo(40070);
        assertThat(decide(reviewerA, "asset-20260330142158-q75m8", "{\"decision\":\"reject\",\"reason\":7}", 400)
                .get("code").asInt()).isEqualTo(40071);
        assertThat(decide(reviewerA, "asset-20260330142158-q75m8", "[]", 400).get("code").asInt()).isEqualTo(40003);
        assertThat(decide(reviewerA, "asset-20260330142158-q75m8", "{\"decision\":\"approve\"}", 404).get("code").asInt()).isEqualTo(40400);
        // An asset reviewed by someone else (never queued for people) is a conflict, not a decision.
        Asset other = store.createAll(accountA, List.of(new NewAsset(AssetType.Image, "https://example.com/x.jpg", null,
                AssetStatus.Processing)), false, clock.instant()).get(0);
        assertThat(decide(reviewerA, other.assetId(), "{\"decision\":\"approve\"}", 409).get("code").asInt()).isEqualTo(40900);
    }

    @Test
    void aRetriedSubmitQueuesEachAssetOnce() throws Exception {
        List<Asset> created = store.createAll(accountA, List.of(new NewAsset(AssetType.Video, "https://example.com/v.mp4", null,
                AssetStatus.Processing)), false, clock.instant());
        ReviewState s = new ReviewState(accountA, created.get(0).assetId(), ReviewState.SINGLE,
                clock.instant().plus(Duration.ofHours(1)).getEpochSecond(), 0, 0, false,
                List.of(new ReviewState.PendingAsset(created.get(0).assetId(), "Video", created.get(0).url(), null)), null);
        ReviewState a = workflow.submit(s);
        ReviewState b = workflow.submit(s);
        assertThat(b.pending()).isEqualTo(a.pending());
        assertThat(ids(list(reviewerA, null, null, 200))).containsExactly(created.get(0).assetId());
    }
}
