package dev.assetlib.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * SD2 Manxue batches end to end on the whole local stack (started as ./run-local starts it): one
 * review execution per batch, per-asset outcomes and completions, batch status across accounts,
 * and a round whose cost does not grow with the batch.
 */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class BatchEndToEndTest {
    /** Sample media on the JVM's allow-listed sample origin (the media step fetches every URL). */
    static final String SAMPLES = dev.assetlib.local.api.SampleOrigin.base();
    static final String KEY = "alk_batchE2eKey0123456789abcdefghijklmnopqrstuv";
    static final String OTHER_KEY = "alk_batchE2eOther123456789abcdefghijklmnopqrstu";
    static final String REASON = "several faces where one is allowed (batch test rule)";
    static final Duration PATIENCE = Duration.ofSeconds(90);
    static final String UPLOAD = "/kyyReactApiServer/asset/sd2Manxue/assetUpload";
    static final String STATUS = "/kyyReactApiServer/asset/sd2Manxue/assetStatus";

    static RunningStack stack;
    static StackClient client;
    static final Map<String, List<JsonNode>> completions = new ConcurrentHashMap<>();

    @BeforeAll
    static void startStack() throws Exception {
        StackSettings settings = LocalStack.settings("--api-port=0", "--dynamodb-port=0", "--sqs-port=0", "--sfn-port=0",
                "--s3-port=0", "--data-dir=local/target/e2e-uploads-" + java.util.UUID.randomUUID(),
                "--project-dir=..", "--in-memory",
                // One execution per upload, looked up by its name review-{batchId}: the direct mode's mechanics
                // (shared executions: SharedReviewStackTest).
                "--parameter", "ReviewStartMode=direct", "--time-scale=0.01", "--review-delay=10s",
                "--dev-key", KEY + "=batch-account", "--dev-key", OTHER_KEY + "=other-account",
                "--reject", "crowd=" + REASON);
        stack = RunningStack.start(settings, RunningStack.Hooks.NONE);
        client = new StackClient(stack, KEY);
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

    private static HttpResponse<String> post(String path, String key, String body) {
        return client.send(client.request(path).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static JsonNode upload(String key, String body) {
        HttpResponse<String> response = post(UPLOAD, key, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode json = StackClient.json(response.body());
        assertThat(json.path("code").asText()).isEqualTo("0");
        assertThat(json.path("code").isTextual()).isTrue();
        return json.path("data");
    }

    private static JsonNode status(String key, List<String> ids) {
        StringBuilder body = new StringBuilder("{\"assetIds\":[");
        for (int i = 0; i < ids.size(); i++) {
            body.append(i == 0 ? "" : ",").append('"').append(ids.get(i)).append('"');
        }
        HttpResponse<String> response = post(STATUS, key, body.append("]}").toString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return StackClient.json(response.body()).path("data");
    }

    private static List<String> ids(JsonNode uploadData) {
        return uploadData.path("items").findValuesAsText("assetId");
    }

    /** Polls batch status, like an SD2 client, until every asset is Active or Failed. */
    private static JsonNode awaitAllTerminal(List<String> ids) {
        JsonNode[] last = new JsonNode[1];
        StackClient.await(PATIENCE, () -> {
            last[0] = status(KEY, ids);
            return last[0].path("items").findValuesAsText("status").stream().allMatch(StackClient.TERMINAL::contains)
                    && last[0].path("items").size() == ids.size();
        }, () -> "batch never became terminal: " + last[0]);
        return last[0];
    }

    private static void drainCompletions() {
        try {
            assertThat(stack.stepFunctions().awaitIdle(PATIENCE)).as("executions still running").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        for (Message m : client.drain(stack.queueUrls().get("CompletionQueue"))) {
            JsonNode body = StackClient.json(m.body());
            completions.computeIfAbsent(body.path("assetId").asText(), k -> new CopyOnWriteArrayList<>()).add(body);
        }
    }

    @Test
    void aMixedBatchAnswersFourItemsAndOneFailedItemAndEachAssetCompletesOnce() {
        JsonNode data = upload(KEY, "{\"imageUrls\":[\"" + SAMPLES + "b/one.jpg\",\"" + SAMPLES + "b/crowd.jpg\"],"
                + "\"videoUrls\":[\"" + SAMPLES + "b/clip.mp4\"],"
                + "\"audioUrls\":[\"" + SAMPLES + "b/voice.mp3\",\"ftp://example.com/b/voice.mp3\"],\"unknown\":1}");

        assertThat(data.path("items")).hasSize(4);
        assertThat(data.path("items").findValuesAsText("status")).containsOnly("submitted");
        assertThat(data.path("items").findValuesAsText("assetType")).containsExactly("Image", "Image", "Video", "Audio");
        assertThat(data.path("failedItems")).hasSize(1);
        assertThat(data.path("failedItems").get(0).path("originalUrl").asText()).isEqualTo("ftp://example.com/b/voice.mp3");

        List<String> ids = ids(data);
        JsonNode finalStatus = awaitAllTerminal(ids);
        for (JsonNode item : finalStatus.path("items")) {
            boolean crowd = item.path("assetId").asText().equals(ids.get(1));
            assertThat(item.path("status").asText()).as(item.toString()).isEqualTo(crowd ? "Failed" : "Active");
            if (crowd) {
                assertThat(item.path("errorMessage").asText()).isEqualTo(REASON);
            }
        }
        drainCompletions();
        for (String id : ids) {
            assertThat(completions.getOrDefault(id, List.of())).as("completions of %s", id).hasSize(1);
        }
        // One review execution for the whole batch, named after its first asset.
        var executions = client.sfn.listExecutions(r -> r.stateMachineArn(stack.stateMachineArn())).executions();
        assertThat(executions).filteredOn(e -> ids.stream().anyMatch(id -> e.name().equals("review-" + id)))
                .singleElement().satisfies(e -> assertThat(e.name()).isEqualTo("review-" + ids.get(0)));
    }

    @Test
    void batchStatusAnswersOwnIdsAsItemsAndForeignUnknownOrMalformedOnesAsFailedItems() {
        List<String> mine = ids(upload(KEY, "{\"imageUrls\":[\"" + SAMPLES + "s/mine.jpg\"]}"));
        List<String> theirs = ids(upload(OTHER_KEY, "{\"imageUrls\":[\"" + SAMPLES + "s/theirs.jpg\"]}"));
        String unknown = "asset-20200101000000-zzzzz";

        JsonNode data = status(KEY, List.of(mine.get(0), theirs.get(0), unknown, "not-an-id"));

        assertThat(data.path("items").findValuesAsText("assetId")).containsExactly(mine.get(0));
        assertThat(data.path("failedItems").findValuesAsText("assetId")).containsExactly(theirs.get(0), unknown, "not-an-id");
        assertThat(data.path("failedItems").get(0).path("errorMessage").asText())
                .isEqualTo(data.path("failedItems").get(1).path("errorMessage").asText());
        // The other account sees its own asset.
        assertThat(status(OTHER_KEY, theirs).path("items")).hasSize(1);
    }

    @Test
    void aRoundCostsTheSameForABatchOfTwentyAsForABatchOfOne() {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            urls.add("\"" + SAMPLES + "r/" + i + ".jpg\"");
        }
        List<String> twenty = ids(upload(KEY, "{\"imageUrls\":[" + String.join(",", urls) + "]}"));
        List<String> one = ids(upload(KEY, "{\"imageUrls\":[\"" + SAMPLES + "r/alone.jpg\"]}"));
        assertThat(twenty).hasSize(20);
        awaitAllTerminal(twenty);
        awaitAllTerminal(one);
        drainCompletions();

        RoundCost big = roundCost("review-" + twenty.get(0));
        RoundCost small = roundCost("review-" + one.get(0));
        assertThat(big.rounds()).isPositive();
        assertThat(big.transitionsPerRound()).isEqualTo(small.transitionsPerRound()).isEqualTo(3.0);
        assertThat(big.invocationsPerRound()).isEqualTo(small.invocationsPerRound()).isEqualTo(1.0);
        for (String id : twenty) {
            assertThat(completions.getOrDefault(id, List.of())).as("completions of %s", id).hasSize(1);
        }
    }

    record RoundCost(int rounds, double transitionsPerRound, double invocationsPerRound) {
    }

    /** Reads the execution history: states entered and tasks scheduled inside the polling loop, per round. */
    private static RoundCost roundCost(String executionName) {
        String arn = stack.stateMachineArn().replace(":stateMachine:", ":execution:") + ":" + executionName;
        List<HistoryEvent> events = client.sfn.getExecutionHistoryPaginator(r -> r.executionArn(arn)).events().stream().toList();
        List<String> entered = events.stream().filter(e -> e.type().toString().endsWith("StateEntered"))
                .map(e -> e.stateEnteredEventDetails().name()).toList();
        int rounds = Collections.frequency(entered, "CheckReview");
        int loopStates = (int) entered.stream().filter(n -> n.equals("WaitForReviewer") || n.equals("CheckReview")
                || n.equals("ReviewDone?")).count() - 1; // the ReviewDone? after SubmitToReviewer is not a round's
        // InspectMedia's and SubmitToReviewer's tasks are not a round's
        int scheduled = (int) events.stream().filter(e -> e.type() == HistoryEventType.TASK_SCHEDULED).count() - 2;
        return new RoundCost(rounds, (double) loopStates / rounds, (double) scheduled / rounds);
    }

    @Test
    void badBatchesGetTheDocumentedErrors() {
        String twentyOne = String.join(",", Collections.nCopies(21, "\"" + SAMPLES + "x.jpg\""));
        Map<String, String> cases = Map.of(
                "{}", "40020",
                "{\"imageUrls\":\"" + SAMPLES + "a.jpg\"}", "40020",
                "{\"imageUrls\":[1]}", "40020",
                "{\"imageUrls\":[" + twentyOne + "]}", "40021",
                "not json", "40002");
        cases.forEach((body, code) -> {
            HttpResponse<String> response = post(UPLOAD, KEY, body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            JsonNode envelope = StackClient.json(response.body());
            assertThat(envelope.path("code").asText()).as(body).isEqualTo(code);
            assertThat(envelope.path("data").isNull()).isTrue();
        });
        HttpResponse<String> tooMany = post(STATUS, KEY, "{\"assetIds\":[]}");
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(StackClient.json(tooMany.body()).path("code").asText()).isEqualTo("40022");
    }
}
