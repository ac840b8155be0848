package dev.assetlib.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.json.Json;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The JSON events API Gateway sends for an HttpApi route (payload format 2.0) and for its Lambda
 * authorizer (REQUEST, format 2.0), field by field as AWS documents them. Optional fields are left
 * out when empty, as in AWS.
 */
final class HttpApiEvents {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);
    /** Bodies of these types reach the function as text; every other body is base64, as in AWS. */
    private static final Pattern TEXT_TYPE = Pattern.compile(
            "(text/.*|application/(json|xml|javascript|x-www-form-urlencoded)|application/.*\\+(json|xml))(;.*)?",
            Pattern.CASE_INSENSITIVE);

    /** The API's identity in events: account, API id, stage. */
    record Api(String region, String accountId, String apiId) {
    }

    private final Api api;

    HttpApiEvents(Api api) {
        this.api = api;
    }

    /** The route's event; {@code authorizerContext} is null when the route has no authorizer. */
    ObjectNode request(GatewayRequest r, String routeKey, Map<String, String> pathParameters, String requestId,
            Instant now, JsonNode authorizerContext) {
        ObjectNode event = common(r, routeKey, pathParameters, requestId, now);
        if (authorizerContext != null) {
            ((ObjectNode) event.get("requestContext")).putObject("authorizer").set("lambda", authorizerContext);
        }
        if (r.body() != null && r.body().length > 0) {
            boolean text = TEXT_TYPE.matcher(r.joinedHeaders().getOrDefault("content-type", "")).matches();
            event.put("body", text ? new String(r.body(), StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(r.body()));
            event.put("isBase64Encoded", !text);
        } else {
            event.put("isBase64Encoded", false);
        }
        return event;
    }

    /** The authorizer's REQUEST event, with the identity source values it is cached by. */
    ObjectNode authorizer(GatewayRequest r, String method, String routeKey, Map<String, String> pathParameters,
            List<String> identitySource, String requestId, Instant now) {
        ObjectNode event = Json.MAPPER.createObjectNode();
        event.put("version", "2.0");
        event.put("type", "REQUEST");
        event.put("routeArn", "arn:aws:execute-api:" + api.region() + ":" + api.accountId() + ":" + api.apiId()
                + "/$default/" + method + r.rawPath());
        identitySource.forEach(event.putArray("identitySource")::add);
        event.setAll(common(r, routeKey, pathParameters, requestId, now)); // keeps the order above
        return event;
    }

    private ObjectNode common(GatewayRequest r, String routeKey, Map<String, String> pathParameters, String requestId,
            Instant now) {
        Map<String, String> headers = r.joinedHeaders();
        headers.remove("cookie"); // payload 2.0 carries cookies in their own field
        headers.putIfAbsent("x-forwarded-for", r.sourceIp());
        headers.putIfAbsent("x-forwarded-proto", "http");
        String host = headers.getOrDefault("host", "127.0.0.1");

        ObjectNode event = Json.MAPPER.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", routeKey);
        event.put("rawPath", r.rawPath());
        event.put("rawQueryString", r.rawQueryString());
        List<String> cookies = r.cookies();
        if (!cookies.isEmpty()) {
            cookies.forEach(event.putArray("cookies")::add);
        }
        ObjectNode h = event.putObject("headers");
        headers.forEach(h::put);
        Map<String, String> query = queryParameters(r.rawQueryString());
        if (!query.isEmpty()) {
            ObjectNode q = event.putObject("queryStringParameters");
            query.forEach(q::put);
        }
        ObjectNode ctx = event.putObject("requestContext");
        ctx.put("accountId", api.accountId());
        ctx.put("apiId", api.apiId());
        ctx.put("domainName", host);
        ctx.put("domainPrefix", host.split("[.:]", 2)[0]);
        ObjectNode http = ctx.putObject("http");
        http.put("method", r.method());
        http.put("path", r.rawPath());
        http.put("protocol", r.protocol());
        http.put("sourceIp", r.sourceIp());
        http.put("userAgent", headers.getOrDefault("user-agent", ""));
        ctx.put("requestId", requestId);
        ctx.put("routeKey", routeKey);
        ctx.put("stage", "$default");
        ctx.put("time", TIME.format(now));
        ctx.put("timeEpoch", now.toEpochMilli());
        if (!pathParameters.isEmpty()) {
            ObjectNode p = event.putObject("pathParameters");
            pathParameters.forEach(p::put);
        }
        return event;
    }

    /** Decoded query parameters; a repeated name's values are joined with commas, as in AWS. */
    static Map<String, String> queryParameters(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.merge(name, value, (a, b) -> a + "," + b);
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return s;
        }
    }
}
