package dev.assetlib.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.local.api.SampleOrigin;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * The media step on the local stack, end to end: every upload's bytes are fetched from the stack's
 * sample origin, probed, checked and stored in the media bucket (S3Mock) before review; refused
 * media fails with its code; identical bytes already approved take that decision at once.
 */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class MediaEndToEndTest {
    static final String KEY = "alk_mediaE2eKey0123456789abcdefghijklmnopqrstuv";
    static final String ACCOUNT = "media-account";
    static final String SAMPLES = SampleOrigin.base();
    static final String BATCH_UPLOAD = "/kyyReactApiServer/asset/sd2Manxue/assetUpload";
    static final Duration PATIENCE = Duration.ofSeconds(90);

    static RunningStack stack;
    static StackClient client;
    static S3Client s3;
    static final Map<String, List<JsonNode>> completions = new ConcurrentHashMap<>();

    @BeforeAll
    static void startStack() throws Exception {
        stack = RunningStack.start(LocalStack.settings("--api-port=0", "--dynamodb-port=0", "--sqs-port=0", "--sfn-port=0",
                "--s3-port=0", "--data-dir=local/target/media-e2e-" + java.util.UUID.randomUUID(),
                // direct mode: the tests read each upload's own execution (review-{batchId}) from its history
                "--project-dir=..", "--in-memory", "--parameter", "ReviewStartMode=direct", "--time-scale=0.01",
                "--review-delay=10s", "--deadline=24h",
                "--dev-key", KEY + "=" + ACCOUNT), RunningStack.Hooks.NONE);
        client = new StackClient(stack, KEY);
        s3 = S3Client.builder().region(Region.US_EAST_1).endpointOverride(stack.mediaEndpoint()).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void stopStack() {
        if (s3 != null) {
            s3.close();
        }
        if (client != null) {
            client.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void uploadIsFetchedProbedAndStoredBeforeReviewAndItsDetailShowsTheMedia() {
        String url = SAMPLES + "media-e2e/portrait.jpg";
        String id = client.upload(url);
        assertThat(client.detail(id).path("status").asText()).isEqualTo("Processing");

        JsonNode detail = client.awaitTerminal(id, PATIENCE);
        assertThat(detail.path("status").asText()).isEqualTo("Active");
        assertThat(detail.path("url").asText()).isEqualTo(url);
        JsonNode media = detail.path("media");
        assertThat(media.path("format").asText()).isEqualTo("jpeg");
        assertThat(media.path("width").asInt()).isEqualTo(640);
        assertThat(media.path("height").asInt()).isEqualTo(640);
        assertThat(media.path("bytes").asLong()).isPositive();
        assertThat(media.path("sha256").asText()).matches("[0-9a-f]{64}");
        assertThat(media.has("storedKey")).isFalse();

        HeadObjectResponse stored = s3.headObject(r -> r.bucket(stack.mediaBucket()).key("media/" + ACCOUNT + "/" + id));
        assertThat(stored.contentLength()).isEqualTo(media.path("bytes").asLong());
        assertThat(s3.getObjectTagging(r -> r.bucket(stack.mediaBucket()).key("media/" + ACCOUNT + "/" + id)).tagSet())
                .anySatisfy(t -> assertThat(t.key() + "=" + t.value()).isEqualTo("sha256=" + media.path("sha256").asText()));

        List<JsonNode> messages = completionsOf(id);
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).path("media").path("sha256").asText()).isEqualTo(media.path("sha256").asText());

        JsonNode events = client.history(id);
        assertThat(events.findValuesAsText("change")).contains("media");
        assertThat(events.findValuesAsText("actor")).contains("media", "reviewer");
        assertThat(client.statesEntered(id, PATIENCE)).startsWith("InspectMedia", "SubmitToReviewer").contains("CheckReview")
                .endsWith("ReviewComplete");
    }

    @Test
    void aUrlThatAnswers404EndsFailedDownloadFailedWithOneCompletionAndNoReview() {
        String id = client.upload(SAMPLES + "status/404/gone.jpg");

        JsonNode detail = client.awaitTerminal(id, PATIENCE);
        assertThat(detail.path("status").asText()).isEqualTo("Failed");
        assertThat(detail.path("errorCode").asText()).isEqualTo("DOWNLOAD_FAILED");
        assertThat(detail.path("errorMessage").asText()).contains("HTTP 404");
        assertThat(completionsOf(id)).hasSize(1).allSatisfy(m -> assertThat(m.path("errorCode").asText()).isEqualTo("DOWNLOAD_FAILED"));
        assertThat(client.statesEntered(id, PATIENCE)).contains("InspectMedia").doesNotContain("CheckReview", "FailRemaining");
        assertThat(client.history(id).findValuesAsText("actor")).contains("media").doesNotContain("reviewer");
    }

    @Test
    void anUndersizedImageEndsFailedWithItsMeasuredSizeAndTheLimit() {
        String id = client.upload(SAMPLES + "small/thumb-240x180.jpg");

        JsonNode detail = client.awaitTerminal(id, PATIENCE);
        assertThat(detail.path("status").asText()).isEqualTo("Failed");
        assertThat(detail.path("errorCode").asText()).isEqualTo("IMAGE_DIMENSIONS");
        assertThat(detail.path("errorMessage").asText()).contains("240x180").contains("300 to 6000");
        assertThat(completionsOf(id)).hasSize(1);
    }

    @Test
    void aPngDeclaredAsVideoEndsFailedMediaTypeMismatch() {
        HttpResponse<String> response = client.send(client.request(StackClient.UPLOAD).header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"assetType\":\"Video\",\"url\":\"" + SAMPLES + "mismatch/still.png\"}")).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String id = StackClient.assetId(response);

        JsonNode detail = client.awaitTerminal(id, PATIENCE);
        assertThat(detail.path("errorCode").asText()).isEqualTo("MEDIA_TYPE_MISMATCH");
        assertThat(detail.path("errorMessage").asText()).contains("declared Video").contains("PNG");
        assertThat(completionsOf(id)).hasSize(1);
    }

    @Test
    void theMetadataAddressIsRefusedAtUploadWith40011() {
        HttpResponse<String> response = client.send(client.uploadRequest("http://169.254.169.254/latest/meta-data/"));
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode envelope = StackClient.json(response.body());
        assertThat(envelope.path("code").asInt()).isEqualTo(40011);
        assertThat(envelope.path("message").asText() + envelope.toString()).contains("url must be publicly reachable");
    }

    @Test
    void identicalBytesAreReviewedOnceTheSecondTakesTheFirstsApproval() {
        String url = SAMPLES + "twins/same.jpg";
        String first = client.upload(url);
        assertThat(client.awaitTerminal(first, PATIENCE).path("status").asText()).isEqualTo("Active");

        String second = client.upload(url);
        assertThat(second).isNotEqualTo(first);
        JsonNode detail = client.awaitTerminal(second, PATIENCE);
        assertThat(detail.path("status").asText()).isEqualTo("Active");
        assertThat(detail.path("media").path("sha256").asText())
                .isEqualTo(client.detail(first).path("media").path("sha256").asText());
        JsonNode events = client.history(second);
        assertThat(events.findValuesAsText("reason")).anySatisfy(r -> assertThat(r).contains(first));
        assertThat(events.findValuesAsText("actor")).doesNotContain("reviewer");
        assertThat(client.statesEntered(second, PATIENCE)).doesNotContain("CheckReview");
        assertThat(completionsOf(second)).hasSize(1);
    }

    @Test
    void aBatchWithOneBadItemFailsItAloneAndTheOthersPass() {
        HttpResponse<String> response = client.send(client.request(BATCH_UPLOAD).header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"imageUrls\":[\"" + SAMPLES + "batch/a.jpg\",\"" + SAMPLES + "status/404/b.jpg\",\""
                                + SAMPLES + "batch/c.png\"]}")).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> ids = StackClient.json(response.body()).path("data").path("items").findValuesAsText("assetId");
        assertThat(ids).hasSize(3);

        assertThat(client.awaitTerminal(ids.get(0), PATIENCE).path("status").asText()).isEqualTo("Active");
        assertThat(client.awaitTerminal(ids.get(1), PATIENCE).path("errorCode").asText()).isEqualTo("DOWNLOAD_FAILED");
        JsonNode third = client.awaitTerminal(ids.get(2), PATIENCE);
        assertThat(third.path("status").asText()).isEqualTo("Active");
        assertThat(third.path("media").path("format").asText()).isEqualTo("png");
        for (String id : ids) {
            assertThat(completionsOf(id)).as(id).hasSize(1);
        }
    }



    private static List<JsonNode> completionsOf(String assetId) {
        client.collectCompletions(completions, PATIENCE);
        return completions.getOrDefault(assetId, List.of());
    }


}
