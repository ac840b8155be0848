package dev.assetlib.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.domain.DomainException;
import dev.assetlib.domain.ErrorCode;
import dev.assetlib.json.JsonCodec;
import java.nio.charset.StandardCharsets;

/** A request's JSON body, read by one set of rules whichever way it came, with the documented error for each way it can be wrong. */
public final class JsonBodies {
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private JsonBodies() {
    }

    /** A body from anywhere (an HTTP request, an SQS message) as a JSON object, by the same rules. */
    public static ObjectNode object(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new DomainException(ErrorCode.BODY_MISSING, "the request body is empty: send a JSON object");
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw new DomainException(ErrorCode.BODY_TOO_LARGE, "the request body is " + bytes.length
                    + " bytes: at most " + MAX_BODY_BYTES + " are accepted");
        }
        if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            throw new DomainException(ErrorCode.BODY_MISSING, "the request body is empty: send a JSON object");
        }
        JsonNode node;
        try {
            node = JsonCodec.parse(bytes);
        } catch (JsonProcessingException e) {
            throw new DomainException(ErrorCode.BODY_NOT_JSON, "the request body is not valid JSON ("
                    + e.getOriginalMessage() + "): send a JSON object");
        } catch (java.io.IOException e) {
            throw new DomainException(ErrorCode.BODY_NOT_JSON, "the request body could not be read as JSON");
        }
        if (node == null || !node.isObject()) {
            throw new DomainException(ErrorCode.BODY_NOT_OBJECT, "the request body must be a JSON object, not "
                    + (node == null ? "nothing" : node.getNodeType().name().toLowerCase()));
        }
        return (ObjectNode) node;
    }
}
