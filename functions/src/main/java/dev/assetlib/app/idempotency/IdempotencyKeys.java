package dev.assetlib.app.idempotency;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.json.JsonCodec;
import dev.assetlib.security.Sha256;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What an idempotency key stands for, the same whichever way an upload comes (the
 * {@code Idempotency-Key} header of the HTTP upload routes, an ingest message's
 * {@code idempotencyKey} or SQS message id): the key is stored only as its SHA-256, and a request
 * as the SHA-256 of its scope and its canonical JSON body.
 */
public final class IdempotencyKeys {
    /**
     * The scope of a single (Seedance 2.0) upload: the HTTP route's key, so that one key and one
     * body are one upload whether they came over HTTP or through the ingest queue.
     */
    public static final String SINGLE_UPLOAD = "POST /kyyReactApiServer/kyyVideo2/asset/upload";
    /** The scope of a batch (SD2 Manxue) upload, likewise the HTTP route's key. */
    public static final String BATCH_UPLOAD = "POST /kyyReactApiServer/asset/sd2Manxue/assetUpload";

    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");

    private IdempotencyKeys() {
    }

    /** A key either way may carry: 1 to 255 visible ASCII characters. */
    public static boolean isValidKey(String key) {
        return key != null && KEY.matcher(key).matches();
    }

    /** The record's key part: the key is stored only as its SHA-256. */
    public static String keyHash(String key) {
        return Sha256.hex(key);
    }

    /** What one key stands for: the scope (a route, or ingest's kind of message) and the body, canonically. */
    public static String fingerprint(String scope, JsonNode body) {
        return Sha256.hex(scope + "\n" + canonical(body));
    }

    /** JSON with object keys sorted at every level: the same body however its keys are ordered or spaced. */
    static String canonical(JsonNode node) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            StringBuilder out = new StringBuilder("{");
            for (int i = 0; i < names.size(); i++) {
                out.append(i == 0 ? "" : ",").append(JsonCodec.write(JsonCodec.object().textNode(names.get(i))))
                        .append(':').append(canonical(node.get(names.get(i))));
            }
            return out.append('}').toString();
        }
        if (node.isArray()) {
            StringBuilder out = new StringBuilder("[");
            for (int i = 0; i < node.size(); i++) {
                out.append(i == 0 ? "" : ",").append(canonical(node.get(i)));
            }
            return out.append(']').toString();
        }
        return JsonCodec.write(node);
    }
}
