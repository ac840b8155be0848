package dev.assetlib.api;

import dev.assetlib.testing.LocalAws;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.assetlib.store.StatusChange;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.aws.AwsClients;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.json.Json;
import dev.assetlib.review.SimulatedReviewer;
import dev.assetlib.testing.Events;
import dev.assetlib.testing.Fixture;
import dev.assetlib.testing.LocalSqs;
import dev.assetlib.testing.MutableClock;
import dev.assetlib.app.review.ReviewState;
import dev.assetlib.app.review.ReviewWorkflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Delete, rename and history through the handlers with the events/ samples, against DynamoDB Local
 * and ElasticMQ, with the review tasks run by hand on a hand-moved clock.
 */
@ExtendWith(LocalAws.class)
class ManageAssetsTest {
    private static final Instant START = Instant.parse("2026-03-30T14:21:58Z");
    private static AwsClients clients;
    private MutableClock clock;
    private Fixture fx;
    private ReviewWorkflow workflow;

    @BeforeAll
    static void startServers(LocalAws aws) {
        clients = aws.clients();
    }

    @BeforeEach
    void setUp() {
        clock = new MutableClock(START);
        fx = new Fixture(clients, clock);
        workflow = fx.workflow(new SimulatedReviewer(Duration.ofSeconds(30), List.of(), clock));
    }

    // ------------------------------------------------------------------ helpers

    private String uploadSingle(String account, String url) throws Exception {
        APIGatewayV2HTTPEvent e = Events.http("api-seedance-upload.json", account);
        e.setBody("{\"assetType\":\"Image\",\"url\":\"" + url + "\",\"name\":\"Portrait\"}");
        APIGatewayV2HTTPResponse r = fx.uploadHandler.handleRequest(e, null);
        assertThat(r.getStatusCode()).isEqualTo(200);
        return Json.MAPPER.readTree(r.getBody()).at("/data/assetId").asText();
    }

    private ReviewState startedReview(int index) throws Exception {
        return Json.MAPPER.readValue(fx.sfn.started.get(index).input(), ReviewState.class);
    }

    private JsonNode call(APIGatewayV2HTTPResponse r, int status) throws Exception {
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(status);
        return Json.MAPPER.readTree(r.getBody());
    }

    private APIGatewayV2HTTPResponse delete(String account, String id) {
        APIGatewayV2HTTPEvent e = Events.http("api-seedance-delete.json", account);
        e.setPathParameters(Map.of("assetId", id));
        return fx.manageHandler.handleRequest(e, null);
    }

    private APIGatewayV2HTTPResponse rename(String account, String id, String body) {
        APIGatewayV2HTTPEvent e = Events.http("api-asset-rename.json", account);
        e.setPathParameters(Map.of("assetId", id));
        e.setBody(body);
        return fx.manageHandler.handleRequest(e, null);
    }

    private APIGatewayV2HTTPResponse history(String account, String id) {
        APIGatewayV2HTTPEvent e = Events.http("api-asset-history.json", account);
        e.setPathParameters(Map.of("assetId", id));
        return fx.queryHandler.handleRequest(e, null);
    }

    private APIGatewayV2HTTPResponse detail(String account, String id) {
        APIGatewayV2HTTPEvent e = Events.http("api-seedance-detail.json", account);
        e.setPathParameters(Map.of("assetId", id));
        return fx.queryHandler.handleRequest(e, null);
    }

    private JsonNode batchStatus(String account, String... ids) throws Exception {
        APIGatewayV2HTTPEvent e = Events.http("api-sd2-status.json", account);
        e.setBody(Json.MAPPER.writeValueAsString(Map.of("assetIds", List.of(ids))));
        return call(fx.queryHandler.handleRequest(e, null), 200);
    }

    private List<String> listIds(String account) throws Exception {
        APIGatewayV2HTTPEvent e = Events.http("api-asset-list.json", account);
        e.setQueryStringParameters(Map.of());
        List<String> ids = new ArrayList<>();
        call(fx.queryHandler.handleRequest(e, null), 200).at("/data/items").forEach(i -> ids.add(i.get("assetId").asText()));
        return ids;
    }

    private JsonNode resolve(String account, String body) throws Exception {
        APIGatewayV2HTTPEvent e = Events.http("api-asset-resolve.json", account);
        e.setBody(body);
        return call(fx.queryHandler.handleRequest(e, null), 200);
    }

    private Map<String, AttributeValue> rawItem(String pk, String sk) {
        return clients.dynamoDb().getItem(r -> r.tableName(fx.table)
                .key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk)))).item();
    }

    private List<Map<String, AttributeValue>> rawEvents(String account, String id) {
        return clients.dynamoDb().query(r -> r.tableName(fx.table).keyConditionExpression("pk = :pk AND begins_with(sk, :p)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("ACCOUNT#" + account),
                        ":p", AttributeValue.fromS("ASSET#" + id + "#EV#")))).items();
    }

    // ------------------------------------------------------------------ delete

    @Test
    void aDeleteDuringReviewEndsItFailedWithOneDeletedCompletionAndNoActiveCompletionEverFollows() throws Exception {
        String id = uploadSingle("acct-del", "https://example.com/review.jpg");
        ReviewState review = workflow.submit(startedReview(0));
        clock.advance(Duration.ofSeconds(5));
        review = workflow.check(review);
        assertThat(review.done()).isFalse();

        clock.advance(Duration.ofSeconds(1));
        JsonNode body = call(delete("acct-del", id), 200);
        // The contract's exact answer: string code, msg "success", data null.
        assertThat(body.toString()).isEqualTo("{\"code\":\"0\",\"msg\":\"success\",\"data\":null}");

        List<Message> completions = LocalSqs.drain(clients.sqs(), fx.queue);
        assertThat(completions).hasSize(1);
        JsonNode completion = Json.MAPPER.readTree(completions.get(0).body());
        assertThat(completion.get("assetId").asText()).isEqualTo(id);
        assertThat(completion.get("status").asText()).isEqualTo("Failed");
        assertThat(completion.get("errorCode").asText()).isEqualTo("DELETED");
        assertThat(fx.sfn.stopped).singleElement().satisfies(stop ->
                assertThat(stop.executionArn()).endsWith(":execution:AssetReview:review-" + id));

        // The review, had it not been stopped, would now approve: nothing moves, nothing is sent.
        clock.advance(Duration.ofSeconds(60));
        ReviewState after = workflow.check(review);
        assertThat(after.done()).isTrue();
        assertThat(fx.store.get("acct-del", id).orElseThrow().status()).isEqualTo(AssetStatus.Failed);
        assertThat(LocalSqs.drain(clients.sqs(), fx.queue)).isEmpty();

        // Gone for its owner everywhere.
        assertThat(call(detail("acct-del", id), 404).get("code").asInt()).isEqualTo(40400);
        JsonNode status = batchStatus("acct-del", id);
        assertThat(status.at("/data/items")).isEmpty();
        assertThat(status.at("/data/failedItems/0/assetId").asText()).isEqualTo(id);
        assertThat(listIds("acct-del")).doesNotContain(id);
        JsonNode resolved = resolve("acct-del", "{\"model\":\"seedance_2_0_pro\",\"referenceImages\":[\"asset://" + id + "\"]}");
        assertThat(resolved.at("/data/ok").asBoolean()).isFalse();
        assertThat(resolved.at("/data/problems/0/code").asText()).isEqualTo("ASSET_DELETED");
        assertThat(call(delete("acct-del", id), 404).get("code").asText()).isEqualTo("40400");
        assertThat(call(rename("acct-del", id, "{\"name\":\"x\"}"), 404).get("code").asInt()).isEqualTo(40400);

        // The history stays readable and shows the delete.
        JsonNode events = call(history("acct-del", id), 200).at("/data/events");
        assertThat(events).hasSize(2);
        assertThat(events.get(0).get("change").asText()).isEqualTo("created");
        assertThat(events.get(0).get("actor").asText()).isEqualTo("upload");
        assertThat(events.get(0).get("from").isNull()).isTrue();
        assertThat(events.get(0).get("to").asText()).isEqualTo("Processing");
        assertThat(events.get(1).get("change").asText()).isEqualTo("deleted");
        assertThat(events.get(1).get("actor").asText()).isEqualTo("delete");
        assertThat(events.get(1).get("from").asText()).isEqualTo("Processing");
        assertThat(events.get(1).get("to").asText()).isEqualTo("Failed");
        assertThat(events.get(1).get("errorCode").asText()).isEqualTo("DELETED");
        assertThat(events.get(1).get("time").asText()).isEqualTo("2026-03-30 14:22:04.000");
    }

    @Test
    void aDeleteSetsTheTtlOnTheTombstoneAndEveryHistoryEventAndRemovesItFromEveryIndex() throws Exception {
        String id = uploadSingle("acct-ttl", "https://example.com/ttl.jpg");
        call(rename("acct-ttl", id, "{\"name\":\"Renamed\"}"), 200);
        call(delete("acct-ttl", id), 200);

        long expected = START.plus(Fixture.RETENTION).getEpochSecond();
        Map<String, AttributeValue> asset = rawItem("ACCOUNT#acct-ttl", "ASSET#" + id);
        assertThat(asset.get("expiresAt").n()).isEqualTo(Long.toString(expected));
        assertThat(asset.get("deletedAt").n()).isEqualTo(Long.toString(START.toEpochMilli()));
        assertThat(asset).doesNotContainKeys("listSk", "urlKey", "statusKey", "typeKey", "statusTypeKey");
        List<Map<String, AttributeValue>> events = rawEvents("acct-ttl", id);
        assertThat(events).hasSize(3).allSatisfy(e -> assertThat(e.get("expiresAt").n()).isEqualTo(Long.toString(expected)));

        // After the retention period the history answers 404 even before DynamoDB's TTL sweep.
        clock.advance(Fixture.RETENTION.plusSeconds(1));
        call(history("acct-ttl", id), 404);
    }

    @Test
    void deletingAnActiveAssetKeepsItsStatusAndSendsNothingMore() throws Exception {
        String id = uploadSingle("acct-active", "https://example.com/ok.jpg");
        ReviewState review = workflow.submit(startedReview(0));
        clock.advance(Duration.ofSeconds(31));
        assertThat(workflow.check(review).done()).isTrue();
        assertThat(LocalSqs.drain(clients.sqs(), fx.queue)).hasSize(1);

        call(delete("acct-active", id), 200);

        assertThat(LocalSqs.drain(clients.sqs(), fx.queue)).isEmpty();
        assertThat(fx.sfn.stopped).isEmpty();
        JsonNode events = call(history("acct-active", id), 200).at("/data/events");
        assertThat(events).extracting(e -> e.get("actor").asText()).containsExactly("upload", "reviewer", "delete");
        assertThat(events.get(2).get("from").asText()).isEqualTo("Active");
        assertThat(events.get(2).get("to").asText()).isEqualTo("Active");
    }

    @Test
    void deletingOneAssetOfABatchLeavesTheBatchsReviewRunningForTheOthers() throws Exception {
        APIGatewayV2HTTPEvent e = Events.http("api-sd2-upload.json", "acct-batch");
        e.setBody("{\"imageUrls\":[\"https://example.com/a.jpg\",\"https://example.com/b.jpg\"]}");
        JsonNode items = call(fx.uploadHandler.handleRequest(e, null), 200).at("/data/items");
        String a = items.get(0).get("assetId").asText();
        String b = items.get(1).get("assetId").asText();
        ReviewState review = workflow.submit(startedReview(0));

        call(delete("acct-batch", a), 200);
        assertThat(fx.sfn.stopped).isEmpty();
        clock.advance(Duration.ofSeconds(31));
        assertThat(workflow.check(review).done()).isTrue();

        List<JsonNode> sent = new ArrayList<>();
        for (Message m : LocalSqs.drain(clients.sqs(), fx.queue)) {
            sent.add(Json.MAPPER.readTree(m.body()));
        }
        assertThat(sent).hasSize(2);
        assertThat(sent).anySatisfy(m -> {
            assertThat(m.get("assetId").asText()).isEqualTo(a);
            assertThat(m.get("status").asText()).isEqualTo("Failed");
            assertThat(m.get("errorCode").asText()).isEqualTo("DELETED");
        });
        assertThat(sent).anySatisfy(m -> {
            assertThat(m.get("assetId").asText()).isEqualTo(b);
            assertThat(m.get("status").asText()).isEqualTo("Active");
        });
        JsonNode events = call(history("acct-batch", a), 200).at("/data/events");
        assertThat(events).extracting(ev -> ev.get("actor").asText() + ":" + ev.get("to").asText())
                .containsExactly("upload:submitted", "reviewer:Processing", "delete:Failed");
    }

    @Test
    void aRenameToTextWithALoneSurrogateIsRefusedAndChangesNothing() throws Exception {
        String id = uploadSingle("acct-sur", "https://example.com/sur.jpg");
        JsonNode refused = call(rename("acct-sur", id, "{\"name\":\"\\ud800\"}"), 400);
        assertThat(refused.get("code").asInt()).isEqualTo(40012);
        assertThat(fx.store.get("acct-sur", id).orElseThrow().name()).isEqualTo("Portrait");
    }

    @Test
    void reviewerKeysMayNeitherDeleteNorRename() throws Exception {
        String id = uploadSingle("acct-roles", "https://example.com/roles.jpg");
        APIGatewayV2HTTPEvent del = Events.http("api-seedance-delete.json", "acct-roles");
        del.getRequestContext().getAuthorizer().getLambda().put("role", "reviewer");
        del.setPathParameters(Map.of("assetId", id));
        JsonNode refused = call(fx.manageHandler.handleRequest(del, null), 403);
        assertThat(refused.get("code").asText()).isEqualTo("40300");
        assertThat(refused.get("code").isTextual()).isTrue(); // the delete route's string code

        APIGatewayV2HTTPEvent ren = Events.http("api-asset-rename.json", "acct-roles");
        ren.getRequestContext().getAuthorizer().getLambda().put("role", "reviewer");
        ren.setPathParameters(Map.of("assetId", id));
        ren.setBody("{\"name\":\"renamed by a reviewer\"}");
        assertThat(call(fx.manageHandler.handleRequest(ren, null), 403).get("code").asInt()).isEqualTo(40300);

        // Nothing changed: still live, same name, no rename or delete in its history.
        JsonNode events = call(history("acct-roles", id), 200).at("/data/events");
        assertThat(events).extracting(e -> e.get("actor").asText()).containsExactly("upload");
        assertThat(fx.store.get("acct-roles", id).orElseThrow().name()).isEqualTo("Portrait");
    }

    @Test
    void anotherAccountCannotDeleteRenameOrReadTheHistory() throws Exception {
        String id = uploadSingle("acct-owner", "https://example.com/mine.jpg");
        call(delete("acct-thief", id), 404);
        call(rename("acct-thief", id, "{\"name\":\"stolen\"}"), 404);
        call(history("acct-thief", id), 404);
        assertThat(fx.store.getLive("acct-owner", id)).isPresent();
        assertThat(call(detail("acct-owner", id), 200).at("/data/name").asText()).isEqualTo("Portrait");
    }

    @Test
    void badInputOnTheManageRoutesIsADocumented4xx() throws Exception {
        assertThat(call(delete("acct-x", "not-an-id"), 400).get("code").asText()).isEqualTo("40013");
        assertThat(call(delete(null, "asset-20260330142158-q75m8"), 401).get("code").asText()).isEqualTo("40100");
        String id = uploadSingle("acct-x", "https://example.com/x.jpg");
        assertThat(call(rename("acct-x", id, "{}"), 400).get("code").asInt()).isEqualTo(40012);
        assertThat(call(rename("acct-x", id, "{\"name\":7}"), 400).get("code").asInt()).isEqualTo(40012);
        assertThat(call(rename("acct-x", id, "{\"name\":\"" + "n".repeat(257) + "\"}"), 400).get("code").asInt()).isEqualTo(40012);
        assertThat(call(rename("acct-x", id, "[1]"), 400).get("code").asInt()).isEqualTo(40003);
        assertThat(call(rename("acct-x", id, ""), 400).get("code").asInt()).isEqualTo(40001);
        assertThat(call(history("acct-x", "nope"), 400).get("code").asInt()).isEqualTo(40013);
        assertThat(call(history(null, id), 401).get("code").asInt()).isEqualTo(40100);
    }

    // ------------------------------------------------------------------ rename and history

    @Test
    void renameAnswersTheDetailAndTheHistoryListsEveryChangeInOrderWithItsActor() throws Exception {
        String id = uploadSingle("acct-h", "https://example.com/h.jpg");
        clock.advance(Duration.ofSeconds(1));
        JsonNode renamed = call(rename("acct-h", id, "{\"name\":\"Portrait, final\"}"), 200);
        assertThat(renamed.get("code").isInt()).isTrue();
        assertThat(renamed.at("/data/name").asText()).isEqualTo("Portrait, final");
        assertThat(renamed.at("/data/assetId").asText()).isEqualTo(id);
        assertThat(call(detail("acct-h", id), 200).at("/data/name").asText()).isEqualTo("Portrait, final");

        // A review that fails it, through the reviewer task, with its reason.
        fx.store.transition(StatusChange.of("acct-h", id)
                .from(java.util.EnumSet.of(AssetStatus.Processing)).to(AssetStatus.Failed).failing("REVIEW_REJECTED", "several faces where one is allowed")
                .by("reviewer:alice").at(clock.instant()));
        clock.advance(Duration.ofSeconds(1));
        call(rename("acct-h", id, "{\"name\":null}"), 200);

        JsonNode h = call(history("acct-h", id), 200);
        assertThat(h.get("code").isInt()).isTrue();
        JsonNode events = h.at("/data/events");
        assertThat(events).extracting(e -> e.get("seq").asInt()).containsExactly(1, 2, 3, 4);
        assertThat(events).extracting(e -> e.get("change").asText()).containsExactly("created", "renamed", "status", "renamed");
        assertThat(events).extracting(e -> e.get("actor").asText()).containsExactly("upload", "rename", "reviewer:alice", "rename");
        assertThat(events.get(1).get("fromName").asText()).isEqualTo("Portrait");
        assertThat(events.get(1).get("toName").asText()).isEqualTo("Portrait, final");
        assertThat(events.get(2).get("from").asText()).isEqualTo("Processing");
        assertThat(events.get(2).get("to").asText()).isEqualTo("Failed");
        assertThat(events.get(2).get("reason").asText()).isEqualTo("several faces where one is allowed");
        assertThat(events.get(3).get("toName").asText()).isEmpty();
        assertThat(events).allSatisfy(e -> assertThat(e.has("time")).isTrue());
    }
}
