package dev.assetlib.api;

import dev.assetlib.domain.DomainException;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.json.JsonCodec;
import java.util.Map;

/**
 * The {@code {"code","msg","data"}} envelope of every public response. The published API types
 * {@code code} per endpoint (an integer for Seedance 2.0 upload and detail, a string elsewhere);
 * clients depend on it, so each route says which it uses, for failures too.
 */
public final class Envelope {
    public enum CodeType { INTEGER, STRING }

    private static final Map<String, String> HEADERS = Map.of("Content-Type", "application/json; charset=utf-8");

    private Envelope() {
    }

    public static APIGatewayV2HTTPResponse ok(CodeType type, JsonNode data) {
        return ok(type, null, data);
    }

    /** Success; {@code msg} is null unless the contract gives a text (delete answers "success"). */
    public static APIGatewayV2HTTPResponse ok(CodeType type, String msg, JsonNode data) {
        ObjectNode body = JsonCodec.object();
        putCode(body, type, 0);
        if (msg == null) {
            body.putNull("msg");
        } else {
            body.put("msg", msg);
        }
        body.set("data", data == null ? body.nullNode() : data);
        return respond(200, body);
    }

    public static APIGatewayV2HTTPResponse error(CodeType type, DomainException e) {
        ObjectNode body = JsonCodec.object();
        putCode(body, type, e.error().code());
        body.put("msg", e.getMessage());
        body.putNull("data");
        APIGatewayV2HTTPResponse response = respond(e.error().httpStatus(), body);
        if (e.error().httpStatus() == 503) {
            // A dependency is briefly down: say when to retry (clients retry with their Idempotency-Key).
            java.util.Map<String, String> headers = new java.util.HashMap<>(HEADERS);
            headers.put("Retry-After", RETRY_AFTER_SECONDS);
            response.setHeaders(headers);
        }
        return response;
    }

    /** What a 503 says in Retry-After: the SDK's retries of a throttled or failing store last about this long. */
    static final String RETRY_AFTER_SECONDS = "2";

    private static void putCode(ObjectNode body, CodeType type, int code) {
        if (type == CodeType.INTEGER) {
            body.put("code", code);
        } else {
            body.put("code", Integer.toString(code));
        }
    }

    private static APIGatewayV2HTTPResponse respond(int status, ObjectNode body) {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status).withHeaders(HEADERS)
                .withBody(JsonCodec.write(body)).withIsBase64Encoded(false).build();
    }
}
