package dev.assetlib.review.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.json.JsonCodec;
import dev.assetlib.review.ReviewerUnavailableException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * HTTP to an upstream asset library that speaks the public API (java.net.http, Jackson), and the
 * classification of every way a call can fail:
 * <ul>
 *   <li>429, 5xx, time-outs, connection errors, redirects, malformed JSON or a missing/unreadable
 *       {@code code} → {@link ReviewerUnavailableException}: transient, asked again later;</li>
 *   <li>401/403 → the key is re-read and the call counts as unavailable (it is our configuration,
 *       not the asset, that is wrong; logged SEVERE);</li>
 *   <li>any other 4xx, or a non-zero {@code code} in a 2xx answer that is not a throttle (429xx) or
 *       fault (5xxxx) → {@link UpstreamRefusedException} with the upstream's {@code msg}.</li>
 * </ul>
 * {@code code} is read whether it is an integer ({@code 0}) or a string ({@code "0"}), as the public
 * API types it per endpoint.
 */
public final class UpstreamClient {
    private static final Logger LOG = Logger.getLogger(UpstreamClient.class.getName());
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final String base;
    private final UpstreamApiKey key;
    private final HttpClient http;
    private final Duration requestTimeout;

    private static final String API_PREFIX = "/kyyReactApiServer";

    /** {@code baseUrl}: scheme, host and port (and any prefix) before {@code /kyyReactApiServer}, or with it. */
    public UpstreamClient(URI baseUrl, UpstreamApiKey key, Duration connectTimeout, Duration requestTimeout) {
        String text = baseUrl.toString();
        text = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        // Both forms work: the origin, and the base path clients use (.../kyyReactApiServer).
        this.base = text.endsWith(API_PREFIX) ? text.substring(0, text.length() - API_PREFIX.length()) : text;
        this.key = key;
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** POSTs a JSON body; the envelope's {@code data} on success. */
    public JsonNode post(String path, JsonNode body, String idempotencyKey) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (idempotencyKey != null) {
            b.header(IDEMPOTENCY_KEY, idempotencyKey);
        }
        return send(b, "POST " + path);
    }

    public JsonNode get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), "GET " + path);
    }

    private JsonNode send(HttpRequest.Builder builder, String what) {
        HttpRequest request = builder.header("Authorization", "Bearer " + key.get())
                .header("Accept", "application/json").timeout(requestTimeout).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new ReviewerUnavailableException("upstream did not answer " + what + " within " + requestTimeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new ReviewerUnavailableException("upstream unreachable on " + what + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReviewerUnavailableException("interrupted while calling the upstream on " + what, e);
        }
        int status = response.statusCode();
        String body = response.body() == null ? "" : response.body();
        if (status == 429 || status >= 500) {
            throw new ReviewerUnavailableException("upstream answered HTTP " + status + " on " + what + ": " + message(body), null);
        }
        if (status == 401 || status == 403) {
            LOG.severe("upstream refused our API key (HTTP " + status + ") on " + what
                    + ": check the secret that UPSTREAM_API_KEY_SECRET names; reading it again");
            key.refresh();
            throw new ReviewerUnavailableException("upstream refused our API key (HTTP " + status + ") on " + what, null);
        }
        if (status >= 300 && status < 400) {
            LOG.severe("upstream redirected " + what + " (HTTP " + status + "): check UPSTREAM_BASE_URL");
            throw new ReviewerUnavailableException("upstream redirected " + what + " (HTTP " + status + ")", null);
        }
        if (status >= 400) {
            throw new UpstreamRefusedException(status, message(body));
        }
        JsonNode root;
        try {
            root = JsonCodec.parse(body);
        } catch (IOException e) {
            throw new ReviewerUnavailableException("upstream answered malformed JSON on " + what + ": " + snippet(body), e);
        }
        if (root == null || !root.isObject()) {
            throw new ReviewerUnavailableException("upstream answered no JSON object on " + what + ": " + snippet(body), null);
        }
        Long code = code(root.get("code"));
        if (code == null) {
            throw new ReviewerUnavailableException("upstream answered without a readable code on " + what + ": " + snippet(body), null);
        }
        if (code != 0) {
            if (code / 100 == 429 || code >= 50000) {
                throw new ReviewerUnavailableException("upstream answered code " + code + " on " + what + ": " + message(body), null);
            }
            throw new UpstreamRefusedException(status, message(body));
        }
        JsonNode data = root.get("data");
        if (data == null || !data.isObject()) {
            throw new ReviewerUnavailableException("upstream answered code 0 without a data object on " + what, null);
        }
        return data;
    }

    /** {@code 0} and {@code "0"} alike; null when absent or not a number. */
    static Long code(JsonNode code) {
        if (code == null) {
            return null;
        }
        if (code.isIntegralNumber()) {
            return code.asLong();
        }
        if (code.isTextual()) {
            try {
                return Long.parseLong(code.asText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** The envelope's {@code msg} when the body has one, else the start of the body. */
    private static String message(String body) {
        try {
            JsonNode root = JsonCodec.parse(body);
            if (root != null && root.hasNonNull("msg") && !root.get("msg").asText().isBlank()) {
                return snippet(root.get("msg").asText());
            }
        } catch (IOException notJson) {
            // fall through to the raw text
        }
        return body.isBlank() ? "(no message)" : snippet(body);
    }

    private static String snippet(String text) {
        String flat = text.replaceAll("\\s+", " ").trim();
        return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
    }

    @Override
    public String toString() {
        return "UpstreamClient(" + base + ")";
    }
}
