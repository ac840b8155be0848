package dev.assetlib.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.json.Json;
import dev.assetlib.local.sfn.LocalLambda;
import dev.assetlib.local.template.HttpApiDefinition;
import dev.assetlib.local.template.HttpApiRoute;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * API Gateway's HttpApi, emulated: route selection, the Lambda authorizer, the payload 2.0 event,
 * the function call and the reading of its response, with API Gateway's own answers where it
 * answers itself (404 no route, 401 no identity, 403 denied, 413 too large, 500 function failed).
 */
public final class HttpApiGateway {
    /** API Gateway's payload limit for HTTP APIs. */
    public static final int MAX_BODY_BYTES = 10 * 1024 * 1024;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpApiDefinition api;
    private final Map<String, LocalLambda> functionsById;
    private final LambdaAuthorizer authorizer;
    private final HttpApiEvents events;
    private final Clock clock;

    /**
     * @param functionsById every route's function (and the authorizer's) by template logical id
     * @param clock         the stack's clock, for the events' time fields
     */
    public HttpApiGateway(HttpApiDefinition api, Map<String, LocalLambda> functionsById, String region,
            String accountId, Clock clock) {
        this.api = api;
        this.functionsById = Map.copyOf(functionsById);
        this.authorizer = api.authorizer()
                .map(a -> new LambdaAuthorizer(function(a.functionId()), a.identityHeaders(), a.cacheTtl()))
                .orElse(null);
        this.events = new HttpApiEvents(new HttpApiEvents.Api(region, accountId, "local"));
        this.clock = clock;
        api.routes().forEach(r -> function(r.functionId()));
    }

    public HttpApiDefinition definition() {
        return api;
    }

    public GatewayResponse handle(GatewayRequest request) {
        String requestId = newRequestId();
        if (request.body() != null && request.body().length > MAX_BODY_BYTES) {
            return tooLarge(requestId);
        }
        Optional<HttpApiDefinition.Match> match = api.select(request.method(), request.rawPath());
        if (match.isEmpty()) {
            return GatewayResponse.message(404, "Not Found", requestId);
        }
        HttpApiRoute route = match.get().route();
        Map<String, String> params = match.get().pathParameters();
        Instant now = clock.instant();
        JsonNode authorizerContext = null;
        if (route.authorized()) {
            List<String> identity = authorizer.identitySource(request.joinedHeaders());
            if (identity == null) {
                return GatewayResponse.message(401, "Unauthorized", requestId);
            }
            LambdaAuthorizer.Decision decision = authorizer.decide(identity, () ->
                    events.authorizer(request, route.method().equals("ANY") ? request.method() : route.method(),
                            route.routeKey(), params, identity, requestId, now));
            if (!decision.allowed()) {
                return GatewayResponse.message(decision.refusedStatus(), decision.refusedMessage(), requestId);
            }
            authorizerContext = decision.context();
        }
        ObjectNode event = events.request(request, route.routeKey(), params, requestId, now, authorizerContext);
        byte[] output;
        try {
            output = function(route.functionId()).invoke(Json.MAPPER.writeValueAsBytes(event));
        } catch (Exception e) {
            System.err.println(route.functionId() + " failed on " + route.routeKey() + " (API Gateway answers 500): " + e);
            return GatewayResponse.message(500, "Internal Server Error", requestId);
        }
        return response(output, route, requestId);
    }

    public static GatewayResponse tooLarge(String requestId) {
        return GatewayResponse.message(413, "Request Entity Too Large", requestId);
    }

    /** Reads a payload 2.0 response: structured if it has a statusCode, else the JSON itself with 200. */
    private static GatewayResponse response(byte[] output, HttpApiRoute route, String requestId) {
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(output);
        } catch (Exception e) {
            json = null;
        }
        List<GatewayRequest.Header> headers = new ArrayList<>();
        if (json == null || (json.isObject() && json.has("statusCode") && !json.get("statusCode").canConvertToInt())) {
            System.err.println(route.functionId() + " returned a malformed response (API Gateway answers 500)");
            return GatewayResponse.message(500, "Internal Server Error", requestId);
        }
        if (!json.isObject() || !json.has("statusCode")) {
            headers.add(new GatewayRequest.Header("content-type", "application/json"));
            headers.add(new GatewayRequest.Header("apigw-requestid", requestId));
            return new GatewayResponse(200, headers, output);
        }
        json.path("headers").fields().forEachRemaining(h -> headers.add(new GatewayRequest.Header(h.getKey(), h.getValue().asText())));
        json.path("cookies").forEach(c -> headers.add(new GatewayRequest.Header("set-cookie", c.asText())));
        headers.add(new GatewayRequest.Header("apigw-requestid", requestId));
        JsonNode body = json.get("body");
        byte[] bytes = body == null || body.isNull() ? new byte[0]
                : json.path("isBase64Encoded").asBoolean(false) ? Base64.getDecoder().decode(body.asText())
                : body.asText().getBytes(StandardCharsets.UTF_8);
        return new GatewayResponse(json.get("statusCode").asInt(), headers, bytes);
    }

    private LocalLambda function(String functionId) {
        LocalLambda fn = functionsById.get(functionId);
        if (fn == null) {
            throw new IllegalStateException("no local function for " + functionId);
        }
        return fn;
    }

    /** A request id shaped like API Gateway's (e.g. "JKJaXmPLIAMEJ3w="). */
    static String newRequestId() {
        byte[] bytes = new byte[11];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
