package dev.assetlib.cli.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpHeaders;

/** A successful answer: the envelope's {@code data} and the response headers. */
public record ApiResponse(int status, JsonNode data, HttpHeaders headers) {
    public boolean replayed() {
        return headers.firstValue("Idempotent-Replayed").map("true"::equalsIgnoreCase).orElse(false);
    }
}
