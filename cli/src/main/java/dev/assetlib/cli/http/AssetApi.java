package dev.assetlib.cli.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The service's routes, one method each (README "API"; docs/cli.md maps commands to routes). */
public final class AssetApi {
    public static final String SEEDANCE_UPLOAD = "/kyyVideo2/asset/upload";
    public static final String SD2_UPLOAD = "/asset/sd2Manxue/assetUpload";
    public static final String SD2_STATUS = "/asset/sd2Manxue/assetStatus";
    public static final String UPLOAD_URL = "/kyyVideo2/asset/uploadUrl";
    public static final String ASSET = "/kyyVideo2/asset/";
    public static final String LIST = "/kyyVideo2/assets";
    public static final String RESOLVE = "/kyyVideo2/asset/resolve";
    public static final String REVIEW_PENDING = "/review/pending";
    public static final String REVIEW = "/review/";
    public static final String USAGE = "/kyyVideo2/usage";
    public static final String WEBHOOKS = "/kyyVideo2/webhooks";
    /** The most ids the batch status route takes at once. */
    public static final int STATUS_BATCH = 100;

    private final ApiClient client;

    public AssetApi(ApiClient client) {
        this.client = client;
    }

    public ApiClient client() {
        return client;
    }

    static ObjectNode object() {
        return ApiClient.JSON.createObjectNode();
    }

    private static Map<String, String> idempotency(String key) {
        return key == null ? Map.of() : Map.of("Idempotency-Key", key);
    }

    public ApiResponse uploadSingle(ObjectNode body, String idempotencyKey) {
        return client.post(SEEDANCE_UPLOAD, body, idempotency(idempotencyKey));
    }

    public ApiResponse uploadBatch(ObjectNode body, String idempotencyKey) {
        return client.post(SD2_UPLOAD, body, idempotency(idempotencyKey));
    }

    public ApiResponse uploadUrl(String assetType, String name, String contentType) {
        ObjectNode body = object().put("assetType", assetType).put("contentType", contentType);
        if (name != null) {
            body.put("name", name);
        }
        return client.post(UPLOAD_URL, body, Map.of());
    }

    public JsonNode detail(String assetId) {
        return client.get(ASSET + enc(assetId)).data();
    }

    /** The batch status route: {@code items} and {@code failedItems} (unknown ids). */
    public JsonNode status(List<String> assetIds) {
        ObjectNode body = object();
        ArrayNode ids = body.putArray("assetIds");
        assetIds.forEach(ids::add);
        return client.post(SD2_STATUS, body, Map.of()).data();
    }

    public JsonNode list(Map<String, String> query) {
        return client.get(LIST + query(query)).data();
    }

    public JsonNode history(String assetId) {
        return client.get(ASSET + enc(assetId) + "/history").data();
    }

    public JsonNode rename(String assetId, String name) {
        ObjectNode body = object();
        if (name == null) {
            body.putNull("name");
        } else {
            body.put("name", name);
        }
        return client.patch(ASSET + enc(assetId), body).data();
    }

    public void delete(String assetId) {
        client.delete(ASSET + enc(assetId));
    }

    public JsonNode resolve(JsonNode request) {
        return client.post(RESOLVE, request, Map.of()).data();
    }

    public JsonNode reviewPending(Map<String, String> query) {
        return client.get(REVIEW_PENDING + query(query)).data();
    }

    public JsonNode decide(String assetId, String decision, String reason) {
        ObjectNode body = object().put("decision", decision);
        if (reason != null) {
            body.put("reason", reason);
        }
        return client.post(REVIEW + enc(assetId), body, Map.of()).data();
    }

    /** The account's limits and current usage (docs/quotas.md). */
    public JsonNode usage() {
        return client.get(USAGE).data();
    }

    /** The account's webhook endpoints ({@code items}; never their secrets). */
    public JsonNode webhooks() {
        return client.get(WEBHOOKS).data();
    }

    /** Registers an endpoint; the answer holds its secret, which the service shows only here. */
    public JsonNode addWebhook(String url, List<String> events) {
        ObjectNode body = object().put("url", url);
        if (events != null && !events.isEmpty()) {
            ArrayNode e = body.putArray("events");
            events.forEach(e::add);
        }
        return client.post(WEBHOOKS, body, Map.of()).data();
    }

    public void deleteWebhook(String webhookId) {
        client.delete(WEBHOOKS + "/" + enc(webhookId));
    }

    /** A new secret (shown only here); the old one keeps signing beside it for 24 h. */
    public JsonNode rotateWebhookSecret(String webhookId) {
        return client.post(WEBHOOKS + "/" + enc(webhookId) + "/rotate", object(), Map.of()).data();
    }

    public JsonNode testWebhook(String webhookId) {
        return client.post(WEBHOOKS + "/" + enc(webhookId) + "/test", object(), Map.of()).data();
    }

    /** The endpoint's last 100 deliveries, newest first ({@code items}, each with its attempts). */
    public JsonNode webhookDeliveries(String webhookId) {
        return client.get(WEBHOOKS + "/" + enc(webhookId) + "/deliveries").data();
    }

    public JsonNode retryWebhookDelivery(String webhookId, String deliveryId) {
        return client.post(WEBHOOKS + "/" + enc(webhookId) + "/deliveries/" + enc(deliveryId) + "/retry", object(), Map.of()).data();
    }

    static String query(Map<String, String> params) {
        StringBuilder q = new StringBuilder();
        new LinkedHashMap<>(params).forEach((k, v) -> {
            if (v != null) {
                q.append(q.length() == 0 ? '?' : '&').append(enc(k)).append('=').append(enc(v));
            }
        });
        return q.toString();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
