package dev.assetlib.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Managing assets end to end on the whole local stack: delete during review, list paging with
 * every filter and refused tokens, idempotent uploads, the reference check. The review takes 10
 * minutes of virtual time (about 6 s real at time scale 0.01), long enough to act during it.
 */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class ManageEndToEndTest {
    /** Sample media on the JVM's allow-listed sample origin (the media step fetches every URL). */
    static final String SAMPLES = dev.assetlib.local.api.SampleOrigin.base();
    static final String KEY = "alk_manageE2eKey123456789abcdefghijklmnopqrstuv";
    static final String OTHER_KEY = "alk_manageE2eOther23456789abcdefghijklmnopqrstu";
    static final Duration PATIENCE = Duration.ofSeconds(120);
    static final String BASE = "/kyyReactApiServer/kyyVideo2/";

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
                "--parameter", "ReviewStartMode=direct", "--time-scale=0.01", "--review-delay=10m",
                "--dev-key", KEY + "=manage-account", "--dev-key", OTHER_KEY + "=other-manage-account",
                "--reject", "refuse-me=not a usable reference (manage test rule)");
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

    private static HttpResponse<String> call(String method, String path, String key, String body, String... headers) {
        HttpRequest.Builder b = client.request(path).header("Authorization", "Bearer " + key);
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return client.send(b.build());
    }

    private static String upload(String key, String type, String url, String name) {
        HttpResponse<String> r = call("POST", BASE + "asset/upload", key,
                "{\"assetType\":\"" + type + "\",\"url\":\"" + url + "\",\"name\":\"" + name + "\"}");
        return StackClient.assetId(r);
    }

    private static void drainCompletions() {
        for (Message m : client.drain(stack.queueUrls().get("CompletionQueue"))) {
            JsonNode body = StackClient.json(m.body());
            completions.computeIfAbsent(body.path("assetId").asText(), k -> new CopyOnWriteArrayList<>()).add(body);
        }
    }

    private static void awaitExecutionEnded(String assetId) {
        String arn = stack.stateMachineArn().replace(":stateMachine:", ":execution:") + ":review-" + assetId;
        StackClient.await(PATIENCE, () -> client.sfn.describeExecution(r -> r.executionArn(arn)).status() != ExecutionStatus.RUNNING,
                () -> "review of " + assetId + " still running");
    }

    @Test
    void deletingAnAssetUnderReviewFailsItOnceAndNoActiveCompletionFollows() {
        String id = upload(KEY, "Image", SAMPLES + "m/delete-me.jpg", "to delete");
        assertThat(client.detail(id).path("status").asText()).isEqualTo("Processing");

        HttpResponse<String> deleted = call("DELETE", BASE + "asset/" + id, KEY, null);
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(StackClient.json(deleted.body())).isEqualTo(StackClient.json("{\"code\":\"0\",\"msg\":\"success\",\"data\":null}"));

        // The review ends (stopped) and, even past the review delay, nothing but the delete's completion is sent.
        awaitExecutionEnded(id);
        StackClient.await(PATIENCE, () -> {
            drainCompletions();
            return !completions.getOrDefault(id, List.of()).isEmpty();
        }, () -> "no completion for the deleted asset");
        sleepVirtual(Duration.ofMinutes(15));
        drainCompletions();
        assertThat(completions.get(id)).hasSize(1).allSatisfy(c -> {
            assertThat(c.path("status").asText()).isEqualTo("Failed");
            assertThat(c.path("errorCode").asText()).isEqualTo("DELETED");
        });

        assertThat(call("GET", BASE + "asset/" + id, KEY, null).statusCode()).isEqualTo(404);
        JsonNode history = StackClient.json(call("GET", BASE + "asset/" + id + "/history", KEY, null).body());
        List<String> actors = history.path("data").path("events").findValuesAsText("actor");
        assertThat(actors).first().isEqualTo("upload");
        assertThat(actors).contains("delete").doesNotContain("reviewer");
        assertThat(history.path("data").path("events").findValuesAsText("to")).doesNotContain("Active");
    }

    @Test
    void pagingThrough250AssetsWithEveryFilterAndRefusingTamperedOrForeignTokens() {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            String type = i % 5 == 0 ? "Video" : "Image";
            String name = (i % 2 == 0 ? "even-" : "odd-") + i;
            all.add(upload(KEY, type, SAMPLES + "page/" + i + (i % 25 == 0 ? "-refuse-me" : "") + ".jpg", name));
        }
        List<String> newestFirst = new ArrayList<>(all);
        java.util.Collections.reverse(newestFirst);

        // No filter: every asset once, newest first, in pages of 100, 100, 50.
        List<String> listed = listAll("limit=100", 3);
        assertThat(listed).containsSubsequence(newestFirst.subList(0, 250)).hasSize(listed.size());
        assertThat(listed).containsAll(all).doesNotHaveDuplicates();

        assertThat(ours(listAll("assetType=Video&limit=40", -1), all)).containsExactlyElementsOf(
                newestFirst.stream().filter(id -> all.indexOf(id) % 5 == 0).toList());
        assertThat(ours(listAll("namePrefix=odd-&limit=30", -1), all)).containsExactlyElementsOf(
                newestFirst.stream().filter(id -> all.indexOf(id) % 2 == 1).toList());
        // Created bounds, in the stack's (scaled) time as the assets carry it: exclusive, seconds shown.
        Instant oldest = createdAt(all.get(0));
        Instant newest = createdAt(all.get(249));
        assertThat(listAll("createdAfter=" + enc(oldest.minusSeconds(1).toString()) + "&createdBefore="
                + enc(newest.plusSeconds(2).toString()) + "&limit=100", -1)).containsAll(all);
        assertThat(listAll("createdBefore=" + enc(oldest.minusSeconds(1).toString()), -1)).doesNotContainAnyElementsOf(all);
        assertThat(listAll("createdAfter=" + enc(newest.plusSeconds(2).toString()), -1)).doesNotContainAnyElementsOf(all);

        // Once the reviews end, the status filters split them: the refused ones (every 25th) Failed.
        for (String id : all) {
            client.awaitTerminal(id, PATIENCE);
        }
        assertThat(listAll("status=Failed&limit=100", -1)).containsAll(newestFirst.stream()
                .filter(id -> all.indexOf(id) % 25 == 0).toList());
        assertThat(ours(listAll("status=Active&assetType=Image&limit=100", -1), all)).containsExactlyElementsOf(newestFirst.stream()
                .filter(id -> all.indexOf(id) % 5 != 0).toList());
        assertThat(listAll("status=Processing&limit=100", -1)).doesNotContainAnyElementsOf(all);

        // Tokens: tampered, or replayed by another account, or with other filters, are refused.
        JsonNode first = list(KEY, "limit=10");
        String token = first.path("data").path("nextToken").asText();
        assertThat(token).isNotBlank();
        String tampered = token.substring(0, token.length() - 2) + (token.endsWith("A") ? "BB" : "AA");
        assertThat(list(KEY, "limit=10&nextToken=" + enc(tampered)).path("code").asInt()).isEqualTo(40031);
        assertThat(list(OTHER_KEY, "limit=10&nextToken=" + enc(token)).path("code").asInt()).isEqualTo(40031);
        assertThat(list(KEY, "limit=10&assetType=Video&nextToken=" + enc(token)).path("code").asInt()).isEqualTo(40031);
        assertThat(list(KEY, "limit=10&nextToken=" + enc(token)).path("code").asInt()).isZero();
        // The other account sees none of these assets.
        assertThat(list(OTHER_KEY, "limit=100").path("data").path("items").findValuesAsText("assetId")).doesNotContainAnyElementsOf(all);
    }

    /** The listed ids that this test created (other tests of the class share the account), in list order. */
    private static List<String> ours(List<String> listed, List<String> created) {
        Set<String> mine = new HashSet<>(created);
        return listed.stream().filter(mine::contains).toList();
    }

    private static Instant createdAt(String assetId) {
        return java.time.LocalDateTime.parse(client.detail(assetId).path("createTime").asText().replace(' ', 'T'))
                .toInstant(java.time.ZoneOffset.UTC);
    }

    private static JsonNode list(String key, String query) {
        return StackClient.json(call("GET", BASE + "assets?" + query, key, null).body());
    }

    /** Follows nextToken to the end; checks the page count when {@code expectedPages} is not -1. */
    private static List<String> listAll(String query, int expectedPages) {
        List<String> ids = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            JsonNode page = list(KEY, query + (token == null ? "" : "&nextToken=" + enc(token)));
            assertThat(page.path("code").asInt()).as(page.toString()).isZero();
            ids.addAll(page.path("data").path("items").findValuesAsText("assetId"));
            token = page.path("data").hasNonNull("nextToken") ? page.path("data").path("nextToken").asText() : null;
            pages++;
        } while (token != null);
        if (expectedPages != -1) {
            assertThat(pages).isEqualTo(expectedPages);
        }
        return ids;
    }

    @Test
    void tenConcurrentUploadsWithOneIdempotencyKeyCreateOneAsset() {
        String body = "{\"assetType\":\"Image\",\"url\":\"" + SAMPLES + "m/idempotent.jpg\"}";
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        var http = java.net.http.HttpClient.newHttpClient();
        for (int i = 0; i < 10; i++) {
            calls.add(http.sendAsync(client.request(BASE + "asset/upload").header("Authorization", "Bearer " + KEY)
                    .header("Content-Type", "application/json").header("Idempotency-Key", "one-key-for-ten")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        Set<String> ids = new HashSet<>();
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            ids.add(StackClient.assetId(call.join()));
        }
        assertThat(ids).hasSize(1);
        String id = ids.iterator().next();
        var executions = client.sfn.listExecutions(r -> r.stateMachineArn(stack.stateMachineArn())).executions();
        assertThat(executions).filteredOn(e -> e.name().equals("review-" + id)).hasSize(1);
        assertThat(listAll("limit=100", -1).stream().filter(x -> x.equals(id))).hasSize(1);

        HttpResponse<String> otherBody = call("POST", BASE + "asset/upload", KEY,
                "{\"assetType\":\"Image\",\"url\":\"" + SAMPLES + "m/other.jpg\"}", "Idempotency-Key", "one-key-for-ten");
        assertThat(otherBody.statusCode()).isEqualTo(409);
        assertThat(StackClient.json(otherBody.body()).path("code").asInt()).isEqualTo(40901);
    }

    @Test
    void theReferenceCheckNamesEveryKindOfProblem() {
        String active = upload(KEY, "Image", SAMPLES + "m/ref-active.jpg", "a");
        String failed = upload(KEY, "Video", SAMPLES + "m/refuse-me.mp4", "f");
        String audio = upload(KEY, "Audio", SAMPLES + "m/ref-voice.mp3", "v");
        String deleted = upload(KEY, "Image", SAMPLES + "m/ref-deleted.jpg", "d");
        client.awaitTerminal(active, PATIENCE);
        client.awaitTerminal(failed, PATIENCE);
        client.awaitTerminal(audio, PATIENCE);
        assertThat(call("DELETE", BASE + "asset/" + deleted, KEY, null).statusCode()).isEqualTo(200);
        String processing = upload(KEY, "Image", SAMPLES + "m/ref-processing.jpg", "p");
        String foreign = upload(OTHER_KEY, "Image", SAMPLES + "m/ref-foreign.jpg", "x");

        List<String> images = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            images.add("\"" + SAMPLES + "plain-" + i + ".jpg\"");
        }
        images.add("\"asset://" + active + "\"");
        images.add("\"asset://" + processing + "\"");
        images.add("\"asset://" + deleted + "\"");
        images.add("\"asset://" + audio + "\"");
        images.add("\"asset://" + foreign + "\"");
        images.add("\"asset://not-an-id\"");
        String body = "{\"model\":\"seedance_2_0\",\"first_image\":\"asset://" + active + "\",\"prompt\":\"ignored\","
                + "\"referenceImages\":[" + String.join(",", images) + "],"
                + "\"referenceAudios\":[\"asset://" + failed + "\",\"ftp://example.com/a.mp3\"]}";

        JsonNode response = StackClient.json(call("POST", BASE + "asset/resolve", KEY, body).body());
        assertThat(response.path("code").asInt()).as(response.toString()).isZero();
        JsonNode data = response.path("data");
        assertThat(data.path("ok").asBoolean()).isFalse();
        List<String> codes = data.path("problems").findValuesAsText("code");
        assertThat(new LinkedHashSet<>(codes)).contains("ASSET_NOT_FOUND", "ASSET_DELETED", "ASSET_NOT_ACTIVE", "ASSET_FAILED",
                "WRONG_ASSET_TYPE", "MALFORMED_ASSET_ID", "INVALID_URL", "FRAME_WITH_REFERENCES", "TOO_MANY_IMAGES",
                "REFERENCE_VIDEOS_REQUIRED");
        assertThat(problem(data, "ASSET_NOT_FOUND").path("assetId").asText()).isEqualTo(foreign);
        assertThat(problem(data, "ASSET_DELETED").path("assetId").asText()).isEqualTo(deleted);
        assertThat(problem(data, "ASSET_NOT_ACTIVE").path("index").asInt()).isEqualTo(8);
        assertThat(problem(data, "WRONG_ASSET_TYPE").path("assetId").asText()).isEqualTo(audio);
        assertThat(problem(data, "ASSET_FAILED").path("field").asText()).isEqualTo("referenceAudios");
        assertThat(data.path("references").findValuesAsText("value")).contains(SAMPLES + "plain-0.jpg");
    }

    private static JsonNode problem(JsonNode data, String code) {
        for (JsonNode p : data.path("problems")) {
            if (p.path("code").asText().equals(code)) {
                return p;
            }
        }
        throw new AssertionError("no problem " + code + " in " + data);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Waits a span of the stack's virtual time (time scale 0.01). */
    private static void sleepVirtual(Duration virtual) {
        try {
            Thread.sleep(Math.max(1, (long) (virtual.toMillis() * stack.settings().timeScale())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
