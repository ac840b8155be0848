package dev.assetlib.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Direct uploads and bulk import on the whole local stack, started as ./run-local starts it: a
 * file PUT to the upload URL (a presigned PUT to the upload bucket on S3Mock), the ObjectCreated event it raises,
 * the real statemachine/ file on the local interpreter, and the ingest queue in ElasticMQ polled
 * like Lambda's event source mapping. Time scale 0.02: a 5-minute upload wait is 6 s real (an object PUT is noticed within 0.2 s, UploadEvents).
 */
@Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
class DirectUploadAndIngestEndToEndTest {
    /** Sample media on the JVM's allow-listed sample origin (the media step fetches every URL). */
    static final String SAMPLES = dev.assetlib.local.api.SampleOrigin.base();
    static final String OWNER_KEY = "alk_e2eUploadKey0123456789abcdefghijklmnopqrstu";
    static final String OTHER_KEY = "alk_e2eUploadKey0123456789abcdefghijklmnopqrstv";
    static final String BULK_KEY = "alk_e2eUploadKey0123456789abcdefghijklmnopqrstw";
    static final String UPLOAD_URL = "/kyyReactApiServer/kyyVideo2/asset/uploadUrl";
    static final Duration PATIENCE = Duration.ofSeconds(120);

    static RunningStack stack;
    static StackClient owner;
    static StackClient other;
    static DynamoDbClient dynamo;
    static String completionQueue;
    static final List<JsonNode> completions = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startStack() throws Exception {
        StackSettings settings = LocalStack.settings("--api-port=0", "--dynamodb-port=0", "--sqs-port=0", "--sfn-port=0",
                "--s3-port=0", "--project-dir=..", "--in-memory", "--data-dir=local/target/e2e-uploads-" + UUID.randomUUID(),
                "--time-scale=0.02", "--review-delay=10s", "--deadline=24h", "--upload-wait=5m",
                "--dev-key", OWNER_KEY + "=owner", "--dev-key", OTHER_KEY + "=other", "--dev-key", BULK_KEY + "=bulk");
        stack = RunningStack.start(settings, RunningStack.Hooks.NONE);
        owner = new StackClient(stack, OWNER_KEY);
        other = new StackClient(stack, OTHER_KEY);
        dynamo = DynamoDbClient.builder().region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .endpointOverride(stack.dynamoDbEndpoint()).build();
        completionQueue = stack.queueUrls().get("CompletionQueue");
    }

    @AfterAll
    static void stopStack() {
        if (dynamo != null) {
            dynamo.close();
        }
        for (StackClient c : new StackClient[] {owner, other}) {
            if (c != null) {
                c.close();
            }
        }
        if (stack != null) {
            stack.close();
        }
    }

    /** Every completion so far (the queue is shared by the tests, so each filters what is its own). */
    static List<JsonNode> completions() {
        owner.drain(completionQueue).forEach(m -> completions.add(StackClient.json(m.body())));
        return completions;
    }

    static List<JsonNode> completionsOf(String assetId) {
        return completions().stream().filter(c -> assetId.equals(c.path("assetId").asText())).toList();
    }

    static JsonNode requestUploadUrl(StackClient client, String key, String contentType) {
        HttpResponse<String> response = client.send(client.request(UPLOAD_URL).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"assetType\":\"Image\",\"name\":\"e2e direct\",\"contentType\":\""
                        + contentType + "\"}")).build());
        assertThat(response.statusCode()).as("uploadUrl answer %s", response.body()).isEqualTo(200);
        return StackClient.json(response.body()).path("data");
    }

    /** A PUT to an upload URL with the headers its answer lists (Content-Type, If-None-Match: *). */
    static HttpResponse<String> put(StackClient client, JsonNode data, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(data.path("uploadUrl").asText()));
        data.path("headers").fields().forEachRemaining(h -> b.header(h.getKey(), h.getValue().asText()));
        return client.send(b.PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** A 500 x 400 PNG drawn here (inside the vendor's image limits). */
    static byte[] png(int width, int height) throws java.io.IOException {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(width, height, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = image.createGraphics();
        g.setColor(new java.awt.Color(0x336699));
        g.fillRect(0, 0, width, height);
        g.setColor(new java.awt.Color((int) (System.nanoTime() & 0xffffff))); // bytes of their own: no twin decision
        g.fillOval(width / 4, height / 4, width / 2, height / 2);
        g.dispose();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    @Test
    void aFilePutToTheUploadUrlEndsActiveWithOneCompletion() throws Exception {
        // Drawn first: the upload wait is 6 s real at this time scale.
        byte[] file = png(500, 400);
        byte[] second = png(500, 400);
        JsonNode data = requestUploadUrl(owner, OWNER_KEY, "image/png");
        String id = data.path("assetId").asText();
        assertThat(data.path("headers").path("Content-Type").asText()).isEqualTo("image/png");
        assertThat(owner.detail(id).path("status").asText()).isEqualTo("Processing");
        String url = data.path("uploadUrl").asText();
        assertThat(url).startsWith(stack.s3Endpoint() + "/" + stack.uploadBucket() + "/uploads/owner/" + id + "?")
                .contains("X-Amz-Signature=");
        assertThat(data.path("headers").path("If-None-Match").asText()).isEqualTo("*");

        HttpResponse<String> stored = put(owner, data, file);
        assertThat(stored.statusCode()).as("PUT answer %s", stored.body()).isEqualTo(200);
        assertThat(stored.headers().firstValue("ETag")).isPresent();
        assertThat(put(owner, data, second).statusCode()).as("one object per upload URL").isEqualTo(412);

        JsonNode detail = owner.awaitTerminal(id, PATIENCE);
        assertThat(detail.path("status").asText()).as(detail.toString()).isEqualTo("Active");
        assertThat(detail.path("url").asText()).isEqualTo("s3://" + stack.uploadBucket() + "/uploads/owner/" + id);
        assertThat(stack.s3().getObjectAsBytes(g -> g.bucket(stack.uploadBucket()).key("uploads/owner/" + id)).asByteArray())
                .isEqualTo(file);
        StackClient.await(Duration.ofSeconds(10), () -> completionsOf(id).size() == 1, () -> "no completion for " + id);
        assertThat(completionsOf(id)).hasSize(1).first().satisfies(c -> assertThat(c.path("status").asText()).isEqualTo("Active"));
    }

    @Test
    void anUploadUrlNeverUsedFailsAtTheDeadlineWithTheReason() {
        String id = requestUploadUrl(owner, OWNER_KEY, "image/webp").path("assetId").asText();

        JsonNode detail = owner.awaitTerminal(id, PATIENCE);
        assertThat(detail.path("status").asText()).isEqualTo("Failed");
        assertThat(detail.path("errorCode").asText()).isEqualTo("UPLOAD_MISSING");
        assertThat(detail.path("errorMessage").asText()).contains("the upload never arrived");
        StackClient.await(Duration.ofSeconds(10), () -> completionsOf(id).size() == 1, () -> "no completion for " + id);
        assertThat(completionsOf(id).get(0).path("errorCode").asText()).isEqualTo("UPLOAD_MISSING");
    }

    @Test
    void anObjectWhoseKeyNamesAnotherAccountsAssetStartsNothing() throws Exception {
        byte[] foreignObject = png(400, 400);
        String id = requestUploadUrl(owner, OWNER_KEY, "image/gif").path("assetId").asText();
        // Written straight into the bucket (as someone with bucket access could), under account other.
        stack.s3().putObject(p -> p.bucket(stack.uploadBucket()).key("uploads/other/" + id),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(foreignObject));

        HttpResponse<String> foreign = other.send(other.request(StackClient.DETAIL + id)
                .header("Authorization", "Bearer " + OTHER_KEY).GET().build());
        assertThat(foreign.statusCode()).isEqualTo(404);
        JsonNode detail = owner.awaitTerminal(id, PATIENCE);
        assertThat(detail.path("status").asText()).as("the foreign object did not start the owner's review").isEqualTo("Failed");
        assertThat(detail.path("errorCode").asText()).isEqualTo("UPLOAD_MISSING");
        assertThat(assetCount("other")).isZero();
    }

    /**
     * 500 messages: singles, batches (some with a refused URL), invalid fields, bad JSON, re-sends
     * of earlier messages (same idempotencyKey) and messages for no known account. Expected: one
     * asset per accepted URL, one completion per asset, one Failed rejection completion per
     * invalid message or refused URL set, the unknown-account ones in the dead-letter queue after
     * 3 receives, and an empty ingest queue: nothing retried forever.
     */
    @Test
    void fiveHundredIngestMessagesEndAsExactlyTheExpectedAssetsAndCompletions() {
        String ingest = stack.queueUrls().get("IngestQueue");
        String deadLetters = stack.queueUrls().get("IngestDeadLetterQueue");
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        Set<String> expectedUrls = new HashSet<>();
        int expectedRejections = 0;
        int expectedDeadLetters = 0;
        for (int i = 0; i < 500; i++) {
            String account = "bulk";
            String body;
            switch (i % 10) {
                case 0, 1, 2, 3 -> {
                    String url = SAMPLES + "bulk/" + i + ".jpg";
                    body = "{\"assetType\":\"Image\",\"url\":\"" + url + "\",\"name\":\"bulk " + i + "\",\"idempotencyKey\":\"bulk-" + i + "\"}";
                    expectedUrls.add(url);
                }
                case 4 -> {
                    body = "{\"imageUrls\":[\"" + SAMPLES + "bulk/" + i + "a.png\"],\"audioUrls\":[\"" + SAMPLES + "bulk/" + i + ".mp3\"]}";
                    expectedUrls.add(SAMPLES + "bulk/" + i + "a.png");
                    expectedUrls.add(SAMPLES + "bulk/" + i + ".mp3");
                }
                case 5 -> {
                    body = "{\"videoUrls\":[\"" + SAMPLES + "bulk/" + i + ".mp4\",\"ftp://example.com/bulk/" + i + ".mp4\"]}";
                    expectedUrls.add(SAMPLES + "bulk/" + i + ".mp4");
                    expectedRejections++;
                }
                case 6 -> {
                    body = "{\"assetType\":\"image\",\"url\":\"" + SAMPLES + "bulk/" + i + ".jpg\"}";
                    expectedRejections++;
                }
                case 7 -> {
                    body = "{\"assetType\":\"Image\",\"url\":";
                    expectedRejections++;
                }
                case 8 -> // a re-send of message i-8 (same idempotencyKey): creates nothing more
                    body = "{\"assetType\":\"Image\",\"url\":\"" + SAMPLES + "bulk/" + (i - 8) + ".jpg\",\"name\":\"bulk "
                            + (i - 8) + "\",\"idempotencyKey\":\"bulk-" + (i - 8) + "\"}";
                default -> {
                    body = "{\"assetType\":\"Image\",\"url\":\"" + SAMPLES + "nobody/" + i + ".jpg\"}";
                    account = i % 20 == 9 ? "nobody" : null; // an account with no key, or no attribute at all
                    expectedDeadLetters++;
                }
            }
            var entry = SendMessageBatchRequestEntry.builder().id("m" + i).messageBody(body);
            if (account != null) {
                entry.messageAttributes(Map.of("accountId", MessageAttributeValue.builder().dataType("String").stringValue(account).build()));
            }
            entries.add(entry.build());
        }
        for (int from = 0; from < entries.size(); from += 10) {
            List<SendMessageBatchRequestEntry> chunk = entries.subList(from, from + 10);
            assertThat(owner.sqs.sendMessageBatch(r -> r.queueUrl(ingest).entries(chunk)).failed()).isEmpty();
        }
        final int rejections = expectedRejections;
        final int dead = expectedDeadLetters;

        Map<String, List<JsonNode>> byAsset = new ConcurrentHashMap<>();
        List<JsonNode> rejected = new ArrayList<>();
        // By message id: SQS delivers at least once, and on a loaded machine a dead letter can be
        // received again before the drain's delete of it lands.
        Map<String, Message> dlq = new java.util.LinkedHashMap<>();
        StackClient.await(PATIENCE.multipliedBy(2), () -> {
            byAsset.clear();
            rejected.clear();
            for (JsonNode c : completions()) {
                if (!c.path("accountId").asText().equals("bulk")) {
                    continue;
                }
                if (c.has("assetId")) {
                    byAsset.computeIfAbsent(c.path("assetId").asText(), k -> new ArrayList<>()).add(c);
                } else {
                    rejected.add(c);
                }
            }
            owner.drain(deadLetters).forEach(m -> dlq.put(m.messageId(), m));
            return byAsset.size() >= expectedUrls.size() && rejected.size() >= rejections && dlq.size() >= dead
                    && queueIsEmpty(ingest);
        }, () -> "ingest did not settle: " + byAsset.size() + "/" + expectedUrls.size() + " assets completed, "
                + rejected.size() + "/" + rejections + " rejections, " + dlq.size() + "/" + dead + " dead letters");

        // Settled: nothing more arrives (no duplicate completions, no late dead letters).
        sleep(Duration.ofSeconds(3));
        completions().stream().filter(c -> c.path("accountId").asText().equals("bulk")).forEach(c -> {
            if (!c.has("assetId")) {
                return;
            }
            assertThat(byAsset).containsKey(c.path("assetId").asText());
        });
        owner.drain(deadLetters).forEach(m -> dlq.put(m.messageId(), m));

        assertThat(assetCount("bulk")).isEqualTo(expectedUrls.size());
        assertThat(byAsset).hasSize(expectedUrls.size());
        assertThat(byAsset.values()).allSatisfy(list -> {
            assertThat(list).hasSize(1);
            assertThat(list.get(0).path("status").asText()).isEqualTo("Active");
        });
        assertThat(byAsset.values().stream().map(l -> l.get(0).path("url").asText())).containsExactlyInAnyOrderElementsOf(expectedUrls);
        assertThat(rejected).hasSize(rejections).allSatisfy(r -> {
            assertThat(r.path("status").asText()).isEqualTo("Failed");
            assertThat(r.path("errorCode").asText()).isEqualTo("INGEST_REJECTED");
            assertThat(r.path("errorMessage").asText()).isNotBlank();
        });
        assertThat(rejected.stream().map(r -> r.path("ingestMessageId").asText()).distinct()).hasSize(rejections);
        assertThat(dlq.values()).hasSize(dead).allSatisfy(m -> assertThat(m.body()).contains("/nobody/"));
        assertThat(queueIsEmpty(ingest)).isTrue();
        assertThat(assetCount("nobody")).isZero();
    }

    static boolean queueIsEmpty(String queueUrl) {
        Map<QueueAttributeName, String> a = owner.sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return "0".equals(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                && "0".equals(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    static int assetCount(String account) {
        int count = 0;
        Map<String, AttributeValue> start = null;
        do {
            final Map<String, AttributeValue> from = start;
            // Assets only, not their history events (same partition, sk ASSET#{id}#EV#...).
            var page = dynamo.query(r -> r.tableName(stack.tableName()).keyConditionExpression("pk = :pk AND begins_with(sk, :a)")
                    .filterExpression("attribute_exists(assetType)")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("ACCOUNT#" + account), ":a", AttributeValue.fromS("ASSET#")))
                    .exclusiveStartKey(from));
            count += page.count();
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return count;
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
