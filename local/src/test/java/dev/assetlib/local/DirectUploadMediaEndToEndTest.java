package dev.assetlib.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.local.sfn.LambdaFaultInjector;
import dev.assetlib.local.sfn.LocalLambda;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Direct uploads through the media step on the whole local stack: a presigned PUT to the upload
 * bucket on S3Mock, the ObjectCreated event the stack raises for it, CheckReview sending the review
 * back through InspectMedia, which reads and copies the object pinned to the event's ETag. Images
 * are drawn here; each has bytes of its own (no twin decision between tests).
 */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class DirectUploadMediaEndToEndTest {
    static final String KEY = "alk_directMediaE2e0123456789abcdefghijklmnopqrs";
    static final String ACCOUNT = "direct-media";
    static final String UPLOAD_URL = "/kyyReactApiServer/kyyVideo2/asset/uploadUrl";
    static final Duration PATIENCE = Duration.ofSeconds(90);

    static RunningStack stack;
    static StackClient client;
    /** Assets whose upload object the bucket owner overwrites just before the media step runs. */
    static final Set<String> swapBeforeMedia = ConcurrentHashMap.newKeySet();
    static final AtomicInteger colour = new AtomicInteger(0x102030);
    static final Map<String, List<JsonNode>> completions = new ConcurrentHashMap<>();

    @BeforeAll
    static void startStack() throws Exception {
        stack = RunningStack.start(LocalStack.settings("--api-port=0", "--dynamodb-port=0", "--sqs-port=0", "--sfn-port=0",
                "--s3-port=0", "--data-dir=local/target/direct-media-e2e-" + java.util.UUID.randomUUID(),
                "--project-dir=..", "--in-memory", "--parameter", "ReviewStartMode=direct", "--time-scale=0.01",
                "--review-delay=10s", "--deadline=24h", "--upload-wait=1h",
                "--dev-key", KEY + "=" + ACCOUNT), new RunningStack.Hooks(DirectUploadMediaEndToEndTest::swapping, LambdaFaultInjector.NONE));
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

    /** MediaFunction, which first overwrites the objects of the marked assets (as the bucket owner could). */
    static LocalLambda swapping(String id, LocalLambda fn) {
        if (!id.equals("MediaFunction")) {
            return fn;
        }
        return payload -> {
            for (String assetId : swapBeforeMedia) {
                String text = new String(payload, java.nio.charset.StandardCharsets.UTF_8);
                // the media step after the object arrived (CheckReview's "inspect"), not the one at the start
                if (text.contains(assetId) && text.contains("\"inspect\":true")
                        && stack.s3().listObjectsV2(l -> l.bucket(stack.uploadBucket()).prefix(key(assetId))).keyCount() > 0) {
                    stack.s3().putObject(p -> p.bucket(stack.uploadBucket()).key(key(assetId)), RequestBody.fromBytes(png(700, 700)));
                    swapBeforeMedia.remove(assetId);
                }
            }
            return fn.invoke(payload);
        };
    }

    static String key(String assetId) {
        return "uploads/" + ACCOUNT + "/" + assetId;
    }

    static byte[] png(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(colour.addAndGet(0x010203) & 0xffffff));
        g.fillRect(0, 0, width, height);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static JsonNode requestUploadUrl() {
        HttpResponse<String> response = client.send(client.request(UPLOAD_URL).header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"assetType\":\"Image\",\"name\":\"direct\",\"contentType\":\"image/png\"}")).build());
        assertThat(response.statusCode()).as("uploadUrl answer %s", response.body()).isEqualTo(200);
        return StackClient.json(response.body()).path("data");
    }

    /** The PUT a client makes: the URL and exactly the headers the answer lists. */
    static HttpResponse<String> put(URI url, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url);
        headers.forEach(b::header);
        return client.send(b.PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    static HttpResponse<String> put(JsonNode data, byte[] body) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        data.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
        return put(URI.create(data.path("uploadUrl").asText()), headers, body);
    }

    static byte[] copyOf(String assetId) {
        return stack.s3().getObjectAsBytes(g -> g.bucket(stack.mediaBucket()).key("media/" + ACCOUNT + "/" + assetId)).asByteArray();
    }

    @Test
    void aDirectUploadIsProbedAndCopiedBeforeReviewAndItsDetailShowsTheMedia() throws Exception {
        JsonNode data = requestUploadUrl();
        String id = data.path("assetId").asText();
        byte[] image = png(640, 480);
        assertThat(client.detail(id).path("status").asText()).isEqualTo("Processing");

        assertThat(put(data, image).statusCode()).isEqualTo(200);

        JsonNode detail = client.awaitTerminal(id, PATIENCE);
        assertThat(detail.path("status").asText()).as(detail.toString()).isEqualTo("Active");
        JsonNode media = detail.path("media");
        assertThat(media.path("format").asText()).isEqualTo("png");
        assertThat(media.path("width").asInt()).isEqualTo(640);
        assertThat(media.path("height").asInt()).isEqualTo(480);
        assertThat(media.path("bytes").asLong()).isEqualTo(image.length);
        assertThat(media.path("sha256").asText()).isEqualTo(sha256(image));
        assertThat(copyOf(id)).isEqualTo(image);
        assertThat(completionsOf(id)).hasSize(1).first()
                .satisfies(c -> assertThat(c.path("media").path("sha256").asText()).isEqualTo(sha256(image)));
        // InspectMedia at the start (nothing to inspect yet), and again once the object arrived, before the reviewer.
        List<String> states = client.statesEntered(id, PATIENCE);
        assertThat(states.stream().filter("InspectMedia"::equals).count()).isEqualTo(2);
        assertThat(states.lastIndexOf("InspectMedia")).isLessThan(states.lastIndexOf("SubmitToReviewer"));
        assertThat(client.history(id).findValuesAsText("change")).contains("uploaded", "media");
    }

    @Test
    void aDirectUploadSwappedAfterApprovalStaysTheApprovedBytes() throws Exception {
        JsonNode data = requestUploadUrl();
        String id = data.path("assetId").asText();
        byte[] approved = png(600, 600);
        assertThat(put(data, approved).statusCode()).isEqualTo(200);
        JsonNode detail = client.awaitTerminal(id, PATIENCE);
        assertThat(detail.path("status").asText()).as(detail.toString()).isEqualTo("Active");
        String sha = detail.path("media").path("sha256").asText();
        assertThat(sha).isEqualTo(sha256(approved));

        // The same upload URL again: S3Mock honours the signed If-None-Match: *.
        assertThat(put(data, png(600, 600)).statusCode()).as("a second PUT to the upload URL").isEqualTo(412);
        // A fresh presigned PUT of the same key without If-None-Match (what the bucket's owner could sign).
        long eventsBefore = stack.uploadEvents().raised();
        byte[] swapped = png(900, 900);
        try (S3Presigner owner = S3Presigner.builder().region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .endpointOverride(stack.s3Endpoint())
                .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("local", "local"))).build()) {
            var signed = owner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                    .putObjectRequest(r -> r.bucket(stack.uploadBucket()).key(key(id)).contentType("image/png")));
            assertThat(put(URI.create(signed.url().toString()), Map.of("Content-Type", "image/png"), swapped).statusCode()).isEqualTo(200);
        }
        assertThat(stack.s3().getObjectAsBytes(g -> g.bucket(stack.uploadBucket()).key(key(id))).asByteArray()).isEqualTo(swapped);
        StackClient.await(Duration.ofSeconds(30), () -> stack.uploadEvents().raised() > eventsBefore,
                () -> "no ObjectCreated event for the second object");

        JsonNode after = client.detail(id);
        assertThat(after.path("status").asText()).isEqualTo("Active");
        assertThat(after.path("media").path("sha256").asText()).as("the approved bytes").isEqualTo(sha);
        assertThat(copyOf(id)).as("the copy is the approved object").isEqualTo(approved);
        assertThat(completionsOf(id)).hasSize(1);
    }

    @Test
    void anObjectSwappedBeforeTheMediaStepReadItFailsUploadReplacedAndIsNeverApproved() {
        JsonNode data = requestUploadUrl();
        String id = data.path("assetId").asText();
        swapBeforeMedia.add(id);
        assertThat(put(data, png(640, 640)).statusCode()).isEqualTo(200);

        JsonNode detail = client.awaitTerminal(id, PATIENCE);
        assertThat(detail.path("status").asText()).isEqualTo("Failed");
        assertThat(detail.path("errorCode").asText()).isEqualTo("UPLOAD_REPLACED");
        assertThat(detail.path("errorMessage").asText()).contains("s3://" + stack.uploadBucket() + "/" + key(id))
                .contains("is no longer the object with ETag").contains("upload again with a new upload URL");
        assertThat(detail.path("media").isMissingNode() || detail.path("media").isNull()).isTrue();
        assertThat(stack.s3().listObjectsV2(l -> l.bucket(stack.mediaBucket()).prefix("media/" + ACCOUNT + "/" + id)).keyCount())
                .as("no copy of other bytes").isZero();
        assertThat(completionsOf(id)).hasSize(1);
        assertThat(client.history(id).findValuesAsText("actor")).doesNotContain("reviewer");
    }

    @Test
    void aTooSmallDirectUploadFailsImageDimensionsWithOneCompletion() {
        JsonNode data = requestUploadUrl();
        String id = data.path("assetId").asText();
        assertThat(put(data, png(240, 180)).statusCode()).isEqualTo(200);

        JsonNode detail = client.awaitTerminal(id, PATIENCE);
        assertThat(detail.path("status").asText()).isEqualTo("Failed");
        assertThat(detail.path("errorCode").asText()).isEqualTo("IMAGE_DIMENSIONS");
        assertThat(detail.path("errorMessage").asText()).isEqualTo("IMAGE_DIMENSIONS: image is 240x180 px; each side must be 300 to 6000 px");
        assertThat(completionsOf(id)).hasSize(1).first()
                .satisfies(c -> assertThat(c.path("errorCode").asText()).isEqualTo("IMAGE_DIMENSIONS"));
        assertThat(client.statesEntered(id, PATIENCE)).doesNotContain("FailRemaining");
    }

    @Test
    void deletingADirectUploadAssetRemovesItsCopy() {
        JsonNode data = requestUploadUrl();
        String id = data.path("assetId").asText();
        assertThat(put(data, png(500, 500)).statusCode()).isEqualTo(200);
        assertThat(client.awaitTerminal(id, PATIENCE).path("status").asText()).isEqualTo("Active");
        assertThat(copyOf(id)).isNotEmpty();

        HttpResponse<String> deleted = client.send(client.request(StackClient.DETAIL + id).header("Authorization", "Bearer " + KEY)
                .DELETE().build());
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);

        StackClient.await(Duration.ofSeconds(30), () -> {
            try {
                stack.s3().headObject(h -> h.bucket(stack.mediaBucket()).key("media/" + ACCOUNT + "/" + id));
                return false;
            } catch (S3Exception e) {
                return e.statusCode() == 404;
            }
        }, () -> "the copy of " + id + " is still in the media bucket");
    }



    private static List<JsonNode> completionsOf(String assetId) {
        client.collectCompletions(completions, PATIENCE);
        return completions.getOrDefault(assetId, List.of());
    }

}
