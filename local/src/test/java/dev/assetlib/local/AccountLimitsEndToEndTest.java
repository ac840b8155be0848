package dev.assetlib.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.auth.ApiKeyAdmin;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Per-account rate limits and quotas end to end on the local stack, started with low limits
 * (--parameter): bursts get 429 with Retry-After and write nothing, requests pass again after the
 * wait, accounts do not affect each other, 50 racing uploads against a quota of 30 in review
 * accept exactly 30, usage reads back exactly, and ingest messages over a quota wait on the queue
 * and are processed once there is room. Reviews take 30 min of virtual time (18 s real) so that
 * assets stay in review during a test.
 */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class AccountLimitsEndToEndTest {
    /** The local sample origin (fetched by the media step; any path serves valid media by extension). */
    static final String SAMPLES = dev.assetlib.local.api.SampleOrigin.base();
    static final String BURST_KEY = "alk_limitsBurst456789abcdefghijklmnopqrstuvwxyz";
    static final String OTHER_KEY = "alk_limitsOther456789abcdefghijklmnopqrstuvwxyz";
    static final String QUOTA_KEY = "alk_limitsQuota456789abcdefghijklmnopqrstuvwxyz";
    static final String RACE_KEY = "alk_limitsRace3456789abcdefghijklmnopqrstuvwxyz";
    static final String INGEST_KEY = "alk_limitsIngest56789abcdefghijklmnopqrstuvwxyz";
    static final String BYTES_KEY = "alk_limitsBytes456789abcdefghijklmnopqrstuvwxyz";
    static final String USAGE = "/kyyReactApiServer/kyyVideo2/usage";
    static final String BATCH = "/kyyReactApiServer/asset/sd2Manxue/assetUpload";

    static RunningStack stack;
    static StackClient client;

    @BeforeAll
    static void startStack() throws Exception {
        StackSettings settings = LocalStack.settings("--api-port=0", "--dynamodb-port=0", "--sqs-port=0", "--sfn-port=0",
                "--s3-port=0", "--data-dir=local/target/e2e-limits-" + java.util.UUID.randomUUID(),
                "--project-dir=..", "--in-memory", "--time-scale=0.01", "--review-delay=30m",
                "--dev-key", BURST_KEY + "=burst-account", "--dev-key", OTHER_KEY + "=other-account",
                "--dev-key", QUOTA_KEY + "=quota-account", "--dev-key", RACE_KEY + "=race-account",
                "--dev-key", INGEST_KEY + "=ingest-account", "--dev-key", BYTES_KEY + "=bytes-account",
                "--parameter", "AccountLimitsEnabled=true", "--parameter", "UploadsPerSecond=3",
                "--parameter", "ReadsPerSecond=5", "--parameter", "QuotaInReview=4");
        stack = RunningStack.start(settings, RunningStack.Hooks.NONE);
        client = new StackClient(stack, BURST_KEY);
        // Plans of their own, set as an operator would (before the accounts' first request: instances cache plans).
        // The burst test is about the rate: its reviews (media step, then the review delay) may
        // still be running when it uploads again, so its in-review quota is out of the way.
        limits("burst-account", "--in-review", "100");
        limits("race-account", "--uploads-per-second", "1000", "--in-review", "30");
        limits("quota-account", "--uploads-per-second", "1000");
        limits("ingest-account", "--uploads-per-second", "1000", "--reads-per-second", "1000", "--in-review", "2");
        limits("bytes-account", "--uploads-per-second", "1000", "--reads-per-second", "1000", "--management-per-second", "1000");
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

    static void limits(String account, String... options) {
        List<String> args = new ArrayList<>(List.of("limits", "--table", stack.tableName(), "--account", account,
                "--endpoint-url", stack.dynamoDbEndpoint().toString()));
        args.addAll(List.of(options));
        ApiKeyAdmin.main(args.toArray(String[]::new));
    }

    static HttpRequest upload(String key, String url) {
        return client.request(StackClient.UPLOAD).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"assetType\":\"Image\",\"url\":\"" + url + "\"}")).build();
    }

    static HttpResponse<String> get(String key, String path) {
        return client.send(client.request(path).header("Authorization", "Bearer " + key).GET().build());
    }

    static JsonNode usage(String key) {
        HttpResponse<String> r = get(key, USAGE);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return StackClient.json(r.body()).path("data");
    }

    @Test
    void aBurstOfUploadsOverTheRateGets429WithRetryAfterWritesNothingAndPassesAfterTheWait() throws Exception {
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            answers.add(client.send(upload(BURST_KEY, SAMPLES + "burst/" + i + ".jpg")));
        }
        List<HttpResponse<String>> throttled = answers.stream().filter(r -> r.statusCode() == 429).toList();
        long accepted = answers.stream().filter(r -> r.statusCode() == 200).count();
        assertThat(accepted + throttled.size()).isEqualTo(8);
        assertThat(accepted).isBetween(3L, 5L); // 3 per second, plus what refilled during the burst
        assertThat(throttled).isNotEmpty().allSatisfy(r -> {
            assertThat(StackClient.json(r.body()).path("code").asInt()).isEqualTo(42900);
            assertThat(StackClient.json(r.body()).path("msg").asText()).contains("rate limit of 3");
            assertThat(r.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 2L));
            assertThat(r.headers().firstValue("RateLimit-Remaining")).hasValue("0");
        });
        answers.forEach(r -> assertThat(r.headers().firstValue("RateLimit-Limit")).hasValue("3"));
        // Nothing written for the refused ones: the account holds exactly the accepted assets.
        JsonNode used = usage(BURST_KEY);
        assertThat(used.at("/usage/storedAssets").asLong()).isEqualTo(accepted);
        assertThat(used.at("/usage/inReview").asLong()).isEqualTo(accepted);

        // Another account is not affected by this one's empty bucket.
        assertThat(client.send(upload(OTHER_KEY, SAMPLES + "other/1.jpg")).statusCode()).isEqualTo(200);

        long wait = Long.parseLong(throttled.get(throttled.size() - 1).headers().firstValue("Retry-After").orElseThrow());
        Thread.sleep(wait * 1000);
        HttpResponse<String> after = client.send(upload(BURST_KEY, SAMPLES + "burst/after.jpg"));
        assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
    }

    @Test
    void readsHaveTheirOwnLimitAndEveryAnswerCarriesTheRateLimitHeaders() {
        // 20 reads sent at once: a burst well past 5 per second however slow the machine (one after
        // another, nine reads on a loaded machine took long enough for the bucket to refill).
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().executor(
                java.util.concurrent.Executors.newFixedThreadPool(20)).build();
        HttpRequest read = client.request("/kyyReactApiServer/kyyVideo2/assets").header("Authorization", "Bearer " + OTHER_KEY)
                .GET().build();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(http.sendAsync(read, HttpResponse.BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> answers = calls.stream().map(CompletableFuture::join).toList();
        assertThat(answers).extracting(HttpResponse::statusCode).contains(200, 429).containsOnly(200, 429);
        answers.forEach(r -> {
            assertThat(r.headers().firstValue("RateLimit-Limit")).hasValue("5");
            assertThat(r.headers().firstValue("RateLimit-Reset")).isPresent();
        });
    }

    @Test
    void aBatchOverTheInReviewQuotaIsRefusedWholeWith403NamingTheQuotaUsageAndLimit() {
        HttpResponse<String> first = client.send(client.request(BATCH).header("Authorization", "Bearer " + QUOTA_KEY)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"imageUrls\":[\"" + SAMPLES + "q/1.jpg\",\"" + SAMPLES + "q/2.jpg\",\"" + SAMPLES + "q/3.jpg\"]}"))
                .build());
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        HttpResponse<String> over = client.send(client.request(BATCH).header("Authorization", "Bearer " + QUOTA_KEY)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"imageUrls\":[\"" + SAMPLES + "q/4.jpg\",\"" + SAMPLES + "q/5.jpg\"]}")).build());
        assertThat(over.statusCode()).as(over.body()).isEqualTo(403);
        JsonNode body = StackClient.json(over.body());
        assertThat(body.path("code").asText()).isEqualTo("40302"); // the SD2 route's string code
        assertThat(body.path("msg").asText()).contains("inReview").contains("3 in use + 2 in this upload > limit 4");

        JsonNode used = usage(QUOTA_KEY);
        assertThat(used.at("/limits/inReview").asLong()).isEqualTo(4);
        assertThat(used.at("/limits/uploadsPerSecond").asLong()).isEqualTo(1000);
        assertThat(used.at("/limits/readsPerSecond").asLong()).isEqualTo(5);
        assertThat(used.at("/usage/inReview").asLong()).isEqualTo(3);
        assertThat(used.at("/usage/storedAssets").asLong()).isEqualTo(3);
        assertThat(used.at("/usage/uploadsToday").asLong()).isEqualTo(3);
        assertThat(used.path("enforced").asBoolean()).isTrue();
    }

    @Test
    void fiftyRacingUploadsAgainstAQuotaOfThirtyInReviewAcceptExactlyThirty() {
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().executor(
                java.util.concurrent.Executors.newFixedThreadPool(50)).build();
        for (int i = 0; i < 50; i++) {
            calls.add(http.sendAsync(upload(RACE_KEY, SAMPLES + "race/" + i + ".jpg"), HttpResponse.BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> answers = calls.stream().map(CompletableFuture::join).toList();
        assertThat(answers.stream().filter(r -> r.statusCode() == 200).count()).isEqualTo(30);
        assertThat(answers.stream().filter(r -> r.statusCode() == 403)).hasSize(20)
                .allSatisfy(r -> assertThat(StackClient.json(r.body()).path("code").asInt()).isEqualTo(40302));
        JsonNode used = usage(RACE_KEY);
        assertThat(used.at("/usage/inReview").asLong()).isEqualTo(30);
        assertThat(used.at("/usage/storedAssets").asLong()).isEqualTo(30);
    }

    @Test
    void ingestMessagesOverAQuotaWaitOnTheQueuePastItsReceiveLimitAndAreProcessedOnceEachWhenReviewsEnd() throws Exception {
        String queue = stack.queueUrls().get("IngestQueue");
        List<String> first = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = client.send(upload(INGEST_KEY, SAMPLES + "ingest/direct" + i + ".jpg"));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            first.add(StackClient.assetId(r));
        }
        long started = System.nanoTime();
        for (int i = 0; i < 2; i++) {
            int n = i;
            client.sqs.sendMessage(m -> m.queueUrl(queue)
                    .messageBody("{\"assetType\":\"Image\",\"url\":\"" + SAMPLES + "ingest/queued" + n + ".jpg\"}")
                    .messageAttributes(Map.of("accountId", MessageAttributeValue.builder().dataType("String")
                            .stringValue("ingest-account").build())));
        }
        // Refused and sent back with delays of 1, 2, 3, 5 s (1, 2, 4, 8 min at --time-scale 0.01): after 10 s
        // more than the 3 receives after which the redrive policy would have moved them to the DLQ (180 s
        // visibility = 1.8 s here). The first two are still in review (30 min = 18 s).
        Thread.sleep(10_000);
        assertThat(detail(INGEST_KEY, first.get(0)).path("status").asText()).isIn("submitted", "Processing");
        assertThat(usage(INGEST_KEY).at("/usage/storedAssets").asLong()).isEqualTo(2); // nothing created over the quota
        Map<String, String> waiting = client.sqs.getQueueAttributes(r -> r.queueUrl(queue).attributeNamesWithStrings(
                "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"))
                .attributesAsStrings();
        assertThat(waiting.values().stream().mapToLong(Long::parseLong).sum()).as("kept on the queue: " + waiting).isEqualTo(2);
        assertThat(deadLetters()).isZero();

        // Room: the two reviews end (Active); the waiting messages are processed at their next return.
        for (String id : first) {
            StackClient.await(Duration.ofSeconds(60), () -> detail(INGEST_KEY, id).path("status").asText().equals("Active"),
                    () -> id + " did not become Active: " + detail(INGEST_KEY, id));
        }
        StackClient.await(Duration.ofSeconds(60), () -> usage(INGEST_KEY).at("/usage/storedAssets").asLong() == 4,
                () -> "the queued messages were not processed: " + usage(INGEST_KEY));
        assertThat(System.nanoTime() - started).as("they waited for the reviews").isGreaterThan(Duration.ofSeconds(10).toNanos());
        JsonNode listed = StackClient.json(get(INGEST_KEY, "/kyyReactApiServer/kyyVideo2/assets?limit=100").body()).path("data");
        List<String> urls = new ArrayList<>();
        listed.path("items").forEach(a -> urls.add(a.path("url").asText()));
        for (int n = 0; n < 2; n++) {
            String url = SAMPLES + "ingest/queued" + n + ".jpg";
            assertThat(urls.stream().filter(url::equals).count()).as("exactly one asset for " + url + " in " + urls).isEqualTo(1);
        }
        JsonNode used = usage(INGEST_KEY);
        assertThat(used.at("/usage/uploadsToday").asLong()).isEqualTo(4);
        assertThat(deadLetters()).isZero();
        Thread.sleep(3_000); // a late copy or redelivery would make a fifth
        assertThat(usage(INGEST_KEY).at("/usage/storedAssets").asLong()).isEqualTo(4);
    }

    @Test
    void storedBytesReadBackExactlyAsTheSumOfTheStoredCopiesOfUrlUploadsAndADeleteGivesItsCopyBack() {
        List<String> ids = new ArrayList<>();
        for (String path : List.of("bytes/a.jpg", "bytes/b.png")) {
            HttpResponse<String> r = client.send(upload(BYTES_KEY, SAMPLES + path));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            ids.add(StackClient.assetId(r));
        }
        StackClient.await(Duration.ofSeconds(60), () -> ids.stream().allMatch(id -> detail(BYTES_KEY, id).path("media").has("bytes")),
                () -> "the media step did not record the copies: " + ids.stream().map(id -> detail(BYTES_KEY, id)).toList());
        long[] copies = ids.stream().mapToLong(id -> detail(BYTES_KEY, id).at("/media/bytes").asLong()).toArray();
        assertThat(copies[0]).isPositive();
        assertThat(copies[1]).isPositive();
        assertThat(usage(BYTES_KEY).at("/usage/storedBytes").asLong()).isEqualTo(copies[0] + copies[1]);
        HttpResponse<String> d = client.send(client.request(StackClient.DETAIL + ids.get(0))
                .header("Authorization", "Bearer " + BYTES_KEY).DELETE().build());
        assertThat(d.statusCode()).as(d.body()).isEqualTo(200);
        JsonNode used = usage(BYTES_KEY);
        assertThat(used.at("/usage/storedBytes").asLong()).isEqualTo(copies[1]);
        assertThat(used.at("/usage/storedAssets").asLong()).isEqualTo(1);
    }

    static JsonNode detail(String key, String id) {
        HttpResponse<String> r = get(key, StackClient.DETAIL + id);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return StackClient.json(r.body()).path("data");
    }

    private long deadLetters() {
        return Long.parseLong(client.sqs.getQueueAttributes(r -> r.queueUrl(stack.queueUrls().get("IngestDeadLetterQueue"))
                .attributeNamesWithStrings("ApproximateNumberOfMessages")).attributesAsStrings().get("ApproximateNumberOfMessages"));
    }
}
