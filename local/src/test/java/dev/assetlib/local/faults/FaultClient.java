package dev.assetlib.local.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A well-behaved client of the API under faults, as the docs tell clients to be: every upload
 * carries an Idempotency-Key and is retried with it after a 503 (after its Retry-After, shortened
 * for the test's scaled clock) or a lost connection. It records every answer (for the "no 5xx but
 * 503 with Retry-After" part of the invariant), the ids it was given, and the markers of input
 * that was refused (nothing with them may be written).
 */
public final class FaultClient {
    static final String SINGLE = "/kyyReactApiServer/kyyVideo2/asset/upload";
    static final String BATCH = "/kyyReactApiServer/asset/sd2Manxue/assetUpload";
    static final ObjectMapper JSON = new ObjectMapper();

    /** One answer the API gave. */
    public record Answered(String route, int status, String retryAfter, String body) {
        boolean allowed() {
            return status < 500 || (status == 503 && retryAfter != null && !retryAfter.isBlank());
        }
    }

    private final URI api;
    private final String key;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final List<Answered> answers = new CopyOnWriteArrayList<>();
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final Set<String> refusedMarkers = ConcurrentHashMap.newKeySet();
    private final int maxAttempts;

    public FaultClient(URI api, String key) {
        this(api, key, 40);
    }

    public FaultClient(URI api, String key, int maxAttempts) {
        this.api = api;
        this.key = key;
        this.maxAttempts = maxAttempts;
    }

    /** A single upload; returns its asset id, or null if every attempt was answered 503 / failed to connect. */
    public String upload(String url, String name) {
        JsonNode data = post(SINGLE, "{\"assetType\":\"Image\",\"url\":\"" + url + "\",\"name\":\"" + name + "\"}");
        if (data == null) {
            return null;
        }
        String id = data.path("assetId").asText();
        accepted.add(id);
        return id;
    }

    /** An SD2 batch of images; returns the ids of its accepted items. */
    public List<String> batch(List<String> urls) {
        StringBuilder body = new StringBuilder("{\"imageUrls\":[");
        for (int i = 0; i < urls.size(); i++) {
            body.append(i == 0 ? "\"" : ",\"").append(urls.get(i)).append('"');
        }
        JsonNode data = post(BATCH, body.append("]}").toString());
        List<String> ids = new ArrayList<>();
        if (data != null) {
            data.path("items").forEach(item -> ids.add(item.path("assetId").asText()));
            accepted.addAll(ids);
        }
        return ids;
    }

    /** A direct upload: asks for an upload URL, then PUTs {@code png} to it with the headers it names; returns the asset id. */
    public String directUpload(byte[] png, String name) {
        JsonNode data = post("/kyyReactApiServer/kyyVideo2/asset/uploadUrl",
                "{\"assetType\":\"Image\",\"name\":\"" + name + "\",\"contentType\":\"image/png\"}");
        if (data == null) {
            return null;
        }
        String id = data.path("assetId").asText();
        accepted.add(id);
        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(data.path("uploadUrl").asText())).timeout(Duration.ofSeconds(60))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(png));
        data.path("headers").fields().forEachRemaining(h -> put.header(h.getKey(), h.getValue().asText()));
        try {
            HttpResponse<String> r = http.send(put.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new AssertionError("PUT to the upload URL answered " + r.statusCode() + ": " + r.body());
            }
        } catch (IOException e) {
            throw new AssertionError("PUT to the upload URL failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
        return id;
    }

    /** Input the API must refuse with a 4xx; {@code marker} is a string of it that nothing stored may contain. */
    public int refused(String route, String body, String marker) {
        refusedMarkers.add(marker);
        HttpResponse<String> r = send(route, body, UUID.randomUUID().toString());
        return r == null ? -1 : r.statusCode();
    }

    private JsonNode post(String route, String body) {
        String idempotencyKey = UUID.randomUUID().toString();
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            HttpResponse<String> r = send(route, body, idempotencyKey);
            if (r != null && r.statusCode() == 200) {
                return json(r.body()).path("data");
            }
            if (r != null && r.statusCode() != 503 && r.statusCode() != 429 && r.statusCode() != 409) {
                throw new AssertionError("upload answered " + r.statusCode() + ": " + r.body());
            }
            pause(r);
        }
        return null;
    }

    private static void pause(HttpResponse<String> r) {
        long seconds = r == null ? 1 : r.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L);
        try {
            Thread.sleep(Math.min(1000, seconds * 250)); // the stack runs on a scaled clock
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    private HttpResponse<String> send(String route, String body, String idempotencyKey) {
        HttpRequest request = HttpRequest.newBuilder(api.resolve(route)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            answers.add(new Answered(route, r.statusCode(), r.headers().firstValue("Retry-After").orElse(null), r.body()));
            return r;
        } catch (IOException e) {
            return null; // a lost connection: the caller retries with the same key
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    public List<Answered> answers() {
        return List.copyOf(answers);
    }

    public Set<String> accepted() {
        return Set.copyOf(accepted);
    }

    public Set<String> refusedMarkers() {
        return Set.copyOf(refusedMarkers);
    }
}
