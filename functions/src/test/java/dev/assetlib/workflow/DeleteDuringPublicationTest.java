package dev.assetlib.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.app.review.CompletionPublisher;
import dev.assetlib.app.review.PollSchedule;
import dev.assetlib.app.review.ReviewState;
import dev.assetlib.app.review.ReviewWorkflow;
import dev.assetlib.aws.AwsClients;
import dev.assetlib.json.Json;
import dev.assetlib.review.SimulatedReviewer;
import dev.assetlib.testing.Events;
import dev.assetlib.testing.Fixture;
import dev.assetlib.testing.LocalAws;
import dev.assetlib.testing.LocalSqs;
import dev.assetlib.testing.MutableClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Issue 15, hole 3: a delete that arrives while a review's Active decision is being published. The
 * delete is run from inside the publication (between the status write and the message, or between
 * the claim and the message), against DynamoDB Local and ElasticMQ: exactly one completion either
 * way, and never Active when the delete came first.
 */
@ExtendWith(LocalAws.class)
class DeleteDuringPublicationTest {
    private static AwsClients clients;
    private MutableClock clock;
    private Fixture fx;

    @BeforeAll
    static void startServers(LocalAws aws) {
        clients = aws.clients();
    }

    @BeforeEach
    void setUp() {
        clock = new MutableClock(Instant.parse("2026-03-30T14:21:58Z"));
        fx = new Fixture(clients, clock);
    }

    private String upload(String account) throws Exception {
        APIGatewayV2HTTPEvent e = Events.http("api-seedance-upload.json", account);
        e.setBody("{\"assetType\":\"Image\",\"url\":\"https://example.com/race.jpg\",\"name\":\"Race\"}");
        APIGatewayV2HTTPResponse r = fx.uploadHandler.handleRequest(e, null);
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        return Json.MAPPER.readTree(r.getBody()).at("/data/assetId").asText();
    }

    private void delete(String account, String id) {
        APIGatewayV2HTTPEvent e = Events.http("api-seedance-delete.json", account);
        e.setPathParameters(Map.of("assetId", id));
        assertThat(fx.manageHandler.handleRequest(e, null).getStatusCode()).isEqualTo(200);
    }

    /** A client of {@code type} that runs {@code before} once, ahead of the first call {@code when} matches. */
    @SuppressWarnings("unchecked")
    private static <T> T interceptOnce(Class<T> type, T real, java.util.function.Predicate<Object[]> when,
                                       String method, Runnable before) {
        AtomicBoolean done = new AtomicBoolean();
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, m, rawArgs) -> {
            Object[] args = rawArgs;
            if (m.getName().equals("updateItem") && args != null && args[0] instanceof java.util.function.Consumer<?> c) {
                // The store uses the builder form: build the request so that the predicate can see it.
                UpdateItemRequest.Builder b = UpdateItemRequest.builder();
                ((java.util.function.Consumer<UpdateItemRequest.Builder>) c).accept(b);
                args = new Object[] {b.build()};
                m = DynamoDbClient.class.getMethod("updateItem", UpdateItemRequest.class);
            }
            if (m.getName().equals(method) && args != null && when.test(args) && done.compareAndSet(false, true)) {
                before.run();
            }
            try {
                return m.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    private List<JsonNode> completions() throws Exception {
        List<JsonNode> sent = new ArrayList<>();
        for (Message m : LocalSqs.drain(clients.sqs(), fx.queue)) {
            sent.add(Json.MAPPER.readTree(m.body()));
        }
        return sent;
    }

    private ReviewState decide(ReviewWorkflow workflow) throws Exception {
        ReviewState s = workflow.submit(Json.MAPPER.readValue(fx.sfn.started.get(0).input(), ReviewState.class));
        clock.advance(Duration.ofSeconds(31));
        return workflow.check(s);
    }

    @Test
    void aDeleteAfterTheActiveCompletionIsClaimedKeepsActiveAndSendsNothingMore() throws Exception {
        String account = "acct-race-a";
        String id = upload(account);
        // The delete lands while the Active message is on its way (after the status write and the claim).
        // (A round's completions go out in SendMessageBatch calls of ten.)
        SqsClient sqs = interceptOnce(SqsClient.class, clients.sqs(), args -> true, "sendMessageBatch", () -> delete(account, id));
        ReviewWorkflow workflow = new ReviewWorkflow(fx.store, new SimulatedReviewer(Duration.ofSeconds(30), List.of(), clock),
                new CompletionPublisher(sqs, fx.queue), new PollSchedule(2, 1.5, 60), clock);

        assertThat(decide(workflow).done()).isTrue();

        List<JsonNode> sent = completions();
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).get("status").asText()).isEqualTo("Active");
        assertThat(fx.store.get(account, id).orElseThrow().isDeleted()).isTrue();
        // A retried check (the task's output lost) sends nothing more.
        assertThat(fx.store.get(account, id).orElseThrow().completionSent()).isTrue();
    }

    @Test
    void aDeleteBetweenTheActiveWriteAndItsClaimWinsWithOneFailedDeletedCompletion() throws Exception {
        String account = "acct-race-b";
        String id = upload(account);
        // The delete lands just after the review wrote Active, before the Active completion is claimed.
        DynamoDbClient dynamo = interceptOnce(DynamoDbClient.class, clients.dynamoDb(),
                args -> args[0] instanceof UpdateItemRequest u && u.updateExpression().contains(":claimed"),
                "updateItem", () -> delete(account, id));
        dev.assetlib.store.AssetStore store = new dev.assetlib.store.AssetStore(dynamo, fx.table, new dev.assetlib.domain.AssetIds());
        ReviewWorkflow workflow = new ReviewWorkflow(store, new SimulatedReviewer(Duration.ofSeconds(30), List.of(), clock),
                fx.completions, new PollSchedule(2, 1.5, 60), clock);

        assertThat(decide(workflow).done()).isTrue();

        List<JsonNode> sent = completions();
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).get("status").asText()).isEqualTo("Failed");
        assertThat(sent.get(0).get("errorCode").asText()).isEqualTo("DELETED");
    }
}
