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
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sfn.model.SfnException;

/** UploadFunction with the sample event of events/, DynamoDB Local, and a recording fake of Step Functions. */
@ExtendWith(LocalAws.class)
class UploadHandlerTest {
    private static AwsClients clients;
    private static String table;
    private FakeSfnClient sfn;
    private UploadHandler handler;
    private AssetStore store;

    @BeforeEach
    void setUp(LocalAws aws) {
        clients = aws.clients();
        table = aws.table();
        sfn = new FakeSfnClient();
        store = new AssetStore(clients.dynamoDb(), table, new AssetIds());
        handler = dev.assetlib.testing.Fixture.uploadHandler(clients, store, sfn, Clock.systemUTC());
    }

    private static APIGatewayV2HTTPEvent upload(String account, String body) {
        APIGatewayV2HTTPEvent event = Events.http("api-seedance-upload.json", account);
        event.setBody(body);
        return event;
    }

    private int assetCount(String account) {
        // Asset items only (the partition also holds their history events).
        return clients.dynamoDb().query(r -> r.tableName(table).keyConditionExpression("pk = :pk")
                .filterExpression("attribute_exists(assetType)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("ACCOUNT#" + account)))).count();
    }

    @Test
    void theSampleUploadAnswersAtOnceWithAnIdAndStartsOneReview() throws Exception {
        APIGatewayV2HTTPResponse response = handler.handleRequest(Events.http("api-seedance-upload.json", "acct-up"), null);

        assertThat(response.getStatusCode()).isEqualTo(200);
        JsonNode body = Json.MAPPER.readTree(response.getBody());
        assertThat(body.get("code").isInt()).isTrue();
        assertThat(body.get("code").asInt()).isZero();
        assertThat(body.get("msg").isNull()).isTrue();
        String id = body.at("/data/assetId").asText();
        assertThat(AssetIds.isWellFormed(id)).isTrue();

        assertThat(store.get("acct-up", id)).get().satisfies(a -> {
            assertThat(a.status()).isEqualTo(AssetStatus.Processing);
            assertThat(a.name()).isEqualTo("My portrait photo");
        });
        assertThat(sfn.started).hasSize(1);
        assertThat(sfn.started.get(0).name()).isEqualTo("review-" + id);
        JsonNode input = Json.MAPPER.readTree(sfn.started.get(0).input());
        assertThat(input.get("accountId").asText()).isEqualTo("acct-up");
        assertThat(input.get("kind").asText()).isEqualTo("single");
        assertThat(input.at("/pending/0/assetId").asText()).isEqualTo(id);
        assertThat(input.at("/pending/0/url").asText()).isEqualTo("https://example.com/portrait.jpg");
    }

    /** Issue 15, F2 and F4: text that UTF-8 cannot hold is refused, and lengths are counted in characters. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "{\"assetType\":\"Image\",\"url\":\"https://example.com/a.jpg\",\"name\":\"a\\ud800b\"} | 40012",
        "{\"assetType\":\"Image\",\"url\":\"https://example.com/a.jpg\",\"name\":\"\\udfff\"}  | 40012",
        "{\"assetType\":\"Image\",\"url\":\"https://example.com/\\ud800.jpg\"}                | 40011"})
    void loneSurrogatesAreRefusedNotStoredAsQuestionMarks(String body, int code) throws Exception {
        APIGatewayV2HTTPResponse response = handler.handleRequest(upload("acct-surrogate", body), null);
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(400);
        JsonNode answer = Json.MAPPER.readTree(response.getBody());
        assertThat(answer.get("code").asInt()).isEqualTo(code);
        assertThat(answer.get("msg").asText()).contains("lone surrogate");
        assertThat(assetCount("acct-surrogate")).isZero();
    }

    @Test
    void aNameOf256CharactersOutsideTheBasicPlaneIsAccepted() throws Exception {
        String emoji = "\uD83D\uDE00".repeat(256);
        APIGatewayV2HTTPResponse ok = handler.handleRequest(upload("acct-astral", Json.MAPPER.writeValueAsString(Map.of(
                "assetType", "Image", "url", "https://example.com/a.jpg", "name", emoji))), null);
        assertThat(ok.getStatusCode()).as(ok.getBody()).isEqualTo(200);
        APIGatewayV2HTTPResponse tooLong = handler.handleRequest(upload("acct-astral", Json.MAPPER.writeValueAsString(Map.of(
                "assetType", "Image", "url", "https://example.com/a.jpg", "name", emoji + "\uD83D\uDE00"))), null);
        assertThat(tooLong.getStatusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(tooLong.getBody()).get("msg").asText()).startsWith("name is 257 characters long");
    }

    @Test
    void unknownExtraFieldsAreIgnored() {
        APIGatewayV2HTTPResponse response = handler.handleRequest(upload("acct-x",
                "{\"assetType\":\"Audio\",\"url\":\"https://example.com/a.mp3\",\"colour\":\"blue\"}"), null);
        assertThat(response.getStatusCode()).isEqualTo(200);
    }

    @Test
    void aBase64EncodedBodyIsDecoded() {
        APIGatewayV2HTTPEvent event = upload("acct-x", Base64.getEncoder().encodeToString(
                "{\"assetType\":\"Video\",\"url\":\"https://example.com/v.mp4\"}".getBytes(StandardCharsets.UTF_8)));
        event.setIsBase64Encoded(true);
        assertThat(handler.handleRequest(event, null).getStatusCode()).isEqualTo(200);
    }

    static Stream<Arguments> badBodies() {
        String ok = "\"url\":\"https://example.com/a.jpg\"";
        return Stream.of(
                Arguments.of("missing body", null, 400, 40001, "empty"),
                Arguments.of("empty body", "", 400, 40001, "empty"),
                Arguments.of("blank body", "   ", 400, 40001, "empty"),
                Arguments.of("not JSON", "assetType=Image", 400, 40002, "not valid JSON"),
                Arguments.of("JSON array", "[1,2]", 400, 40003, "JSON object"),
                Arguments.of("JSON string", "\"Image\"", 400, 40003, "JSON object"),
                Arguments.of("over 64 KB", "{\"assetType\":\"Image\"," + ok + ",\"name\":\"" + "x".repeat(70_000) + "\"}", 413, 41300, "65536"),
                Arguments.of("assetType missing", "{" + ok + "}", 400, 40010, "required"),
                Arguments.of("assetType lowercase", "{\"assetType\":\"image\"," + ok + "}", 400, 40010, "case-sensitive"),
                Arguments.of("assetType unknown", "{\"assetType\":\"Picture\"," + ok + "}", 400, 40010, "Picture"),
                Arguments.of("assetType not a string", "{\"assetType\":3," + ok + "}", 400, 40010, "string"),
                Arguments.of("url missing", "{\"assetType\":\"Image\"}", 400, 40011, "required"),
                Arguments.of("url empty", "{\"assetType\":\"Image\",\"url\":\"\"}", 400, 40011, "empty"),
                Arguments.of("url relative", "{\"assetType\":\"Image\",\"url\":\"/a.jpg\"}", 400, 40011, "absolute"),
                Arguments.of("url ftp", "{\"assetType\":\"Image\",\"url\":\"ftp://example.com/a.jpg\"}", 400, 40011, "ftp"),
                Arguments.of("url file", "{\"assetType\":\"Image\",\"url\":\"file:///etc/passwd\"}", 400, 40011, "file"),
                Arguments.of("url javascript", "{\"assetType\":\"Image\",\"url\":\"javascript:alert(1)\"}", 400, 40011, "javascript"),
                Arguments.of("url too long", "{\"assetType\":\"Image\",\"url\":\"https://example.com/" + "a".repeat(2040) + "\"}", 400, 40011, "2048"),
                Arguments.of("url with credentials", "{\"assetType\":\"Image\",\"url\":\"https://u:p@example.com/a.jpg\"}", 400, 40011, "credentials"),
                Arguments.of("url not a string", "{\"assetType\":\"Image\",\"url\":[\"https://example.com\"]}", 400, 40011, "string"),
                Arguments.of("name not a string", "{\"assetType\":\"Image\"," + ok + ",\"name\":12}", 400, 40012, "string"),
                Arguments.of("name too long", "{\"assetType\":\"Image\"," + ok + ",\"name\":\"" + "n".repeat(257) + "\"}", 400, 40012, "256"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void badInputGetsTheEnvelopeWithAStableCodeAndWritesNothing(String what, String body, int status, int code, String hint)
            throws Exception {
        String account = "acct-bad-" + code + "-" + Math.abs(what.hashCode());
        APIGatewayV2HTTPResponse response = handler.handleRequest(upload(account, body), null);

        assertThat(response.getStatusCode()).isEqualTo(status);
        JsonNode envelope = Json.MAPPER.readTree(response.getBody());
        assertThat(envelope.get("code").isInt()).isTrue();
        assertThat(envelope.get("code").asInt()).isEqualTo(code);
        assertThat(envelope.get("msg").asText()).contains(hint);
        assertThat(envelope.get("data").isNull()).isTrue();
        assertThat(assetCount(account)).isZero();
        assertThat(sfn.started).isEmpty();
    }

    @Test
    void aRequestWithoutAValidKeyIsRefusedWith401AndWritesNothing() throws Exception {
        APIGatewayV2HTTPResponse response = handler.handleRequest(Events.http("api-seedance-upload.json", null), null);
        assertThat(response.getStatusCode()).isEqualTo(401);
        JsonNode envelope = Json.MAPPER.readTree(response.getBody());
        assertThat(envelope.get("code").asInt()).isEqualTo(40100);
        assertThat(envelope.get("msg").asText()).contains("Authorization: Bearer");
        assertThat(sfn.started).isEmpty();
    }

    @Test
    void whenTheReviewCannotStartTheUploadIsRefusedAndLeavesNothingBehind() throws Exception {
        sfn.failWith = SfnException.builder().message("Rate exceeded").statusCode(400).build();
        APIGatewayV2HTTPResponse response = handler.handleRequest(upload("acct-nostart",
                "{\"assetType\":\"Image\",\"url\":\"https://example.com/a.jpg\"}"), null);

        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(Json.MAPPER.readTree(response.getBody()).get("code").asInt()).isEqualTo(50300);
        assertThat(response.getHeaders()).as("a 503 says when to retry").containsEntry("Retry-After", "2");
        assertThat(assetCount("acct-nostart")).isZero();
    }
}
