package dev.assetlib.api;

import dev.assetlib.testing.LocalAws;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.assetlib.store.StatusChange;
import dev.assetlib.app.upload.UploadResult;
import dev.assetlib.app.upload.UploadService;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.aws.AwsClients;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.json.Json;
import dev.assetlib.store.IdempotencyRecords;
import dev.assetlib.testing.Events;
import dev.assetlib.testing.Fixture;
import dev.assetlib.app.review.ReviewState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Idempotency-Key and "reuse": true on both upload routes, against DynamoDB Local. */
@ExtendWith(LocalAws.class)
class IdempotencyAndReuseTest {
    private static AwsClients clients;
    private Fixture fx;

    @BeforeAll
    static void startServers(LocalAws aws) {
        clients = aws.clients();
    }

    @BeforeEach
    void setUp() {
        fx = new Fixture(clients, Clock.systemUTC());
    }

    private APIGatewayV2HTTPResponse single(String account, String key, String body) {
        APIGatewayV2HTTPEvent e = Events.http("api-seedance-upload-idempotent.json", account);
        Map<String, String> headers = new HashMap<>(e.getHeaders());
        headers.remove("idempotency-key");
        if (key != null) {
            headers.put("idempotency-key", key);
        }
        e.setHeaders(headers);
        e.setBody(body);
        return fx.uploadHandler.handleRequest(e, null);
    }

    private APIGatewayV2HTTPResponse batch(String account, String key, String body) {
        APIGatewayV2HTTPEvent e = Events.http("api-sd2-upload.json", account);
        Map<String, String> headers = new HashMap<>(e.getHeaders());
        if (key != null) {
            headers.put("Idempotency-Key", key);
        }
        e.setHeaders(headers);
        e.setBody(body);
        return fx.uploadHandler.handleRequest(e, null);
    }

    private int assetCount(String account) {
        return clients.dynamoDb().query(r -> r.tableName(fx.table).keyConditionExpression("pk = :pk")
                .filterExpression("attribute_exists(assetType)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("ACCOUNT#" + account)))).count();
    }

    private static JsonNode json(APIGatewayV2HTTPResponse r) throws Exception {
        return Json.MAPPER.readTree(r.getBody());
    }

    // ------------------------------------------------------------------ idempotency

    @Test
    void theSampleEventUploadsOnceAndItsRetryAnswersTheSameIdStartingNothing() throws Exception {
        APIGatewayV2HTTPEvent sample = Events.http("api-seedance-upload-idempotent.json", "acct-sample");
        APIGatewayV2HTTPResponse first = fx.uploadHandler.handleRequest(sample, null);
        APIGatewayV2HTTPResponse retry = fx.uploadHandler.handleRequest(
                Events.http("api-seedance-upload-idempotent.json", "acct-sample"), null);

        assertThat(first.getStatusCode()).isEqualTo(200);
        assertThat(retry.getStatusCode()).isEqualTo(200);
        assertThat(retry.getBody()).isEqualTo(first.getBody());
        assertThat(json(first).get("code").isInt()).isTrue();
        assertThat(retry.getHeaders()).containsEntry("Idempotent-Replayed", "true");
        assertThat(first.getHeaders()).doesNotContainKey("Idempotent-Replayed");
        assertThat(fx.sfn.started).hasSize(1);
        assertThat(assetCount("acct-sample")).isEqualTo(1);
    }

    @Test
    void tenConcurrentUploadsWithOneKeyCreateOneAssetAndAllAnswerIt() throws Exception {
        String key = UUID.randomUUID().toString();
        String body = "{\"assetType\":\"Video\",\"url\":\"https://example.com/clip.mp4\",\"name\":\"clip\"}";
        ExecutorService pool = Executors.newFixedThreadPool(10);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Callable<APIGatewayV2HTTPResponse>> calls = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                calls.add(() -> {
                    go.await();
                    return single("acct-conc", key, body);
                });
            }
            List<Future<APIGatewayV2HTTPResponse>> futures = new ArrayList<>();
            for (Callable<APIGatewayV2HTTPResponse> c : calls) {
                futures.add(pool.submit(c));
            }
            go.countDown();
            Set<String> ids = new HashSet<>();
            for (Future<APIGatewayV2HTTPResponse> f : futures) {
                APIGatewayV2HTTPResponse r = f.get();
                assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
                ids.add(json(r).at("/data/assetId").asText());
            }
            assertThat(ids).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(assetCount("acct-conc")).isEqualTo(1);
        assertThat(fx.sfn.started).hasSize(1);

        // The same key with a different body is a conflict, and creates nothing.
        APIGatewayV2HTTPResponse other = single("acct-conc", key,
                "{\"assetType\":\"Video\",\"url\":\"https://example.com/other.mp4\"}");
        assertThat(other.getStatusCode()).isEqualTo(409);
        assertThat(json(other).get("code").asInt()).isEqualTo(40901);
        assertThat(assetCount("acct-conc")).isEqualTo(1);
    }

    @Test
    void theSameBodyWithOtherKeyOrderAndSpacingIsTheSameRequest() throws Exception {
        String key = "order-" + UUID.randomUUID();
        APIGatewayV2HTTPResponse a = single("acct-order", key, "{\"assetType\":\"Image\",\"url\":\"https://example.com/o.jpg\"}");
        APIGatewayV2HTTPResponse b = single("acct-order", key, "{ \"url\" : \"https://example.com/o.jpg\", \"assetType\" : \"Image\" }");
        assertThat(b.getStatusCode()).isEqualTo(200);
        assertThat(b.getBody()).isEqualTo(a.getBody());
        // The same key on the other upload route is another request.
        APIGatewayV2HTTPResponse c = batch("acct-order", key, "{\"imageUrls\":[\"https://example.com/o.jpg\"]}");
        assertThat(c.getStatusCode()).isEqualTo(409);
        assertThat(json(c).get("code").asText()).isEqualTo("40901");
    }

    @Test
    void keysBelongToTheirAccount() throws Exception {
        String key = "shared-" + UUID.randomUUID();
        String body = "{\"assetType\":\"Image\",\"url\":\"https://example.com/s.jpg\"}";
        String a = json(single("acct-one", key, body)).at("/data/assetId").asText();
        String b = json(single("acct-two", key, body)).at("/data/assetId").asText();
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void aBatchRetryAnswersTheSameItemsAndFailedItems() throws Exception {
        String key = UUID.randomUUID().toString();
        String body = "{\"imageUrls\":[\"https://example.com/1.jpg\",\"ftp://bad\"],\"audioUrls\":[\"https://example.com/v.mp3\"]}";
        APIGatewayV2HTTPResponse first = batch("acct-b", key, body);
        APIGatewayV2HTTPResponse again = batch("acct-b", key, body);
        assertThat(first.getStatusCode()).isEqualTo(200);
        assertThat(again.getBody()).isEqualTo(first.getBody());
        assertThat(json(again).get("code").asText()).isEqualTo("0");
        assertThat(json(again).at("/data/items")).hasSize(2);
        assertThat(json(again).at("/data/failedItems")).hasSize(1);
        assertThat(fx.sfn.started).hasSize(1);
        assertThat(assetCount("acct-b")).isEqualTo(2);
    }

    @Test
    void aFailedUploadReleasesItsKeySoTheRetryRuns() throws Exception {
        String key = UUID.randomUUID().toString();
        String body = "{\"assetType\":\"Image\",\"url\":\"https://example.com/f.jpg\"}";
        fx.sfn.failWith = software.amazon.awssdk.services.sfn.model.SfnException.builder().message("down").build();
        assertThat(single("acct-f", key, body).getStatusCode()).isEqualTo(503);
        fx.sfn.failWith = null;
        APIGatewayV2HTTPResponse retry = single("acct-f", key, body);
        assertThat(retry.getStatusCode()).isEqualTo(200);
        assertThat(retry.getHeaders()).doesNotContainKey("Idempotent-Replayed");
        assertThat(assetCount("acct-f")).isEqualTo(1);
    }

    @Test
    void aRequestWhoseOwnerDiedAfterCreatingStartsTheStoredReviewAndAnswersTheStoredResponse() throws Exception {
        // The first request claimed the key and created its asset (the CREATED record is written in
        // the same transaction), then its Lambda died before starting the review.
        String key = UUID.randomUUID().toString();
        String body = "{\"assetType\":\"Image\",\"url\":\"https://example.com/crash.jpg\"}";
        Fixture crashed = new Fixture(clients, fx.table, new ClockAt(Instant.now().minus(Duration.ofMinutes(1))));
        UploadService uploads = crashed.uploads;
        IdempotentRequests idem = new IdempotentRequests(crashed.idempotency);
        try {
            idem.run("acct-crash", key, UploadHandler.SEEDANCE_UPLOAD, (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(body),
                    Envelope.CodeType.INTEGER, claim -> {
                        // create through the claim, then "die" before the review starts
                        crashed.store.createAll("acct-crash", List.of(new dev.assetlib.store.NewAsset(
                                dev.assetlib.domain.AssetType.Image, "https://example.com/crash.jpg", null, AssetStatus.Processing)),
                                true, crashed.clock.instant(), created -> claim.created(
                                        uploads.review("acct-crash", created, ReviewState.SINGLE, crashed.clock.instant()),
                                        new UploadResult(List.of(new UploadResult.Uploaded(created.get(0), false)), null)));
                        throw new Error("Lambda died");
                    });
        } catch (Error died) {
            assertThat(died).hasMessage("Lambda died");
        }
        assertThat(assetCount("acct-crash")).isEqualTo(1);

        // A minute later (the lease has expired), the client retries.
        APIGatewayV2HTTPResponse retry = single("acct-crash", key, body);
        assertThat(retry.getStatusCode()).isEqualTo(200);
        String id = json(retry).at("/data/assetId").asText();
        assertThat(fx.store.get("acct-crash", id)).isPresent();
        assertThat(assetCount("acct-crash")).isEqualTo(1);
        assertThat(fx.sfn.started).singleElement().satisfies(s -> assertThat(s.name()).isEqualTo("review-" + id));
    }

    @Test
    void aMalformedKeyIsA400() throws Exception {
        APIGatewayV2HTTPResponse r = single("acct-k", "has space", "{\"assetType\":\"Image\",\"url\":\"https://example.com/k.jpg\"}");
        assertThat(r.getStatusCode()).isEqualTo(400);
        assertThat(json(r).get("code").asInt()).isEqualTo(40015);
        assertThat(single("acct-k", "x".repeat(256), "{\"assetType\":\"Image\",\"url\":\"https://example.com/k.jpg\"}")
                .getStatusCode()).isEqualTo(400);
        assertThat(assetCount("acct-k")).isZero();
    }

    // ------------------------------------------------------------------ reuse

    @Test
    void reuseReturnsTheAccountsExistingProcessingOrActiveAssetOfThatUrlAndType() throws Exception {
        String url = "https://example.com/portrait.jpg";
        String first = json(single("acct-r", null, "{\"assetType\":\"Image\",\"url\":\"" + url + "\"}")).at("/data/assetId").asText();

        JsonNode reused = json(single("acct-r", null, "{\"assetType\":\"Image\",\"url\":\"" + url + "\",\"reuse\":true}"));
        assertThat(reused.at("/data/assetId").asText()).isEqualTo(first);
        assertThat(reused.at("/data/reused").asBoolean()).isTrue();
        assertThat(fx.sfn.started).hasSize(1);

        // Without reuse: a new asset, as the public API does.
        String second = json(single("acct-r", null, "{\"assetType\":\"Image\",\"url\":\"" + url + "\"}")).at("/data/assetId").asText();
        assertThat(second).isNotEqualTo(first);
        // Another type, or another account: not the same media.
        assertThat(json(single("acct-r", null, "{\"assetType\":\"Document\",\"url\":\"" + url + "\",\"reuse\":true}"))
                .at("/data/reused").isMissingNode()).isTrue();
        assertThat(json(single("acct-r2", null, "{\"assetType\":\"Image\",\"url\":\"" + url + "\",\"reuse\":true}"))
                .at("/data/reused").isMissingNode()).isTrue();

        // Active counts; the newest live one is chosen.
        fx.store.transition(StatusChange.of("acct-r", first)
                .from(EnumSet.of(AssetStatus.Processing)).to(AssetStatus.Active)
                .by("reviewer").at(Instant.now()));
        String pick = json(single("acct-r", null, "{\"assetType\":\"Image\",\"url\":\"" + url + "\",\"reuse\":true}")).at("/data/assetId").asText();
        assertThat(pick).isIn(first, second);

        // Failed and deleted ones are never reused.
        fx.store.transition(StatusChange.of("acct-r", first)
                .from(EnumSet.of(AssetStatus.Active)).to(AssetStatus.Failed).failing("X", "x")
                .by("reviewer").at(Instant.now()));
        fx.store.delete("acct-r", second, Instant.now(), Duration.ofDays(1));
        JsonNode fresh = json(single("acct-r", null, "{\"assetType\":\"Image\",\"url\":\"" + url + "\",\"reuse\":true}"));
        assertThat(fresh.at("/data/assetId").asText()).isNotIn(first, second);
        assertThat(fresh.at("/data/reused").isMissingNode()).isTrue();
    }

    @Test
    void aBatchWithReuseAnswersExistingAssetsAndCreatesOnlyTheRest() throws Exception {
        JsonNode before = json(batch("acct-rb", null, "{\"imageUrls\":[\"https://example.com/a.jpg\"]}"));
        String a = before.at("/data/items/0/assetId").asText();

        JsonNode body = json(batch("acct-rb", null, "{\"imageUrls\":[\"https://example.com/a.jpg\",\"https://example.com/n.jpg\","
                + "\"https://example.com/n.jpg\"],\"reuse\":true}"));
        JsonNode items = body.at("/data/items");
        assertThat(items).hasSize(3);
        assertThat(items.get(0).get("assetId").asText()).isEqualTo(a);
        assertThat(items.get(0).get("reused").asBoolean()).isTrue();
        assertThat(items.get(0).get("status").asText()).isEqualTo("submitted");
        assertThat(items.get(1).has("reused")).isFalse();
        assertThat(items.get(2).get("assetId").asText()).isEqualTo(items.get(1).get("assetId").asText());
        assertThat(assetCount("acct-rb")).isEqualTo(2);
        assertThat(fx.sfn.started).hasSize(2);

        // All reused: nothing created, no review started.
        batch("acct-rb", null, "{\"imageUrls\":[\"https://example.com/a.jpg\"],\"reuse\":true}");
        assertThat(fx.sfn.started).hasSize(2);
    }

    @Test
    void reuseMustBeABoolean() throws Exception {
        APIGatewayV2HTTPResponse r = single("acct-rv", null, "{\"assetType\":\"Image\",\"url\":\"https://example.com/a.jpg\",\"reuse\":\"yes\"}");
        assertThat(r.getStatusCode()).isEqualTo(400);
        assertThat(json(r).get("code").asInt()).isEqualTo(40014);
        APIGatewayV2HTTPResponse b = batch("acct-rv", null, "{\"imageUrls\":[\"https://example.com/a.jpg\"],\"reuse\":1}");
        assertThat(b.getStatusCode()).isEqualTo(400);
        assertThat(json(b).get("code").asText()).isEqualTo("40014");
        assertThat(assetCount("acct-rv")).isZero();
    }

    /** A clock fixed at one instant. */
    private static final class ClockAt extends Clock {
        private final Instant at;

        ClockAt(Instant at) {
            this.at = at;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return at;
        }
    }
}
