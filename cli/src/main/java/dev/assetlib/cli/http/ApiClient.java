package dev.assetlib.cli.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The public HTTP API, envelope and all: {@code Authorization: Bearer}, JSON bodies, a success
 * only when the HTTP status is 2xx and the envelope's {@code code} is 0 (an integer or a string,
 * as the route types it), retries of 429/503, and errors that name what failed.
 */
public final class ApiClient {
    public static final String BASE_PATH = "/kyyReactApiServer";
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
    static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final String key;
    private final HttpClient http;
    private final RetryPolicy retries;
    private final Sleeper sleeper;
    private final Clock clock;
    private final PrintStream notes;

    /** {@code notes}: where retries are announced (stderr), or null to stay silent. */
    public ApiClient(URI endpoint, String key, HttpClient http, RetryPolicy retries, Sleeper sleeper, Clock clock, PrintStream notes) {
        this.endpoint = endpoint;
        this.key = key;
        this.http = http;
        this.retries = retries;
        this.sleeper = sleeper;
        this.clock = clock;
        this.notes = notes;
    }

    public static HttpClient defaultHttpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public URI endpoint() {
        return endpoint;
    }

    public HttpClient http() {
        return http;
    }

    public ApiResponse get(String path) {
        return call("GET", path, null, Map.of());
    }

    public ApiResponse post(String path, JsonNode body, Map<String, String> headers) {
        return call("POST", path, body, headers);
    }

    public ApiResponse patch(String path, JsonNode body) {
        return call("PATCH", path, body, Map.of());
    }

    public ApiResponse delete(String path) {
        return call("DELETE", path, null, Map.of());
    }

    /** One API call (path below the base path), retried on 429/503. */
    public ApiResponse call(String method, String path, JsonNode body, Map<String, String> headers) {
        String what = method + " " + BASE_PATH + path;
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(endpoint + BASE_PATH + path)).timeout(CALL_TIMEOUT)
                .header("Authorization", "Bearer " + key).header("Accept", "application/json")
                .header("User-Agent", "assetlib-cli/0.1.0");
        headers.forEach(builder::header);
        if (body != null) {
            builder.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        } else {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpRequest request = builder.build();
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response = send(request);
            int status = response.statusCode();
            if (retries.retryable(status) && attempt < retries.maxAttempts()) {
                Duration wait = retries.delay(attempt, response.headers(), clock.instant());
                if (notes != null) {
                    notes.printf("assetlib: HTTP %d from %s, retrying in %.1f s (attempt %d of %d)%n",
                            status, what, wait.toMillis() / 1000.0, attempt + 1, retries.maxAttempts());
                }
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new UnreachableException(endpoint.toString(), "interrupted while waiting to retry", e);
                }
                continue;
            }
            return answer(what, response);
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw unreachable(endpoint.toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException(endpoint.toString(), "interrupted", e);
        }
    }

    /** What went wrong with the connection, in a few words. */
    public static UnreachableException unreachable(String endpoint, IOException e) {
        String what;
        if (e instanceof HttpConnectTimeoutException) {
            what = "connection timed out";
        } else if (e instanceof HttpTimeoutException) {
            what = "no answer within " + CALL_TIMEOUT.toSeconds() + " s";
        } else if (e instanceof ConnectException || e.getCause() instanceof ConnectException) {
            what = "connection refused";
        } else if (e instanceof UnknownHostException || e.getCause() instanceof UnresolvedAddressException) {
            what = "unknown host";
        } else {
            what = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        return new UnreachableException(endpoint, what, e);
    }

    private static ApiResponse answer(String what, HttpResponse<String> response) {
        int status = response.statusCode();
        JsonNode envelope = parse(response.body());
        JsonNode code = envelope == null ? null : envelope.get("code");
        boolean zero = code != null && (code.isIntegralNumber() && code.asLong() == 0 || code.isTextual() && code.asText().equals("0"));
        if (status / 100 == 2 && zero) {
            return new ApiResponse(status, envelope.path("data"), response.headers());
        }
        String msg;
        if (envelope != null && envelope.hasNonNull("msg")) {
            msg = envelope.get("msg").asText();
        } else if (envelope != null && envelope.hasNonNull("message")) {
            msg = envelope.get("message").asText(); // API Gateway's own answers, e.g. no Authorization header
        } else {
            String body = response.body() == null ? "" : response.body().strip();
            msg = body.isEmpty() ? "(no message)" : body.length() > 300 ? body.substring(0, 300) + "..." : body;
        }
        throw new ServiceException(status, code == null || code.isNull() ? null : code.asText(), msg, what);
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }
}
