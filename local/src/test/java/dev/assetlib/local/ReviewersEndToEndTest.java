package dev.assetlib.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.local.sfn.LambdaFaultInjector;
import dev.assetlib.local.sfn.LocalLambda;
import dev.assetlib.workflow.RetryableTaskException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The real reviewers through whole local stacks in this JVM, over HTTP:
 * <ul>
 *   <li>two stacks chained: the front with {@code --reviewer upstream} pointed at the upstream, the
 *       upstream with the simulated reviewer and a reject rule. The front's submit task is made to
 *       lose its output once after doing its work (a retried step), and its checks too;</li>
 *   <li>a stack with {@code --reviewer human}: a reviewer key approves over HTTP.</li>
 * </ul>
 */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class ReviewersEndToEndTest {
    /** Sample media on the JVM's allow-listed sample origin (the media step fetches every URL). */
    static final String SAMPLES = dev.assetlib.local.api.SampleOrigin.base();
    static final String UPSTREAM_KEY = "alk_upstreamKey0123456789abcdefghijklmnopqrst01";
    static final String FRONT_KEY = "alk_frontKey0123456789abcdefghijklmnopqrstuvw01";
    static final String HUMAN_UPLOADER = "alk_humanUploader0123456789abcdefghijklmnopq012";
    static final String HUMAN_REVIEWER = "alk_humanReviewer0123456789abcdefghijklmnopq012";
    static final String REJECT_REASON = "Rejected upstream: several faces where one is allowed";
    static final Duration PATIENCE = Duration.ofSeconds(90);
    static final String SD2_UPLOAD = "/kyyReactApiServer/asset/sd2Manxue/assetUpload";

    static RunningStack upstream;
    static RunningStack front;
    static RunningStack human;
    /** Upstream: how often each upload route ran. */
    static final Map<String, AtomicInteger> upstreamUploads = new ConcurrentHashMap<>();
    /** Front: submit tasks whose output was dropped once after the work was done (by batch id). */
    static final Set<String> droppedSubmits = ConcurrentHashMap.newKeySet();
    static final Set<String> droppedChecks = ConcurrentHashMap.newKeySet();
    /** Human stack: every check task, with when it started and what it answered. */
    static final List<CheckRun> humanChecks = new CopyOnWriteArrayList<>();

    record CheckRun(long startNanos, String output) {
    }

    /** One execution per upload (its batchId the asset's): these tests follow one review by it (shared: SharedReviewStackTest). */
    static final String DIRECT = "--parameter=ReviewStartMode=direct";

    /** Three stacks at once: each its own buckets on the JVM's S3 server (--in-memory: fresh names), and objects under target/. */
    static final String UPLOADS = "--data-dir=local/target/e2e-uploads-" + java.util.UUID.randomUUID();

    @BeforeAll
    static void startStacks() throws Exception {
        upstream = RunningStack.start(LocalStack.settings("--api-port=0", "--dynamodb-port=0", "--sqs-port=0", "--sfn-port=0", "--s3-port=0", UPLOADS,
                "--project-dir=..", "--in-memory", "--time-scale=0.01", DIRECT, "--review-delay=10s",
                "--dev-key", UPSTREAM_KEY + "=front-service", "--reject", "rejected-upstream=" + REJECT_REASON),
                new RunningStack.Hooks(ReviewersEndToEndTest::countUploads, LambdaFaultInjector.NONE));
        front = RunningStack.start(LocalStack.settings("--api-port=0", "--dynamodb-port=0", "--sqs-port=0", "--sfn-port=0", "--s3-port=0", UPLOADS,
                "--project-dir=..", "--in-memory", "--time-scale=0.01", DIRECT, "--reviewer", "upstream",
                "--upstream-allow-http", "--upstream-url", upstream.apiEndpoint() + "/kyyReactApiServer", "--upstream-key", UPSTREAM_KEY,
                "--dev-key", FRONT_KEY + "=team"),
                new RunningStack.Hooks(ReviewersEndToEndTest::loseOutputOnce, LambdaFaultInjector.NONE));
        human = RunningStack.start(LocalStack.settings("--api-port=0", "--dynamodb-port=0", "--sqs-port=0", "--sfn-port=0", "--s3-port=0", UPLOADS,
                "--project-dir=..", "--in-memory", "--time-scale=0.01", DIRECT, "--reviewer", "human",
                "--dev-key", HUMAN_UPLOADER + "=studio", "--reviewer-key", HUMAN_REVIEWER + "=studio"),
                new RunningStack.Hooks(ReviewersEndToEndTest::recordChecks, LambdaFaultInjector.NONE));
    }

    @AfterAll
    static void stopStacks() {
        for (RunningStack s : new RunningStack[] {human, front, upstream}) {
            if (s != null) {
                s.close();
            }
        }
    }

    static LocalLambda countUploads(String functionId, LocalLambda function) {
        if (!functionId.equals("UploadFunction")) {
            return function;
        }
        return payload -> {
            String route = StackClient.json(new String(payload, StandardCharsets.UTF_8)).path("routeKey").asText();
            upstreamUploads.computeIfAbsent(route, r -> new AtomicInteger()).incrementAndGet();
            return function.invoke(payload);
        };
    }

    /**
     * The front's task function does its work, then fails as if its answer were lost (a Lambda that
     * timed out after the upstream call): once per batch for submit, once for the first check. The
     * state machine retries the task with the same input.
     */
    static LocalLambda loseOutputOnce(String functionId, LocalLambda function) {
        if (!functionId.equals("StatusCheckFunction")) {
            return function;
        }
        return payload -> {
            JsonNode input = StackClient.json(new String(payload, StandardCharsets.UTF_8));
            String batch = input.path("review").path("batchId").asText();
            byte[] out = function.invoke(payload);
            String action = input.path("action").asText();
            if ((action.equals("submit") && droppedSubmits.add(batch)) || (action.equals("check") && droppedChecks.add(batch))) {
                throw new RetryableTaskException("injected: the " + action + " task's output was lost after its work", null);
            }
            return out;
        };
    }

    static LocalLambda recordChecks(String functionId, LocalLambda function) {
        if (!functionId.equals("StatusCheckFunction")) {
            return function;
        }
        return payload -> {
            long start = System.nanoTime();
            byte[] out = function.invoke(payload);
            if (StackClient.json(new String(payload, StandardCharsets.UTF_8)).path("action").asText().equals("check")) {
                humanChecks.add(new CheckRun(start, new String(out, StandardCharsets.UTF_8)));
            }
            return out;
        };
    }

    /** The URLs of the account's assets in the stack's table (one per asset). */
    private static List<String> assetUrlsIn(RunningStack stack, String account) {
        try (var clients = new StackClient(stack, "unused")) {
            var dynamo = software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder()
                    .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                    .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("test", "test")))
                    .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                    .endpointOverride(stack.dynamoDbEndpoint()).build();
            try (dynamo) {
                return dynamo.query(r -> r.tableName(stack.tableName()).keyConditionExpression("pk = :pk AND begins_with(sk, :a)")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("ACCOUNT#" + account),
                                ":a", AttributeValue.fromS("ASSET#")))).items().stream()
                        // the asset items themselves, not their history events
                        .filter(i -> i.containsKey("assetId") && i.get("sk").s().equals("ASSET#" + i.get("assetId").s()))
                        .map(i -> i.get("url").s()).toList();
            }
        }
    }

    /** Every completion message seen so far, per queue URL, by asset id (a queue is shared by the tests). */
    static final Map<String, Map<String, List<JsonNode>>> seen = new ConcurrentHashMap<>();

    /**
     * Drains the queue until each of {@code ids} has a completion, then a little longer to see that
     * no second one comes; answers the completions of {@code ids}, by asset id.
     */
    private static Map<String, List<JsonNode>> completions(StackClient client, String queueUrl, List<String> ids) {
        Map<String, List<JsonNode>> byId = seen.computeIfAbsent(queueUrl, q -> new ConcurrentHashMap<>());
        Runnable drain = () -> client.drain(queueUrl).forEach(m -> {
            JsonNode body = StackClient.json(m.body());
            byId.computeIfAbsent(body.get("assetId").asText(), k -> new CopyOnWriteArrayList<>()).add(body);
        });
        StackClient.await(PATIENCE, () -> {
            drain.run();
            return ids.stream().allMatch(byId::containsKey);
        }, () -> "not every asset of " + ids + " got its completion: " + byId.keySet());
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drain.run();
        Map<String, List<JsonNode>> ours = new HashMap<>();
        ids.forEach(id -> ours.put(id, byId.get(id)));
        return ours;
    }

    static final List<String> frontIds = new CopyOnWriteArrayList<>();

    private static String reviewRef(RunningStack stack, String account, String assetId) {
        var dynamo = software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder()
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("test", "test")))
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .endpointOverride(stack.dynamoDbEndpoint()).build();
        try (dynamo) {
            return dynamo.getItem(r -> r.tableName(stack.tableName()).key(Map.of("pk", AttributeValue.fromS("ACCOUNT#" + account),
                    "sk", AttributeValue.fromS("ASSET#" + assetId)))).item().get("reviewRef").s();
        }
    }

    @Test
    void aBatchThroughTheFrontEndsExactlyAsTheUpstreamDecidesWithOneCompletionEachAndOneUpstreamUpload() {
        // The two stacks are separate deployments: separate databases.
        assertThat(front.dynamoDbEndpoint()).isNotEqualTo(upstream.dynamoDbEndpoint());
        try (StackClient client = new StackClient(front, FRONT_KEY)) {
            String body = "{\"imageUrls\":[\"" + SAMPLES + "a.jpg\",\"" + SAMPLES + "rejected-upstream-b.jpg\","
                    + "\"" + SAMPLES + "a.jpg\"],\"videoUrls\":[\"" + SAMPLES + "d.mp4\"]}";
            HttpResponse<String> response = client.send(client.request(SD2_UPLOAD).header("Authorization", "Bearer " + FRONT_KEY)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            List<String> ids = new ArrayList<>();
            Map<String, String> urlOf = new HashMap<>();
            StackClient.json(response.body()).path("data").path("items").forEach(i -> {
                ids.add(i.get("assetId").asText());
                urlOf.put(i.get("assetId").asText(), i.get("originalUrl").asText());
            });
            assertThat(ids).hasSize(4);

            for (String id : ids) {
                JsonNode detail = client.awaitTerminal(id, PATIENCE);
                if (urlOf.get(id).contains("rejected-upstream")) {
                    assertThat(detail.get("status").asText()).isEqualTo("Failed");
                    assertThat(detail.get("errorCode").asText()).isEqualTo("REVIEW_REJECTED");
                    assertThat(detail.get("errorMessage").asText()).isEqualTo(REJECT_REASON);
                } else {
                    assertThat(detail.get("status").asText()).as(detail.toString()).isEqualTo("Active");
                }
            }
            Map<String, List<JsonNode>> messages = completions(client, front.queueUrls().get("CompletionQueue"), ids);
            for (String id : ids) {
                assertThat(messages.get(id)).as("completions of %s", id).hasSize(1);
                assertThat(messages.get(id).get(0).get("status").asText())
                        .isEqualTo(urlOf.get(id).contains("rejected-upstream") ? "Failed" : "Active");
            }
            frontIds.addAll(ids);
        }
        // The front's submit ran twice (its first output was dropped) but the upstream got one batch upload.
        assertThat(droppedSubmits).isNotEmpty();
        assertThat(upstreamUploads.get("POST " + "/kyyReactApiServer/asset/sd2Manxue/assetUpload")).hasValue(1);
        // The upstream was handed presigned GETs of the front's stored copies, never the clients' URLs.
        String copies = front.mediaEndpoint() + "/" + front.mediaBucket() + "/media/team/";
        assertThat(assetUrlsIn(upstream, "front-service")).filteredOn(u -> frontIds.stream().anyMatch(u::contains))
                .hasSize(4).allSatisfy(u -> assertThat(u).startsWith(copies).contains("X-Amz-Signature="))
                .noneSatisfy(u -> assertThat(u).startsWith(SAMPLES));
        // Each front asset's review reference names its upstream asset, which the upstream decided the same way.
        try (StackClient up = new StackClient(upstream, UPSTREAM_KEY)) {
            for (String id : frontIds) {
                String upstreamId = reviewRef(front, "team", id).substring("upstream-sd2:".length());
                JsonNode upstreamDetail = up.awaitTerminal(upstreamId, PATIENCE);
                try (StackClient f = new StackClient(front, FRONT_KEY)) {
                    assertThat(upstreamDetail.get("status").asText()).isEqualTo(f.detail(id).get("status").asText());
                }
            }
        }
    }

    @Test
    void aSingleUploadThroughTheFrontIsUploadedUpstreamOnceDespiteARetriedSubmit() {
        try (StackClient client = new StackClient(front, FRONT_KEY)) {
            int before = upstreamUploads.getOrDefault("POST /kyyReactApiServer/kyyVideo2/asset/upload", new AtomicInteger()).get();
            String id = client.upload(SAMPLES + "single-portrait.jpg");
            assertThat(client.awaitTerminal(id, PATIENCE).get("status").asText()).isEqualTo("Active");
            assertThat(droppedSubmits).contains(id);
            assertThat(upstreamUploads.get("POST /kyyReactApiServer/kyyVideo2/asset/upload").get() - before).isEqualTo(1);
        }
    }

    @Test
    void aHumanApprovalOverHttpReachesActiveWithinOnePollingRound() throws Exception {
        try (StackClient uploader = new StackClient(human, HUMAN_UPLOADER); StackClient reviewer = new StackClient(human, HUMAN_REVIEWER)) {
            String id = uploader.upload(SAMPLES + "face-for-a-person.jpg");
            // The reviewer key finds it in its queue.
            StackClient.await(PATIENCE, () -> pendingIds(reviewer).contains(id), () -> id + " never reached the review queue");
            // Uploader keys may not review; reviewer keys may not upload.
            assertThat(reviewer.send(reviewer.request("/kyyReactApiServer/review/pending")
                    .header("Authorization", "Bearer " + HUMAN_UPLOADER).GET().build()).statusCode()).isEqualTo(403);
            assertThat(reviewer.send(reviewer.request(StackClient.UPLOAD).header("Authorization", "Bearer " + HUMAN_REVIEWER)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"assetType\":\"Image\",\"url\":\"" + SAMPLES + "x.jpg\"}"))
                    .build()).statusCode()).isEqualTo(403);

            HttpResponse<String> decision = reviewer.send(reviewer.request("/kyyReactApiServer/review/" + id)
                    .header("Authorization", "Bearer " + HUMAN_REVIEWER).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"decision\":\"approve\"}")).build());
            // Taken once the decision answered (it is stored by then), not before the request: a round
            // that starts while the POST is in flight may rightly still see the asset pending, and at
            // --time-scale 0.01 a round is ~70 ms, shorter than a POST on a busy machine.
            long decidedAt = System.nanoTime();
            assertThat(decision.statusCode()).as(decision.body()).isEqualTo(200);

            assertThat(uploader.awaitTerminal(id, PATIENCE).get("status").asText()).isEqualTo("Active");
            // Within one polling round: no check that started after the decision answered "still pending"
            // (the one that applied it is the first to start after it, or one already running).
            // (The check that wrote Active is recorded when it returns, a moment after the write.)
            StackClient.await(PATIENCE, () -> humanChecks.stream().map(c -> StackClient.json(c.output()))
                    .anyMatch(o -> o.path("batchId").asText().equals(id) && o.path("done").asBoolean()),
                    () -> "no check of " + id + " answered done");
            assertThat(humanChecks.stream().filter(c -> c.startNanos() - decidedAt > 0)
                    .map(c -> StackClient.json(c.output())).filter(o -> o.path("batchId").asText().equals(id)))
                    .noneSatisfy(o -> assertThat(o.path("done").asBoolean()).isFalse());
            assertThat(completions(uploader, human.queueUrls().get("CompletionQueue"), List.of(id)).get(id)).hasSize(1);
            assertThat(pendingIds(reviewer)).doesNotContain(id);
        }
    }

    @Test
    void theHumanQueueShowsAPresignedPreviewOfTheStoredCopyWithItsMedia() throws Exception {
        try (StackClient uploader = new StackClient(human, HUMAN_UPLOADER); StackClient reviewer = new StackClient(human, HUMAN_REVIEWER)) {
            String url = SAMPLES + "preview/face.png";
            String id = uploader.upload(url);
            StackClient.await(PATIENCE, () -> pendingIds(reviewer).contains(id), () -> id + " never reached the review queue");
            HttpResponse<String> r = reviewer.send(reviewer.request("/kyyReactApiServer/review/pending")
                    .header("Authorization", "Bearer " + HUMAN_REVIEWER).GET().build());
            JsonNode item = null;
            for (JsonNode i : StackClient.json(r.body()).path("data").path("items")) {
                if (i.path("assetId").asText().equals(id)) {
                    item = i;
                }
            }
            assertThat(item).isNotNull();
            assertThat(item.path("url").asText()).isEqualTo(url);
            assertThat(item.path("media").path("format").asText()).isEqualTo("png");
            String preview = item.path("previewUrl").asText();
            assertThat(preview).startsWith(human.mediaEndpoint() + "/" + human.mediaBucket() + "/media/").contains(id)
                    .contains("X-Amz-Signature=");
            // The preview is the stored copy: its bytes hash to the media step's SHA-256.
            HttpResponse<byte[]> copy = java.net.http.HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(java.net.URI.create(preview)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(copy.statusCode()).isEqualTo(200);
            assertThat(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(copy.body())))
                    .isEqualTo(item.path("media").path("sha256").asText());
        }
    }

    private static List<String> pendingIds(StackClient reviewer) {
        HttpResponse<String> r = reviewer.send(reviewer.request("/kyyReactApiServer/review/pending")
                .header("Authorization", "Bearer " + HUMAN_REVIEWER).GET().build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        StackClient.json(r.body()).path("data").path("items").forEach(i -> ids.add(i.get("assetId").asText()));
        return ids;
    }
}
