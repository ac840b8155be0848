package dev.assetlib.local.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** An HTTP request as it reaches API Gateway, independent of the HTTP server that received it. */
public record GatewayRequest(String method, String rawPath, String rawQueryString, List<Header> headers,
        byte[] body, String sourceIp, String protocol) {

    public record Header(String name, String value) {
    }

    /** Header names lowercased, repeated headers joined with commas, as API Gateway passes them. */
    public Map<String, String> joinedHeaders() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Header h : headers) {
            out.merge(h.name().toLowerCase(Locale.ROOT), h.value(), (a, b) -> a + "," + b);
        }
        return out;
    }

    /** The cookies of every Cookie header, one entry per cookie. */
    public List<String> cookies() {
        List<String> out = new ArrayList<>();
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase("cookie")) {
                for (String c : h.value().split(";")) {
                    if (!c.isBlank()) {
                        out.add(c.trim());
                    }
                }
            }
        }
        return out;
    }
}
