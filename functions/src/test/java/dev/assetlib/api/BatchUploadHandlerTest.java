package dev.assetlib.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assetlib.testing.LocalAws;
import org.junit.jupiter.api.extension.ExtendWith;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.aws.AwsClients;
import dev.assetlib.domain.AssetIds;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.json.Json;
import dev.assetlib.store.AssetStore;
import dev.assetlib.testing.Events;
import dev.assetlib.testing.FakeSfnClient;
import dev.assetlib.app.review.ReviewStarter;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SD2 Manxue batch upload with the events/ sample, DynamoDB Local and a recording fake of Step Functions. */
@ExtendWith(LocalAws.class)
class BatchUploadHandlerTest {
    private static AwsClients clients;
    private static String table;
    private FakeSfnClient sfn;
    private AssetStore store;
    private UploadHandler handler;

    @BeforeEach
    void setUp(LocalAws aws) {
        clients = aws.clients();
        table = aws.table();
        sfn = new FakeSfnClient();
        store = new AssetStore(clients.dynamoDb(), table, new AssetIds());
        handler = dev.assetlib.testing.Fixture.uploadHandler(clients, store, sfn, Clock.systemUTC());
    }

    private JsonNode post(String account, String body) throws Exception {
        APIGatewayV2HTTPEvent event = Events.http("api-sd2-upload.json", account);
        if (body != null) {
            event.setBody(body);
        }
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
        JsonNode json = Json.MAPPER.readTree(response.getBody());
        ((com.fasterxml.jackson.databind.node.ObjectNode) json).put("_status", response.getStatusCode());
        return json;
    }

    @Test
    void eachAcceptedUrlBecomesItsOwnSubmittedAssetAndRefusedOnesAreListedWithTheirReason() throws Exception {
        JsonNode body = post("acct-b", "{\"imageUrls\":[\"https://example.com/a.jpg\",\"https://example.com/b.jpg\"],"
                + "\"videoUrls\":[\"https://example.com/v.mp4\"],\"audioUrls\":[\"https://example.com/s.mp3\",\"ftp://example.com/x.mp3\"]}");

        assertThat(body.get("_status").asInt()).isEqualTo(200);
        assertThat(body.get("code").isTextual()).isTrue();
        assertThat(body.get("code").asText()).isEqualTo("0");
        JsonNode items = body.at("/data/items");
        assertThat(items).hasSize(4);
        assertThat(items.findValuesAsText("assetType")).containsExactly("Image", "Image", "Video", "Audio");
        assertThat(items.findValuesAsText("originalUrl")).containsExactly("https://example.com/a.jpg",
                "https://example.com/b.jpg", "https://example.com/v.mp4", "https://example.com/s.mp3");
        assertThat(items.findValuesAsText("status")).containsOnly("submitted");
        Set<String> ids = new HashSet<>(items.findValuesAsText("assetId"));
        assertThat(ids).hasSize(4).allMatch(AssetIds::isWellFormed);
        JsonNode failed = body.at("/data/failedItems");
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).get("originalUrl").asText()).isEqualTo("ftp://example.com/x.mp3");
        assertThat(failed.get(0).get("errorMessage").asText()).contains("ftp");

        for (String id : ids) {
            assertThat(store.get("acct-b", id)).get().extracting(a -> a.status()).isEqualTo(AssetStatus.submitted);
        }
        // One review for the whole batch.
        assertThat(sfn.started).hasSize(1);
        JsonNode input = Json.MAPPER.readTree(sfn.started.get(0).input());
        assertThat(input.get("kind").asText()).isEqualTo("batch");
        assertThat(input.get("pending")).hasSize(4);
    }

    @Test
    void theSameUrlTwiceIsTwoItems() throws Exception {
        JsonNode body = post("acct-b", "{\"imageUrls\":[\"https://example.com/a.jpg\",\"https://example.com/a.jpg\"]}");
        JsonNode items = body.at("/data/items");
        assertThat(items).hasSize(2);
        assertThat(items.get(0).get("assetId").asText()).isNotEqualTo(items.get(1).get("assetId").asText());
    }

    @Test
    void aBatchWhoseEveryUrlIsRefusedCreatesNothingAndStartsNothing() throws Exception {
        JsonNode body = post("acct-none", "{\"imageUrls\":[\"ftp://x/a.jpg\",\"not a url\"]}");
        assertThat(body.get("_status").asInt()).isEqualTo(200);
        assertThat(body.at("/data/items")).isEmpty();
        assertThat(body.at("/data/failedItems")).hasSize(2);
        assertThat(sfn.started).isEmpty();
    }

    @Test
    void theSampleEventIsAccepted() throws Exception {
        JsonNode body = post("acct-sample", null);
        assertThat(body.at("/data/items")).hasSize(4);
        assertThat(body.at("/data/failedItems")).isEmpty();
    }

    static Stream<Arguments> badBatches() {
        String twentyOne = String.join(",", java.util.Collections.nCopies(21, "\"https://example.com/a.jpg\""));
        return Stream.of(
                Arguments.of("no arrays", "{}", 400, "40020"),
                Arguments.of("all arrays empty", "{\"imageUrls\":[],\"videoUrls\":[],\"audioUrls\":[]}", 400, "40020"),
                Arguments.of("not an array", "{\"imageUrls\":\"https://example.com/a.jpg\"}", 400, "40020"),
                Arguments.of("a non-string URL", "{\"imageUrls\":[\"https://example.com/a.jpg\", 7]}", 400, "40020"),
                Arguments.of("a lone surrogate in a URL", "{\"imageUrls\":[\"https://example.com/\\ud800.jpg\"]}", 400, "40020"),
                Arguments.of("21 URLs", "{\"imageUrls\":[" + twentyOne + "]}", 400, "40021"),
                Arguments.of("not JSON", "imageUrls=x", 400, "40002"),
                Arguments.of("empty body", "", 400, "40001"),
                Arguments.of("over 64 KB", "{\"imageUrls\":[\"https://example.com/" + "a".repeat(70_000) + "\"]}", 413, "41300"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBatches")
    void badBatchesGetTheEnvelopeWithAStringCodeAndCreateNothing(String what, String body, int status, String code) throws Exception {
        JsonNode response = post("acct-bad", body);
        assertThat(response.get("_status").asInt()).isEqualTo(status);
        assertThat(response.get("code").isTextual()).isTrue();
        assertThat(response.get("code").asText()).isEqualTo(code);
        assertThat(response.get("msg").asText()).isNotBlank();
        assertThat(response.get("data").isNull()).isTrue();
        assertThat(sfn.started).isEmpty();
    }
}
