package dev.assetlib.local.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The public API as the tests' uploaders and checks use it: plain HTTP with a key. */
public final class ConsoleApi {
    static final ObjectMapper JSON = new ObjectMapper();
    private final URI endpoint;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    public ConsoleApi(URI endpoint) {
        this.endpoint = endpoint;
    }

    public JsonNode call(String method, String path, String key, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint + "/kyyReactApiServer" + path))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + key);
            if (body != null) {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = JSON.readTree(response.body());
            ((com.fasterxml.jackson.databind.node.ObjectNode) json).put("httpStatus", response.statusCode());
            return json;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Uploads an image by URL with a name; returns the asset id. */
    public String uploadImage(String uploaderKey, String url, String name) {
        JsonNode r = call("POST", "/kyyVideo2/asset/upload", uploaderKey,
                java.util.Map.of("assetType", "Image", "url", url, "name", name));
        if (r.path("httpStatus").asInt() != 200 || !r.path("data").hasNonNull("assetId")) {
            throw new IllegalStateException("upload refused: " + r);
        }
        return r.path("data").path("assetId").asText();
    }

    public List<String> pendingIds(String reviewerKey) {
        List<String> ids = new ArrayList<>();
        String token = null;
        do {
            JsonNode r = call("GET", "/review/pending?limit=100" + (token == null ? "" : "&nextToken="
                    + java.net.URLEncoder.encode(token, java.nio.charset.StandardCharsets.UTF_8)), reviewerKey, null);
            r.path("data").path("items").forEach(i -> ids.add(i.path("assetId").asText()));
            token = r.path("data").hasNonNull("nextToken") ? r.path("data").path("nextToken").asText() : null;
        } while (token != null);
        return ids;
    }

    public JsonNode detail(String key, String assetId) {
        return call("GET", "/kyyVideo2/asset/" + assetId, key, null).path("data");
    }

    public JsonNode history(String key, String assetId) {
        return call("GET", "/kyyVideo2/asset/" + assetId + "/history", key, null).path("data").path("events");
    }

    /** Waits until every id is in the reviewer's queue (the review hands them over a moment after upload). */
    public void awaitPending(String reviewerKey, List<String> ids, Duration patience) {
        await(patience, () -> pendingIds(reviewerKey).containsAll(ids), () -> "not all of " + ids + " reached the review queue");
    }

    /** Waits for a terminal status and returns the detail. */
    public JsonNode awaitTerminal(String key, String assetId, Duration patience) {
        JsonNode[] last = new JsonNode[1];
        await(patience, () -> {
            last[0] = detail(key, assetId);
            String s = last[0].path("status").asText();
            return s.equals("Active") || s.equals("Failed");
        }, () -> assetId + " never ended: " + last[0]);
        return last[0];
    }

    public static void await(Duration patience, java.util.function.BooleanSupplier done, Supplier<String> what) {
        Instant end = Instant.now().plus(patience);
        while (!done.getAsBoolean()) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError(what.get());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
