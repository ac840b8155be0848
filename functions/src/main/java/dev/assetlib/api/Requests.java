package dev.assetlib.api;

import dev.assetlib.app.JsonBodies;
import dev.assetlib.domain.DomainException;
import dev.assetlib.domain.ErrorCode;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.json.JsonCodec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** Reading an HttpApi (payload 2.0) request: the caller's account and a bounded JSON body. */
public final class Requests {
    public static final int MAX_BODY_BYTES = JsonBodies.MAX_BODY_BYTES;

    private Requests() {
    }

    /**
     * The account the authorizer resolved. Every route calls this first: the authorizer lets
     * invalid keys through marked with {@code authError} so that the answer is our 401 envelope.
     */
    public static String accountId(APIGatewayV2HTTPEvent event) {
        Map<String, Object> context = null;
        if (event.getRequestContext() != null && event.getRequestContext().getAuthorizer() != null) {
            context = event.getRequestContext().getAuthorizer().getLambda();
        }
        Object account = context == null ? null : context.get("accountId");
        if (!(account instanceof String id) || id.isBlank()) {
            throw new DomainException(ErrorCode.UNAUTHORIZED,
                    "missing, malformed or revoked API key: send the header Authorization: Bearer <your API key>");
        }
        return id;
    }

    /** Roles of API keys: {@code uploader} (the default) uploads and reads; {@code reviewer} reviews and reads. */
    public static final String UPLOADER = "uploader";
    public static final String REVIEWER = "reviewer";

    /** Who calls: the account, the key's role, and the key's id (who decided: never a part of the key). */
    public record Caller(String accountId, String role, String keyId) {
    }

    /** The caller as the authorizer resolved it; 401 like {@link #accountId} when the key was not valid. */
    public static Caller caller(APIGatewayV2HTTPEvent event) {
        String account = accountId(event);
        Map<String, Object> context = event.getRequestContext().getAuthorizer().getLambda();
        Object role = context.get("role");
        Object keyId = context.get("keyId");
        return new Caller(account, role instanceof String r && !r.isBlank() ? r : UPLOADER,
                keyId instanceof String k && !k.isBlank() ? k : "unknown");
    }

    /**
     * The account of a caller allowed to upload. Reviewer keys may not upload: reviewing is a separate
     * permission, and a key that can both upload and approve could pass its own assets.
     */
    public static String uploaderAccount(APIGatewayV2HTTPEvent event) {
        Caller caller = caller(event);
        if (!UPLOADER.equals(caller.role())) {
            throw new DomainException(ErrorCode.FORBIDDEN, "this API key has the role " + caller.role()
                    + ", which may not upload: use an uploader key");
        }
        return caller.accountId();
    }

    /**
     * The account of a caller allowed to change assets (delete, rename): uploader keys only. A reviewer
     * that could delete could make an asset disappear instead of rejecting it, with no review record.
     */
    public static String managerAccount(APIGatewayV2HTTPEvent event) {
        Caller caller = caller(event);
        if (!UPLOADER.equals(caller.role())) {
            throw new DomainException(ErrorCode.FORBIDDEN, "this API key has the role " + caller.role()
                    + ", which may not delete or rename assets: use an uploader key");
        }
        return caller.accountId();
    }

    /** A caller allowed to review: reviewer keys only. */
    public static Caller reviewer(APIGatewayV2HTTPEvent event) {
        Caller caller = caller(event);
        if (!REVIEWER.equals(caller.role())) {
            throw new DomainException(ErrorCode.FORBIDDEN, "the review routes need an API key with the role reviewer;"
                    + " this key has the role " + caller.role() + " (create one with: api-keys create --role reviewer)");
        }
        return caller;
    }

    public static String queryParameter(APIGatewayV2HTTPEvent event, String name) {
        Map<String, String> params = event.getQueryStringParameters();
        return params == null ? null : params.get(name);
    }

    /** The body as a JSON object, or the documented error for each way it can be wrong. */
    public static ObjectNode jsonObjectBody(APIGatewayV2HTTPEvent event) {
        String raw = event.getBody();
        if (raw == null || raw.isEmpty()) {
            throw new DomainException(ErrorCode.BODY_MISSING, "the request body is empty: send a JSON object");
        }
        return jsonObject(event.getIsBase64Encoded() ? decode(raw) : raw.getBytes(StandardCharsets.UTF_8));
    }

    /** A body from anywhere (an HTTP request, an SQS message) as a JSON object, by the same rules. */
    public static ObjectNode jsonObject(byte[] bytes) {
        return JsonBodies.object(bytes);
    }

    /** A request header by name, case-insensitively (HttpApi passes header names in lowercase). */
    public static String header(APIGatewayV2HTTPEvent event, String name) {
        Map<String, String> headers = event.getHeaders();
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getKey() != null && h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }

    /** The query string parameters (HttpApi joins a repeated parameter's values with commas). */
    public static Map<String, String> queryParameters(APIGatewayV2HTTPEvent event) {
        return event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters();
    }

    public static String pathParameter(APIGatewayV2HTTPEvent event, String name) {
        Map<String, String> params = event.getPathParameters();
        return params == null ? null : params.get(name);
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new DomainException(ErrorCode.BODY_NOT_JSON, "the request body could not be decoded");
        }
    }
}
