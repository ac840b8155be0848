package dev.assetlib.api;

import dev.assetlib.testing.LocalAws;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.assetlib.store.StatusChange;
import dev.assetlib.app.query.ReferenceCheck;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.aws.AwsClients;
import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.domain.AssetType;
import dev.assetlib.json.Json;
import dev.assetlib.store.NewAsset;
import dev.assetlib.testing.Events;
import dev.assetlib.testing.Fixture;
import dev.assetlib.testing.LocalDynamoDb;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/** The reference check with the sample event and a request that mixes every kind of problem. */
@ExtendWith(LocalAws.class)
class ReferenceCheckTest {
    private static final String ACCOUNT = "acct-ref";
    private static final Instant NOW = Instant.parse("2026-03-30T14:21:58Z");
    private static AwsClients clients;
    private static Fixture fx;

    @BeforeAll
    static void start(LocalAws aws) {
        clients = aws.clients();
        fx = new Fixture(clients, Clock.systemUTC());
    }

    private static Asset asset(String account, AssetType type, AssetStatus status) {
        Asset a = fx.store.createAll(account, List.of(new NewAsset(type, "https://example.com/" + type + "/" + status, null,
                AssetStatus.Processing)), true, NOW).get(0);
        if (status != AssetStatus.Processing) {
            a = fx.store.transition(StatusChange.of(account, a.assetId())
                    .from(EnumSet.of(AssetStatus.Processing)).to(status).failing(status == AssetStatus.Failed ? "REVIEW_REJECTED" : null, status == AssetStatus.Failed ? "several faces" : null)
                    .by("reviewer").at(NOW)).orElseThrow();
        }
        return a;
    }

    private static JsonNode resolve(String account, String body) throws Exception {
        APIGatewayV2HTTPEvent e = Events.http("api-asset-resolve.json", account);
        if (body != null) {
            e.setBody(body);
        }
        APIGatewayV2HTTPResponse r = fx.queryHandler.handleRequest(e, null);
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        JsonNode json = Json.MAPPER.readTree(r.getBody());
        assertThat(json.get("code").isInt()).isTrue();
        return json.get("data");
    }

    private static String ref(Asset a) {
        return "\"asset://" + a.assetId() + "\"";
    }

    @Test
    void aRequestMixingEveryKindOfProblemNamesEachOne() throws Exception {
        Asset activeImage = asset(ACCOUNT, AssetType.Image, AssetStatus.Active);
        Asset processingImage = asset(ACCOUNT, AssetType.Image, AssetStatus.Processing);
        Asset failedVideo = asset(ACCOUNT, AssetType.Video, AssetStatus.Failed);
        Asset activeAudio = asset(ACCOUNT, AssetType.Audio, AssetStatus.Active);
        Asset deleted = asset(ACCOUNT, AssetType.Image, AssetStatus.Active);
        fx.store.delete(ACCOUNT, deleted.assetId(), Instant.now(), Duration.ofDays(30));
        Asset foreign = asset("acct-someone-else", AssetType.Image, AssetStatus.Active);
        String missing = "asset-20260101000000-zzzzz";

        String images = String.join(",", ref(activeImage), ref(processingImage), ref(deleted), ref(foreign),
                "\"asset://" + missing + "\"", "\"asset://nope\"", "\"https://example.com/plain.jpg\"", "\"ftp://x/y.jpg\"",
                "42", ref(activeAudio));
        String body = "{\"model\":\"seedance_2_0\",\"prompt\":\"ignored\",\"first_image\":" + ref(activeImage)
                + ",\"referenceImages\":[" + images + "],"
                + "\"referenceAudios\":[" + ref(activeAudio) + "," + ref(activeAudio) + "," + ref(activeAudio) + "," + ref(activeAudio) + "],"
                + "\"referenceVideos\":null, \"extra\":{\"ignored\":true}}";

        // One batched read for every asset:// reference (and no single-item reads).
        CountingInterceptor counter = new CountingInterceptor();
        try (DynamoDbClient counted = DynamoDbClient.builder().region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(() -> software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("test", "test"))
                .endpointOverride(LocalDynamoDb.endpoint())
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.addExecutionInterceptor(counter)).build()) {
            ReferenceCheck check = new ReferenceCheck(new dev.assetlib.store.AssetStore(counted, fx.table, new dev.assetlib.domain.AssetIds()));
            JsonNode data = check.check(ACCOUNT, (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(body));
            assertThat(counter.batchGets.get()).isEqualTo(1);
            assertThat(counter.gets.get()).isZero();
            assertThat(data).isEqualTo(resolve(ACCOUNT, body));
        }

        JsonNode data = resolve(ACCOUNT, body);
        assertThat(data.get("ok").asBoolean()).isFalse();
        List<String> problems = new ArrayList<>();
        data.get("problems").forEach(p -> problems.add(p.get("code").asText() + " " + p.get("field").asText()
                + (p.has("index") ? "[" + p.get("index").asInt() + "]" : "") + (p.has("assetId") ? " " + p.get("assetId").asText() : "")));
        assertThat(problems).containsExactlyInAnyOrder(
                "ASSET_NOT_ACTIVE referenceImages[1] " + processingImage.assetId(),
                "ASSET_DELETED referenceImages[2] " + deleted.assetId(),
                "ASSET_NOT_FOUND referenceImages[3] " + foreign.assetId(),
                "ASSET_NOT_FOUND referenceImages[4] " + missing,
                "MALFORMED_ASSET_ID referenceImages[5]",
                "INVALID_URL referenceImages[7]",
                "INVALID_VALUE referenceImages[8]",
                "WRONG_ASSET_TYPE referenceImages[9] " + activeAudio.assetId(),
                "TOO_MANY_IMAGES referenceImages",
                "TOO_MANY_AUDIOS referenceAudios",
                "FRAME_WITH_REFERENCES first_image",
                "REFERENCE_VIDEOS_REQUIRED referenceVideos");
        data.get("problems").forEach(p -> assertThat(p.get("message").asText()).isNotBlank());
        JsonNode notActive = find(data, "ASSET_NOT_ACTIVE");
        assertThat(notActive.get("status").asText()).isEqualTo("Processing");

        // The failed video, the wrong field for a video, and a last frame.
        JsonNode second = resolve(ACCOUNT, "{\"model\":\"seedance_2_0_pro\",\"last_image\":" + ref(failedVideo) + "}");
        assertThat(second.get("problems")).hasSize(2);
        JsonNode failed = find(second, "ASSET_FAILED");
        assertThat(failed.get("field").asText()).isEqualTo("last_image");
        assertThat(failed.has("index")).isFalse();
        assertThat(failed.get("assetErrorCode").asText()).isEqualTo("REVIEW_REJECTED");
        assertThat(failed.get("message").asText()).contains("several faces");
        assertThat(find(second, "WRONG_ASSET_TYPE").get("assetId").asText()).isEqualTo(failedVideo.assetId());

        // Too many videos, and a model's requirement met.
        Asset v = asset(ACCOUNT, AssetType.Video, AssetStatus.Active);
        JsonNode third = resolve(ACCOUNT, "{\"model\":\"seedance_2_0_fast\",\"referenceVideos\":[" + String.join(",",
                ref(v), ref(v), ref(v), ref(v)) + "]}");
        assertThat(third.get("problems")).singleElement().satisfies(p -> assertThat(p.get("code").asText()).isEqualTo("TOO_MANY_VIDEOS"));
    }

    @Test
    void aCleanRequestIsOkAndPlainUrlsPassMarkedNotReviewed() throws Exception {
        Asset image = asset(ACCOUNT, AssetType.Image, AssetStatus.Active);
        Asset video = asset(ACCOUNT, AssetType.Video, AssetStatus.Active);
        JsonNode data = resolve(ACCOUNT, "{\"model\":\"seedance_2_0\",\"referenceImages\":[" + ref(image)
                + ",\"https://example.com/bg.jpg\"],\"referenceVideos\":[" + ref(video) + "]}");
        assertThat(data.get("ok").asBoolean()).isTrue();
        assertThat(data.get("problems")).isEmpty();
        JsonNode refs = data.get("references");
        assertThat(refs).hasSize(3);
        assertThat(refs.get(0).get("reviewed").asBoolean()).isTrue();
        assertThat(refs.get(0).get("status").asText()).isEqualTo("Active");
        assertThat(refs.get(1).get("reviewed").asBoolean()).isFalse();
        assertThat(refs.get(1).get("value").asText()).isEqualTo("https://example.com/bg.jpg");
        assertThat(refs.get(1).has("assetId")).isFalse();
    }

    @Test
    void theSampleEventIsAnsweredAndBadBodiesAreDocumented4xx() throws Exception {
        JsonNode sample = resolve("acct-demo", null);
        assertThat(sample.get("ok").asBoolean()).isFalse(); // its assets do not exist in a fresh table
        assertThat(find(sample, "ASSET_NOT_FOUND")).isNotNull();

        for (String[] bad : new String[][] {{"", "40001"}, {"[]", "40003"}, {"{", "40002"},
            {"{\"referenceImages\":[" + "\"https://example.com/a.jpg\",".repeat(50) + "\"https://example.com/a.jpg\"]}", "40040"}}) {
            APIGatewayV2HTTPEvent e = Events.http("api-asset-resolve.json", ACCOUNT);
            e.setBody(bad[0]);
            APIGatewayV2HTTPResponse r = fx.queryHandler.handleRequest(e, null);
            assertThat(r.getStatusCode()).isEqualTo(400);
            assertThat(Json.MAPPER.readTree(r.getBody()).get("code").asInt()).isEqualTo(Integer.parseInt(bad[1]));
        }
        APIGatewayV2HTTPEvent e = Events.http("api-asset-resolve.json", null);
        assertThat(fx.queryHandler.handleRequest(e, null).getStatusCode()).isEqualTo(401);
        JsonNode shape = resolve(ACCOUNT, "{\"referenceImages\":\"asset://x\",\"model\":5}");
        assertThat(shape.get("problems")).extracting(p -> p.get("code").asText()).contains("INVALID_VALUE");
    }

    private static JsonNode find(JsonNode data, String code) {
        for (JsonNode p : data.get("problems")) {
            if (p.get("code").asText().equals(code)) {
                return p;
            }
        }
        return null;
    }

    /** Counts the DynamoDB calls a client makes. */
    private static final class CountingInterceptor implements ExecutionInterceptor {
        final AtomicInteger batchGets = new AtomicInteger();
        final AtomicInteger gets = new AtomicInteger();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof BatchGetItemRequest) {
                batchGets.incrementAndGet();
            } else if (context.request() instanceof GetItemRequest) {
                gets.incrementAndGet();
            }
        }
    }
}
