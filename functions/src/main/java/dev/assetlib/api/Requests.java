package dev.assetlib.api;

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
    public static final int MAX_BODY_BYTES = 64 * 1024;

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
            throw new ApiException(ErrorCode.UNAUTHORIZED,
                    "missing, malformed or revoked API key: send the header Authorization: Bearer <your API key>");
        }
        return id;
    }

    /** The body as a JSON object, or the documented error for each way it can be wrong. */
    public static ObjectNode jsonObjectBody(APIGatewayV2HTTPEvent event) {
        String raw = event.getBody();
        if (raw == null || raw.isEmpty()) {
            throw new ApiException(ErrorCode.BODY_MISSING, "the request body is empty: send a JSON object");
        }
        byte[] bytes = event.getIsBase64Encoded() ? decode(raw) : raw.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_BODY_BYTES) {
            throw new ApiException(ErrorCode.BODY_TOO_LARGE, "the request body is " + bytes.length
                    + " bytes: at most " + MAX_BODY_BYTES + " are accepted");
        }
        if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            throw new ApiException(ErrorCode.BODY_MISSING, "the request body is empty: send a JSON object");
        }
        JsonNode node;
        try {
            node = JsonCodec.parse(bytes);
        } catch (JsonProcessingException e) {
            throw new ApiException(ErrorCode.BODY_NOT_JSON, "the request body is not valid JSON ("
                    + e.getOriginalMessage() + "): send a JSON object");
        } catch (java.io.IOException e) {
            throw new ApiException(ErrorCode.BODY_NOT_JSON, "the request body could not be read as JSON");
        }
        if (node == null || !node.isObject()) {
            throw new ApiException(ErrorCode.BODY_NOT_OBJECT, "the request body must be a JSON object, not "
                    + (node == null ? "nothing" : node.getNodeType().name().toLowerCase()));
        }
        return (ObjectNode) node;
    }

    public static String pathParameter(APIGatewayV2HTTPEvent event, String name) {
        Map<String, String> params = event.getPathParameters();
        return params == null ? null : params.get(name);
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.BODY_NOT_JSON, "the request body could not be decoded");
        }
    }
}
