package dev.assetlib.local.api;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** What API Gateway answers: status, headers in order (a name may repeat, e.g. set-cookie), body. */
public record GatewayResponse(int status, List<GatewayRequest.Header> headers, byte[] body) {

    /** API Gateway's own JSON answers, {"message": "..."}. */
    static GatewayResponse message(int status, String message, String requestId) {
        byte[] body = ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
        return new GatewayResponse(status, List.of(
                new GatewayRequest.Header("content-type", "application/json"),
                new GatewayRequest.Header("apigw-requestid", requestId)), body);
    }

    public String header(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(GatewayRequest.Header::value)
                .findFirst().orElse(null);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
