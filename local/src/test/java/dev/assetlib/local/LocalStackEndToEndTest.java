package dev.assetlib.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.local.sfn.LocalLambda;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The whole stack in this JVM, started exactly as ./run-local starts it (same flags, free ports),
 * driven over HTTP and through the AWS SDK like a user would. Time scale 0.01: the simulated
 * review takes 10 s of virtual time, about 0.1 s real, while the real statemachine/ file polls it.
 */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class LocalStackEndToEndTest {
    /** Sample media on the JVM's allow-listed sample origin (the media step fetches every URL). */
    static final String SAMPLES = dev.assetlib.local.api.SampleOrigin.base();
    static final String KEY = "alk_e2eTestKey0123456789abcdefghijklmnopqrstuvw";
    static final String REJECT_REASON = "Rejected by the end-to-end test rule";
    static final String CRASH = "simulated task crash (end-to-end test)";
    static final Duration PATIENCE = Duration.ofSeconds(90);

    static RunningStack stack;
    static StackClient client;
    static String completionQueue;
    /** Every completion message seen so far, by asset id (the queue is shared by the tests). */
    static final Map<String, List<JsonNode>> completions = new ConcurrentHashMap<>();

    @BeforeAll
    static void startStack() throws Exception {
        StackSettings settings = LocalStack.settings("--api-port=0", "--dynamodb-port=0", "--sqs-port=0", "--sfn-port=0",
                "--s3-port=0", "--data-dir=local/target/e2e-uploads-" + java.util.UUID.randomUUID(),
                "--project-dir=..", "--in-memory",
                // One execution per upload, looked up by its name review-{batchId}: the direct mode's mechanics
                // (shared executions: SharedReviewStackTest).
                "--parameter", "ReviewStartMode=direct", "--time-scale=0.01", "--review-delay=10s", "--deadline=24h",
                "--dev-key", KEY + "=e2e-account", "--reject", "rejected-by-test=" + REJECT_REASON);
        stack = RunningStack.start(settings, new RunningStack.Hooks(LocalStackEndToEndTest::crashOnMarkedCheck,
                dev.assetlib.local.sfn.LambdaFaultInjector.NONE));
        client = new StackClient(stack, KEY);
        completionQueue = stack.queueUrls().get("CompletionQueue");
    }

    /** The task function throws, as a crashing Lambda would, when checking an asset whose URL says so. */
    static LocalLambda crashOnMarkedCheck(String functionId, LocalLambda function) {
        if (!functionId.equals("StatusCheckFunction")) {
            return function;
        }
        return payload -> {
            JsonNode input = StackClient.json(new String(payload, StandardCharsets.UTF_8));
            if (input.path("action").asText().equals("check") && input.toString().contains("task-throws")) {
                throw new IllegalStateException(CRASH);
            }
            return function.invoke(payload);
        };
    }

    @AfterAll
    static void stopStack() {
        if (client != null) {
            client.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void uploadBecomesActiveWithOneCompletionAndAVisibleReview() {
        String id = client.upload(SAMPLES + "e2e/portrait.jpg");
        assertThat(client.detail(id).path("status").asText()).isEqualTo("Processing");

        JsonNode detail = client.awaitTerminal(id, PATIENCE);
        assertThat(detail.path("status").asText()).isEqualTo("Active");

        List<JsonNode> messages = completionsOf(id);
        assertThat(messages).hasSize(1);
        JsonNode body = messages.get(0);
        assertThat(body.path("status").asText()).isEqualTo("Active");
        assertThat(body.path("accountId").asText()).isEqualTo("e2e-account");
        assertThat(body.path("uri").asText()).isEqualTo("asset://" + id);
        assertThat(body.path("url").asText()).isEqualTo(SAMPLES + "e2e/portrait.jpg");

        String executionArn = "arn:aws:states:us-east-1:000000000000:execution:ReviewStateMachine:review-" + id;
        DescribeExecutionResponse execution = client.sfn.describeExecution(r -> r.executionArn(executionArn));
        assertThat(execution.name()).isEqualTo("review-" + id);
        assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(execution.stateMachineArn()).isEqualTo(stack.stateMachineArn());
        List<String> entered = statesEntered(executionArn);
        assertThat(entered).startsWith("InspectMedia", "SubmitToReviewer", "ReviewDone?", "WaitForReviewer", "CheckReview")
                .endsWith("ReviewDone?", "ReviewComplete")
                .doesNotContain("FailRemaining");
    }

    @Test
    void rejectRuleEndsFailedWithItsReasonAndOneCompletion() {
        String id = client.upload(SAMPLES + "rejected-by-test/face.png");

        JsonNode detail = client.awaitTerminal(id, PATIENCE);
        assertThat(detail.path("status").asText()).isEqualTo("Failed");
        assertThat(detail.path("errorMessage").asText()).contains(REJECT_REASON);

        List<JsonNode> messages = completionsOf(id);
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).path("status").asText()).isEqualTo("Failed");
        assertThat(messages.get(0).path("errorMessage").asText()).contains(REJECT_REASON);
    }

    @Test
    void twoHundredConcurrentUploadsAllEndTerminalWithExactlyOneCompletionEach() {
        List<String> urls = IntStream.range(0, 200)
                .mapToObj(i -> i % 10 == 0 ? SAMPLES + "rejected-by-test/" + i + ".jpg" : SAMPLES + "many/" + i + ".jpg")
                .toList();
        List<String> ids = client.uploadConcurrently(urls);
        assertThat(ids).doesNotHaveDuplicates().hasSize(200);

        List<String> statuses = new ArrayList<>();
        for (String id : ids) {
            statuses.add(client.awaitTerminal(id, PATIENCE).path("status").asText());
        }
        assertThat(statuses).filteredOn("Failed"::equals).hasSize(20);
        assertThat(statuses).filteredOn("Active"::equals).hasSize(180);
        awaitIdleAndDrain();
        for (String id : ids) {
            assertThat(completions.getOrDefault(id, List.of())).as("completions of %s", id).hasSize(1);
        }
    }

    @Test
    void crashingTaskEndsTheAssetFailedWithAReasonNeverStuckInProcessing() {
        String id = client.upload(SAMPLES + "task-throws/avatar.png");

        JsonNode detail = client.awaitTerminal(id, PATIENCE);
        assertThat(detail.path("status").asText()).isEqualTo("Failed");
        assertThat(detail.path("errorCode").asText()).isNotBlank();
        assertThat(detail.path("errorMessage").asText()).contains(CRASH);

        List<JsonNode> messages = completionsOf(id);
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).path("status").asText()).isEqualTo("Failed");
        String executionArn = "arn:aws:states:us-east-1:000000000000:execution:ReviewStateMachine:review-" + id;
        assertThat(statesEntered(executionArn)).contains("CheckReview", "FailRemaining").endsWith("ReviewComplete");
        assertThat(client.sfn.getExecutionHistory(r -> r.executionArn(executionArn)).events())
                .anySatisfy(e -> {
                    assertThat(e.type()).isEqualTo(HistoryEventType.TASK_FAILED);
                    assertThat(e.taskFailedEventDetails().error()).isEqualTo("java.lang.IllegalStateException");
                });
    }

    @Test
    void missingOrInvalidKeyIs401AndABadBodyIs400() {
        HttpResponse<String> noKey = client.send(client.request(StackClient.UPLOAD).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(StackClient.json(noKey.body()).path("message").asText()).isEqualTo("Unauthorized");

        HttpResponse<String> badKey = client.send(client.request(StackClient.DETAIL + "asset-20260101000000-abcde")
                .header("Authorization", "Bearer alk_notARealKey00000000000000000000000000000000").GET().build());
        assertThat(badKey.statusCode()).isEqualTo(401);
        assertThat(StackClient.json(badKey.body()).path("code").asInt()).isEqualTo(40100);

        HttpResponse<String> notJson = client.send(client.request(StackClient.UPLOAD).header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{not json")).build());
        assertThat(notJson.statusCode()).isEqualTo(400);
        JsonNode envelope = StackClient.json(notJson.body());
        assertThat(envelope.path("code").asInt()).isEqualTo(40002);
        assertThat(envelope.path("msg").asText()).isNotBlank();
        assertThat(notJson.headers().firstValue("apigw-requestid")).isPresent();

        HttpResponse<String> noRoute = client.send(client.request("/kyyReactApiServer/nothing-here")
                .header("Authorization", "Bearer " + KEY).GET().build());
        assertThat(noRoute.statusCode()).isEqualTo(404);
        // The template's $default route (NotFoundFunction): the documented envelope, not {"message":"Not Found"}
        // (issue 15, F3), for any path or method no route matches, with a key or without.
        assertThat(StackClient.json(noRoute.body()).path("code").asText()).isEqualTo("40401");
        for (String[] unmatched : new String[][] {{"GET", "/"}, {"PUT", "/kyyReactApiServer/kyyVideo2/assets"},
                {"GET", "/kyyReactApiServer/kyyVideo2/assets/"}, {"GET", "/kyyReactApiServer/KYYVIDEO2/assets"},
                {"GET", "/kyyVideo2/assets"}}) {
            for (boolean withKey : new boolean[] {true, false}) {
                HttpRequest.Builder b = client.request(unmatched[1]).method(unmatched[0], HttpRequest.BodyPublishers.noBody());
                if (withKey) {
                    b.header("Authorization", "Bearer " + KEY);
                }
                HttpResponse<String> answer = client.send(b.build());
                assertThat(answer.statusCode()).as(unmatched[0] + " " + unmatched[1]).isEqualTo(404);
                JsonNode body = StackClient.json(answer.body());
                assertThat(body.path("code").asText()).isEqualTo("40401");
                assertThat(body.path("msg").asText()).startsWith("no such route: " + unmatched[0]);
            }
        }
    }

    @Test
    void bodyOverTenMegabytesIs413() {
        byte[] big = new byte[10 * 1024 * 1024 + 1];
        HttpResponse<String> response = client.send(client.request(StackClient.UPLOAD).header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(big)).build());
        assertThat(response.statusCode()).isEqualTo(413);
    }

    // ------------------------------------------------------------------ helpers

    /** The asset's completion messages once no execution is running any more. */
    private static List<JsonNode> completionsOf(String assetId) {
        awaitIdleAndDrain();
        return completions.getOrDefault(assetId, List.of());
    }

    private static void awaitIdleAndDrain() {
        try {
            assertThat(stack.stepFunctions().awaitIdle(PATIENCE)).as("executions still running").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        for (Message m : client.drain(completionQueue)) {
            JsonNode body = StackClient.json(m.body());
            completions.computeIfAbsent(body.path("assetId").asText(), k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(body);
        }
    }

    private static List<String> statesEntered(String executionArn) {
        return client.sfn.getExecutionHistoryPaginator(r -> r.executionArn(executionArn)).events().stream()
                .filter(e -> e.type().toString().endsWith("StateEntered"))
                .map(HistoryEvent::stateEnteredEventDetails)
                .map(d -> d.name())
                .toList();
    }
}
