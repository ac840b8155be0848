package dev.assetlib.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.testing.rekognition.ScriptedRekognition;
import dev.assetlib.testing.rekognition.ScriptedRekognition.Face;
import dev.assetlib.testing.rekognition.ScriptedRekognition.ImageScript;
import dev.assetlib.testing.rekognition.ScriptedRekognition.Label;
import dev.assetlib.testing.rekognition.ScriptedRekognition.VideoScript;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The rekognition reviewer on the whole local stack ({@code --reviewer rekognition
 * --rekognition-endpoint}) against {@link ScriptedRekognition}, the named fake of Rekognition's JSON
 * protocol (there is no local Rekognition). A batch mixing the cases, videos and an audio asset go
 * through the media step, Rekognition and the policy; what the policy cannot decide is decided by
 * a person over HTTP. Each ends with its status, reason, findings and exactly one completion.
 */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class RekognitionEndToEndTest {
    static final String KEY = "alk_rekognitionE2eKey0123456789abcdefghijklmnop";
    static final String REVIEWER_KEY = "alk_rekognitionE2eReviewer0123456789abcdefghijk";
    static final String ACCOUNT = "rek-studio";
    static final String SAMPLES = dev.assetlib.local.api.SampleOrigin.base();
    static final String BATCH_UPLOAD = "/kyyReactApiServer/asset/sd2Manxue/assetUpload";
    static final Duration PATIENCE = Duration.ofSeconds(120);

    static ScriptedRekognition rekognition;
    static RunningStack stack;
    static StackClient client;
    static final Map<String, List<JsonNode>> completions = new ConcurrentHashMap<>();

    /** What each sample shows, by a word of its URL. */
    static ImageScript imageFor(String url) {
        if (url.contains("explicit")) {
            return new ImageScript(List.of(Label.top("Explicit Nudity", 97.1), Label.child("Nudity", "Explicit Nudity", 2, 97.1)),
                    List.of(), null, null);
        }
        if (url.contains("crowd")) {
            return new ImageScript(List.of(), List.of(Face.of(99, 0, 0, .2, .2), Face.of(98, .3, 0, .2, .2),
                    Face.of(97, .6, 0, .2, .2)), null, null);
        }
        if (url.contains("doubtful")) {
            return new ImageScript(List.of(Label.top("Violence", 71.3)), List.of(Face.of(99, .25, .1, .5, .4)), null, null);
        }
        if (url.contains("throttled")) {
            return new ImageScript(List.of(), List.of(Face.of(99.9, .3, .2, .4, .5)), null, null, 4);
        }
        if (url.contains("broken")) {
            return new ImageScript(List.of(), List.of(), "InvalidImageFormatException", "Request has invalid image format");
        }
        return new ImageScript(List.of(Label.top("Alcohol", 62)), List.of(Face.of(99.5, .25, .1, .5, .4)), null, null);
    }

    static VideoScript videoFor(String url) {
        if (url.contains("corrupt")) {
            return new VideoScript(List.of(), List.of(), 1, 10, "Video file is corrupted");
        }
        List<Label> labels = new ArrayList<>();
        List<Face> faces = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            labels.add(Label.top("Alcohol", 55 + i).at(i * 500L));
            faces.add(Face.of(99, .4, .2, .2, .3).at(i * 500L));
        }
        return new VideoScript(labels, faces, 2, 2, null);
    }

    @BeforeAll
    static void startStack() throws Exception {
        rekognition = new ScriptedRekognition();
        stack = RunningStack.start(LocalStack.settings("--api-port=0", "--dynamodb-port=0", "--sqs-port=0", "--sfn-port=0",
                "--s3-port=0", "--data-dir=local/target/rekognition-e2e-" + java.util.UUID.randomUUID(),
                "--project-dir=..", "--in-memory", "--parameter", "ReviewStartMode=direct", "--time-scale=0.01",
                "--deadline=24h", "--reviewer", "rekognition", "--rekognition-endpoint", rekognition.endpoint().toString(),
                "--dev-key", KEY + "=" + ACCOUNT, "--reviewer-key", REVIEWER_KEY + "=" + ACCOUNT), RunningStack.Hooks.NONE);
        client = new StackClient(stack, KEY);
        // The stand-in learns what an object shows from the asset it is the copy of (media/{account}/{assetId}).
        rekognition.resolveWith(name -> imageFor(urlOf(name)), name -> videoFor(urlOf(name)));
    }

    static String urlOf(String s3Name) {
        String assetId = s3Name.substring(s3Name.lastIndexOf('/') + 1).replace(".review.jpg", "");
        return client.detail(assetId).path("url").asText();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (stack != null) {
            stack.close();
        }
        if (rekognition != null) {
            rekognition.close();
        }
    }

    private static String upload(String type, String url) {
        HttpResponse<String> response = client.send(client.request(StackClient.UPLOAD).header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"assetType\":\"" + type + "\",\"url\":\"" + url + "\"}")).build());
        return StackClient.assetId(response);
    }

    private static List<String> pending() {
        HttpResponse<String> r = client.send(client.request("/kyyReactApiServer/review/pending?limit=100")
                .header("Authorization", "Bearer " + REVIEWER_KEY).GET().build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return StackClient.json(r.body()).path("data").path("items").findValuesAsText("assetId");
    }

    private static JsonNode pendingItem(String id) {
        HttpResponse<String> r = client.send(client.request("/kyyReactApiServer/review/pending?limit=100")
                .header("Authorization", "Bearer " + REVIEWER_KEY).GET().build());
        for (JsonNode item : StackClient.json(r.body()).path("data").path("items")) {
            if (item.path("assetId").asText().equals(id)) {
                return item;
            }
        }
        throw new AssertionError(id + " is not pending");
    }

    private static void decide(String id, String body) {
        HttpResponse<String> r = client.send(client.request("/kyyReactApiServer/review/" + id)
                .header("Authorization", "Bearer " + REVIEWER_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static JsonNode history(String id) {
        HttpResponse<String> r = client.send(client.request(StackClient.DETAIL + id + "/history")
                .header("Authorization", "Bearer " + KEY).GET().build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return StackClient.json(r.body()).path("data").path("events");
    }

    private static List<JsonNode> completionsOf(String id) {
        for (Message m : client.drain(stack.queueUrls().get("CompletionQueue"))) {
            JsonNode body = StackClient.json(m.body());
            completions.computeIfAbsent(body.path("assetId").asText(), k -> new CopyOnWriteArrayList<>()).add(body);
        }
        return completions.getOrDefault(id, List.of());
    }

    @Test
    void aMixedBatchVideosAndAudioEachEndRightWithFindingsAndOneCompletion() throws Exception {
        List<String> urls = List.of(SAMPLES + "rek/plain.jpg", SAMPLES + "rek/explicit.jpg", SAMPLES + "rek/crowd.png",
                SAMPLES + "rek/doubtful.jpg", SAMPLES + "rek/throttled.jpg", SAMPLES + "rek/broken.jpg",
                SAMPLES + "rek/still.webp");
        StringBuilder body = new StringBuilder("{\"imageUrls\":[");
        for (int i = 0; i < urls.size(); i++) {
            body.append(i == 0 ? "" : ",").append('"').append(urls.get(i)).append('"');
        }
        HttpResponse<String> response = client.send(client.request(BATCH_UPLOAD).header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body + "]}")).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> batch = StackClient.json(response.body()).path("data").path("items").findValuesAsText("assetId");
        assertThat(batch).hasSize(7);
        Map<String, String> id = new LinkedHashMap<>();
        String[] names = {"plain", "explicit", "crowd", "doubtful", "throttled", "broken", "webp"};
        for (int i = 0; i < names.length; i++) {
            id.put(names[i], batch.get(i));
        }
        id.put("video", upload("Video", SAMPLES + "rek/clip.mp4"));
        id.put("corrupt", upload("Video", SAMPLES + "rek/corrupt.mp4"));
        id.put("audio", upload("Audio", SAMPLES + "rek/voice.wav"));

        // What the policy cannot decide reaches people, with the findings the console shows.
        StackClient.await(PATIENCE, () -> pending().containsAll(List.of(id.get("doubtful"), id.get("audio"))),
                () -> "not in the human queue: " + pending());
        JsonNode doubtful = pendingItem(id.get("doubtful"));
        assertThat(doubtful.at("/findings/decision").asText()).isEqualTo("person");
        assertThat(doubtful.at("/findings/rule").asText()).startsWith("Violence 71.3 % (rejects at 80 %");
        assertThat(doubtful.at("/findings/faces/0/boundingBox/left").asDouble()).isEqualTo(0.25);
        assertThat(doubtful.at("/findings/labels/0/confidence").asDouble()).isEqualTo(71.3);
        assertThat(pendingItem(id.get("audio")).at("/findings/rule").asText()).contains("no automated check exists");
        decide(id.get("doubtful"), "{\"decision\":\"approve\",\"reason\":\"staged scene, actors with releases\"}");
        decide(id.get("audio"), "{\"decision\":\"reject\",\"reason\":\"voice of a real person without consent\"}");

        Map<String, JsonNode> end = new LinkedHashMap<>();
        id.forEach((name, assetId) -> end.put(name, client.awaitTerminal(assetId, PATIENCE)));

        assertThat(end.get("plain").path("status").asText()).isEqualTo("Active");
        assertThat(end.get("plain").at("/findings/decision").asText()).isEqualTo("approve");
        assertThat(end.get("explicit").path("errorMessage").asText())
                .isEqualTo("REVIEW_REJECTED: Explicit Nudity 97.1 % (rejects at 80 %)");
        assertThat(end.get("crowd").path("errorMessage").asText()).isEqualTo("REVIEW_REJECTED: 3 faces found; at most 1 allowed");
        assertThat(end.get("crowd").at("/findings/faces")).hasSize(3);
        assertThat(end.get("doubtful").path("status").asText()).isEqualTo("Active");
        assertThat(end.get("throttled").path("status").asText()).as("throttling only delays").isEqualTo("Active");
        assertThat(end.get("broken").path("errorCode").asText()).isEqualTo("MEDIA_UNREADABLE");
        assertThat(end.get("broken").path("errorMessage").asText()).contains("InvalidImageFormatException");
        assertThat(end.get("webp").path("status").asText()).isEqualTo("Active");
        assertThat(end.get("video").path("status").asText()).isEqualTo("Active");
        assertThat(end.get("video").at("/findings/labels/0/timestampMs").asLong()).isEqualTo(2500L);
        assertThat(end.get("corrupt").path("errorMessage").asText())
                .isEqualTo("REVIEW_ERROR: Rekognition's content moderation job failed: Video file is corrupted");
        assertThat(end.get("audio").path("errorMessage").asText()).isEqualTo("voice of a real person without consent");

        // Each stage in the history with its actor: rekognition's findings, then the person's decision.
        JsonNode events = history(id.get("doubtful"));
        assertThat(events.findValuesAsText("actor")).contains("media", "rekognition")
                .anySatisfy(a -> assertThat(a).startsWith("reviewer:key-").endsWith("@" + ACCOUNT));
        assertThat(history(id.get("explicit")).findValuesAsText("actor")).endsWith("rekognition", "rekognition");

        // Rekognition read the stored copies in the media bucket, never bytes; one video job pair each.
        assertThat(rekognition.of("DetectModerationLabels")).allSatisfy(r -> {
            assertThat(r.s3Bucket()).isEqualTo(stack.mediaBucket());
            assertThat(r.s3Name()).startsWith("media/" + ACCOUNT + "/");
        });
        // the WebP was reviewed through the JPEG rendition the media step stored beside its copy
        assertThat(rekognition.of("DetectFaces")).extracting(ScriptedRekognition.Request::s3Name)
                .contains("media/" + ACCOUNT + "/" + id.get("webp") + ".review.jpg")
                .doesNotContain("media/" + ACCOUNT + "/" + id.get("webp"));
        assertThat(rekognition.of("StartContentModeration")).extracting(ScriptedRekognition.Request::s3Name)
                .containsOnly("media/" + ACCOUNT + "/" + id.get("video"), "media/" + ACCOUNT + "/" + id.get("corrupt"));
        assertThat(rekognition.of("GetContentModeration")).anySatisfy(r -> assertThat(r.body().has("NextToken")).isTrue());

        assertThat(stack.stepFunctions().awaitIdle(PATIENCE)).isTrue();
        id.forEach((name, assetId) -> assertThat(completionsOf(assetId)).as(name).hasSize(1));
        // the findings travel wherever the media facts do: the completion, and the SD2 status items
        assertThat(completionsOf(id.get("crowd")).get(0).at("/findings/faces")).hasSize(3);
        var status = client.send(client.request("/kyyReactApiServer/asset/sd2Manxue/assetStatus")
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"assetIds\":[\"" + id.get("crowd") + "\",\""
                        + id.get("plain") + "\"]}")).build());
        assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
        JsonNode items = StackClient.json(status.body()).at("/data/items");
        assertThat(items.get(0).at("/findings/faces")).hasSize(3);
        assertThat(items.get(1).at("/findings/decision").asText()).isEqualTo("approve");
    }
}
