package dev.assetlib.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.json.Json;
import dev.assetlib.local.sfn.LocalLambda;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * An HttpApi Lambda authorizer with simple responses, as API Gateway runs it: the identity source
 * headers must all be present and non-empty (else 401 without calling the function); the answer is
 * cached per identity source values for the template's ReauthorizeEvery; {@code isAuthorized:
 * false} is a 403. The cache runs on real time: it is API Gateway's, not the business clock's.
 */
final class LambdaAuthorizer {
    /** The outcome for one request: refused with a status, or allowed with the function's context. */
    record Decision(int refusedStatus, String refusedMessage, JsonNode context) {
        static Decision allow(JsonNode context) {
            return new Decision(0, null, context);
        }

        static Decision refuse(int status, String message) {
            return new Decision(status, message, null);
        }

        boolean allowed() {
            return refusedStatus == 0;
        }
    }

    private record Cached(Decision decision, long expiresNanos) {
    }

    private final LocalLambda function;
    private final List<String> identityHeaders;
    private final Duration ttl;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    LambdaAuthorizer(LocalLambda function, List<String> identityHeaders, Duration ttl) {
        this.function = function;
        this.identityHeaders = List.copyOf(identityHeaders);
        this.ttl = ttl;
    }

    /** The identity source values, or null if one is missing or empty (API Gateway's 401). */
    List<String> identitySource(Map<String, String> lowercaseHeaders) {
        List<String> values = new ArrayList<>();
        for (String name : identityHeaders) {
            String value = lowercaseHeaders.get(name.toLowerCase());
            if (value == null || value.isEmpty()) {
                return null;
            }
            values.add(value);
        }
        return values;
    }

    /** Decides for a request whose identity source is present; {@code event} builds the call's input. */
    Decision decide(List<String> identitySource, Supplier<ObjectNode> event) {
        String key = String.join("\u0000", identitySource);
        long now = System.nanoTime();
        Cached hit = cache.get(key);
        if (hit != null && hit.expiresNanos() - now > 0) {
            return hit.decision();
        }
        Decision decision = call(event.get());
        if (!ttl.isZero() && decision.refusedStatus() != 500) { // a failed call is not cached
            if (cache.size() > 10_000) {
                cache.values().removeIf(c -> c.expiresNanos() - now <= 0);
            }
            cache.put(key, new Cached(decision, now + ttl.toNanos()));
        }
        return decision;
    }

    private Decision call(ObjectNode event) {
        JsonNode answer;
        try {
            answer = Json.MAPPER.readTree(function.invoke(Json.MAPPER.writeValueAsBytes(event)));
        } catch (Exception e) {
            System.err.println("authorizer failed (API Gateway answers 500): " + e);
            return Decision.refuse(500, "Internal Server Error");
        }
        JsonNode authorized = answer == null ? null : answer.get("isAuthorized");
        if (authorized == null || !authorized.isBoolean()) {
            System.err.println("authorizer answered without a boolean isAuthorized (API Gateway answers 500): " + answer);
            return Decision.refuse(500, "Internal Server Error");
        }
        if (!authorized.asBoolean()) {
            return Decision.refuse(403, "Forbidden");
        }
        JsonNode context = answer.get("context");
        return Decision.allow(context == null || context.isNull() ? Json.MAPPER.createObjectNode() : context);
    }
}
