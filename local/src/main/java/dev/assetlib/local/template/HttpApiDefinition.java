package dev.assetlib.local.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The HttpApi as template.yaml declares it: every {@code Type: HttpApi} event of every function
 * (so routes added to the template appear locally with no other change) and the Lambda authorizer
 * of the {@code AWS::Serverless::HttpApi}. Only what the local gateway implements is accepted:
 * a payload 2.0 authorizer with simple responses and header identity sources.
 */
public record HttpApiDefinition(List<HttpApiRoute> routes, Optional<Authorizer> authorizer) {

    /** A Lambda authorizer: its function, the headers it is cached by and for how long. */
    public record Authorizer(String name, String functionId, String handler, List<String> identityHeaders, Duration cacheTtl) {
    }

    public static HttpApiDefinition fromTemplate(SamTemplate template, TemplateValues values) {
        Optional<Authorizer> authorizer = authorizer(template, values);
        List<HttpApiRoute> routes = new ArrayList<>();
        template.resources("AWS::Serverless::Function").forEach((functionId, function) ->
                function.path("Properties").path("Events").fields().forEachRemaining(e -> {
                    JsonNode event = e.getValue();
                    if (!"HttpApi".equals(event.path("Type").asText())) {
                        return;
                    }
                    JsonNode props = event.path("Properties");
                    String method = props.path("Method").asText("ANY").toUpperCase();
                    String path = props.path("Path").asText("");
                    if (!props.has("Path") && !props.has("Method")) {
                        // SAM: an HttpApi event with neither is the API's $default route (every unmatched request).
                        path = HttpApiRoute.DEFAULT;
                        method = "ANY";
                    } else if (path.isEmpty() || !path.startsWith("/")) {
                        throw new IllegalStateException("HttpApi event " + functionId + "." + e.getKey()
                                + " has no Path starting with /: the local gateway needs one");
                    }
                    String handler = template.functionProperty(functionId, "Handler").map(JsonNode::asText)
                            .orElseThrow(() -> new IllegalStateException(functionId + " has no Handler"));
                    boolean none = "NONE".equals(props.path("Auth").path("Authorizer").asText());
                    routes.add(new HttpApiRoute(method.equals("X-AMAZON-APIGATEWAY-ANY-METHOD") ? "ANY" : method,
                            path, functionId, handler, authorizer.isPresent() && !none));
                }));
        routes.sort(Comparator.comparingInt(HttpApiRoute::generality));
        return new HttpApiDefinition(List.copyOf(routes), authorizer);
    }

    /** The most specific route matching the request, like API Gateway's route selection. */
    public Optional<Match> select(String method, String rawPath) {
        for (HttpApiRoute route : routes) {
            Optional<Map<String, String>> params = route.match(method, rawPath);
            if (params.isPresent()) {
                return Optional.of(new Match(route, params.get()));
            }
        }
        return Optional.empty();
    }

    public record Match(HttpApiRoute route, Map<String, String> pathParameters) {
    }

    private static Optional<Authorizer> authorizer(SamTemplate template, TemplateValues values) {
        Map<String, JsonNode> apis = template.resources("AWS::Serverless::HttpApi");
        if (apis.size() > 1) {
            throw new IllegalStateException("the local gateway serves one AWS::Serverless::HttpApi, the template has " + apis.keySet());
        }
        if (apis.isEmpty()) {
            return Optional.empty();
        }
        JsonNode auth = apis.values().iterator().next().path("Properties").path("Auth");
        String name = auth.path("DefaultAuthorizer").asText("");
        if (name.isEmpty()) {
            return Optional.empty();
        }
        JsonNode def = auth.path("Authorizers").path(name);
        String where = "HttpApi authorizer " + name;
        require(def.has("FunctionArn"), where + " is not a Lambda authorizer (JWT authorizers are not emulated)");
        require("2.0".equals(def.path("AuthorizerPayloadFormatVersion").asText()), where + ": only payload format 2.0 is emulated");
        require(def.path("EnableSimpleResponses").asBoolean(false), where + ": only simple responses (EnableSimpleResponses: true) are emulated");
        JsonNode identity = def.path("Identity");
        require(!identity.has("QueryStrings") && !identity.has("Context") && !identity.has("StageVariables"),
                where + ": only header identity sources are emulated");
        List<String> headers = new ArrayList<>();
        identity.path("Headers").forEach(h -> headers.add(h.asText()));
        Duration ttl = identity.has("ReauthorizeEvery")
                ? Duration.ofSeconds(Long.parseLong(values.resolve(identity.get("ReauthorizeEvery"))))
                : Duration.ofMinutes(5); // SAM's default
        String functionId = functionOf(def.get("FunctionArn"), where);
        String handler = template.functionProperty(functionId, "Handler").map(JsonNode::asText)
                .orElseThrow(() -> new IllegalStateException(functionId + " has no Handler"));
        return Optional.of(new Authorizer(name, functionId, handler, List.copyOf(headers), ttl));
    }

    /** {@code !Ref Fn.Alias} or {@code !GetAtt Fn.Arn} → the function's logical id. */
    private static String functionOf(JsonNode arn, String where) {
        String target = arn.has("Ref") ? arn.get("Ref").asText() : arn.path("Fn::GetAtt").path(0).asText("");
        int dot = target.indexOf('.');
        String id = dot < 0 ? target : target.substring(0, dot);
        require(!id.isEmpty(), where + ": FunctionArn must be !Ref Function(.Alias) or !GetAtt Function.Arn, got " + arn);
        return id;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }
}
