package dev.assetlib.local.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.assetlib.local.sfn.LocalLambda;
import dev.assetlib.local.template.HttpApiDefinition;
import dev.assetlib.local.template.SamTemplate;
import dev.assetlib.local.template.TemplateValues;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The gateway's events and answers, with recording functions in place of the handlers. */
class HttpApiGatewayTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final SamTemplate TEMPLATE = SamTemplate.parse(Path.of("t.yaml"), """
            Parameters:
              Ttl: {Type: Number, Default: 300}
            Resources:
              Api:
                Type: AWS::Serverless::HttpApi
                Properties:
                  Auth:
                    DefaultAuthorizer: Keys
                    Authorizers:
                      Keys:
                        FunctionArn: !Ref AuthFn.Alias
                        AuthorizerPayloadFormatVersion: '2.0'
                        EnableSimpleResponses: true
                        Identity: {Headers: [Authorization], ReauthorizeEvery: !Ref Ttl}
              AuthFn:
                Type: AWS::Serverless::Function
                Properties: {Handler: x.Auth::handleRequest}
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: x.H::handleRequest
                  Events:
                    Get: {Type: HttpApi, Properties: {ApiId: !Ref Api, Method: GET, Path: '/items/{id}'}}
                    Post: {Type: HttpApi, Properties: {ApiId: !Ref Api, Method: POST, Path: /items}}
                    Open: {Type: HttpApi, Properties: {ApiId: !Ref Api, Method: GET, Path: /open, Auth: {Authorizer: NONE}}}
            """);

    final List<JsonNode> events = new ArrayList<>();
    final List<JsonNode> authorizerEvents = new ArrayList<>();
    String functionAnswer = "{\"statusCode\":201,\"headers\":{\"content-type\":\"application/json\"},\"body\":\"{}\"}";

    final LocalLambda function = payload -> {
        events.add(JSON.readTree(payload));
        return functionAnswer.getBytes(StandardCharsets.UTF_8);
    };
    final LocalLambda authorizer = payload -> {
        JsonNode event = JSON.readTree(payload);
        authorizerEvents.add(event);
        boolean ok = event.path("identitySource").path(0).asText().equals("Bearer good");
        return (ok ? "{\"isAuthorized\":true,\"context\":{\"accountId\":\"acct-1\"}}" : "{\"isAuthorized\":false}").getBytes();
    };

    HttpApiGateway gateway(String ttl) {
        TemplateValues values = new TemplateValues(TEMPLATE, Map.of("Ttl", ttl), Map.of());
        Clock clock = Clock.fixed(Instant.parse("2026-03-30T14:21:58Z"), ZoneOffset.UTC);
        return new HttpApiGateway(HttpApiDefinition.fromTemplate(TEMPLATE, values), Map.of("Fn", function, "AuthFn", authorizer),
                "us-east-1", "000000000000", clock);
    }

    static GatewayRequest request(String method, String path, String query, byte[] body, String... headers) {
        List<GatewayRequest.Header> list = new ArrayList<>();
        for (int i = 0; i < headers.length; i += 2) {
            list.add(new GatewayRequest.Header(headers[i], headers[i + 1]));
        }
        return new GatewayRequest(method, path, query, list, body, "127.0.0.1", "HTTP/1.1");
    }

    @Test
    void buildsThePayload2EventAsApiGatewayDoes() {
        GatewayResponse response = gateway("300").handle(request("GET", "/items/a%2Fb", "x=1&x=2&y=%C3%A9", new byte[0],
                "Authorization", "Bearer good", "X-Multi", "one", "X-Multi", "two", "Cookie", "a=1; b=2", "Host", "127.0.0.1:3000",
                "User-Agent", "curl/8"));

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.header("apigw-requestid")).isNotBlank();
        JsonNode e = events.get(0);
        assertThat(e.path("version").asText()).isEqualTo("2.0");
        assertThat(e.path("routeKey").asText()).isEqualTo("GET /items/{id}");
        assertThat(e.path("rawPath").asText()).isEqualTo("/items/a%2Fb");
        assertThat(e.path("rawQueryString").asText()).isEqualTo("x=1&x=2&y=%C3%A9");
        assertThat(e.path("queryStringParameters").toString()).isEqualTo("{\"x\":\"1,2\",\"y\":\"é\"}");
        assertThat(e.path("pathParameters").path("id").asText()).isEqualTo("a/b");
        assertThat(e.path("headers").path("x-multi").asText()).isEqualTo("one,two");
        assertThat(e.path("headers").has("cookie")).isFalse();
        assertThat(e.path("cookies").toString()).isEqualTo("[\"a=1\",\"b=2\"]");
        JsonNode ctx = e.path("requestContext");
        assertThat(ctx.path("stage").asText()).isEqualTo("$default");
        assertThat(ctx.path("routeKey").asText()).isEqualTo("GET /items/{id}");
        assertThat(ctx.path("http").path("method").asText()).isEqualTo("GET");
        assertThat(ctx.path("http").path("userAgent").asText()).isEqualTo("curl/8");
        assertThat(ctx.path("domainName").asText()).isEqualTo("127.0.0.1:3000");
        assertThat(ctx.path("time").asText()).isEqualTo("30/Mar/2026:14:21:58 +0000");
        assertThat(ctx.path("timeEpoch").asLong()).isEqualTo(Instant.parse("2026-03-30T14:21:58Z").toEpochMilli());
        assertThat(ctx.path("requestId").asText()).isEqualTo(response.header("apigw-requestid"));
        assertThat(ctx.path("authorizer").path("lambda").path("accountId").asText()).isEqualTo("acct-1");
        assertThat(e.has("body")).isFalse();
        assertThat(e.path("isBase64Encoded").asBoolean()).isFalse();

        JsonNode a = authorizerEvents.get(0);
        assertThat(a.path("type").asText()).isEqualTo("REQUEST");
        assertThat(a.path("routeArn").asText()).isEqualTo("arn:aws:execute-api:us-east-1:000000000000:local/$default/GET/items/a%2Fb");
        assertThat(a.path("identitySource").toString()).isEqualTo("[\"Bearer good\"]");
    }

    @Test
    void textBodiesStayTextOthersAreBase64() {
        HttpApiGateway gateway = gateway("300");
        gateway.handle(request("POST", "/items", "", "{\"a\":1}".getBytes(), "Authorization", "Bearer good",
                "Content-Type", "application/json; charset=utf-8"));
        gateway.handle(request("POST", "/items", "", new byte[] {1, 2, 3}, "Authorization", "Bearer good",
                "Content-Type", "image/png"));

        assertThat(events.get(0).path("body").asText()).isEqualTo("{\"a\":1}");
        assertThat(events.get(0).path("isBase64Encoded").asBoolean()).isFalse();
        assertThat(events.get(1).path("body").asText()).isEqualTo("AQID");
        assertThat(events.get(1).path("isBase64Encoded").asBoolean()).isTrue();
    }

    @Test
    void authorizerIsSkippedWithoutIdentityCachedAndItsDenialIs403() {
        HttpApiGateway gateway = gateway("300");

        GatewayResponse missing = gateway.handle(request("GET", "/items/1", "", new byte[0]));
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.bodyText()).isEqualTo("{\"message\":\"Unauthorized\"}");
        assertThat(authorizerEvents).isEmpty();

        gateway.handle(request("GET", "/items/1", "", new byte[0], "Authorization", "Bearer good"));
        gateway.handle(request("GET", "/items/2", "", new byte[0], "Authorization", "Bearer good"));
        assertThat(authorizerEvents).hasSize(1);

        GatewayResponse denied = gateway.handle(request("GET", "/items/1", "", new byte[0], "Authorization", "Bearer bad"));
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.bodyText()).isEqualTo("{\"message\":\"Forbidden\"}");
        assertThat(events).hasSize(2);

        GatewayResponse open = gateway.handle(request("GET", "/open", "", new byte[0]));
        assertThat(open.status()).isEqualTo(201);
        assertThat(events.get(2).path("requestContext").has("authorizer")).isFalse();
    }

    @Test
    void aZeroTtlAsksTheAuthorizerEveryTime() {
        HttpApiGateway gateway = gateway("0");
        gateway.handle(request("GET", "/items/1", "", new byte[0], "Authorization", "Bearer good"));
        gateway.handle(request("GET", "/items/1", "", new byte[0], "Authorization", "Bearer good"));
        assertThat(authorizerEvents).hasSize(2);
    }

    @Test
    void readsTheFunctionsResponseLikeApiGateway() {
        HttpApiGateway gateway = gateway("300");
        functionAnswer = "{\"statusCode\":200,\"headers\":{\"x-a\":\"1\"},\"cookies\":[\"s=1\"],\"body\":\"AQID\",\"isBase64Encoded\":true}";
        GatewayResponse binary = gateway.handle(request("GET", "/open", "", new byte[0]));
        assertThat(binary.body()).containsExactly(1, 2, 3);
        assertThat(binary.header("x-a")).isEqualTo("1");
        assertThat(binary.header("set-cookie")).isEqualTo("s=1");

        functionAnswer = "{\"hello\":\"world\"}"; // no statusCode: 200 with the JSON as body
        GatewayResponse inferred = gateway.handle(request("GET", "/open", "", new byte[0]));
        assertThat(inferred.status()).isEqualTo(200);
        assertThat(inferred.header("content-type")).isEqualTo("application/json");
        assertThat(inferred.bodyText()).isEqualTo("{\"hello\":\"world\"}");

        AtomicInteger calls = new AtomicInteger();
        HttpApiGateway failing = new HttpApiGateway(gateway.definition(), Map.of("Fn", p -> {
            calls.incrementAndGet();
            throw new IllegalStateException("boom");
        }, "AuthFn", authorizer), "us-east-1", "000000000000", Clock.systemUTC());
        GatewayResponse crashed = failing.handle(request("GET", "/open", "", new byte[0]));
        assertThat(crashed.status()).isEqualTo(500);
        assertThat(crashed.bodyText()).isEqualTo("{\"message\":\"Internal Server Error\"}");
        assertThat(calls).hasValue(1);
    }

    @Test
    void unknownRouteIs404AndOversizedBodyIs413() {
        HttpApiGateway gateway = gateway("300");
        assertThat(gateway.handle(request("GET", "/nothing", "", new byte[0], "Authorization", "Bearer good")).status()).isEqualTo(404);
        assertThat(gateway.handle(request("POST", "/items", "", new byte[HttpApiGateway.MAX_BODY_BYTES + 1],
                "Authorization", "Bearer good")).status()).isEqualTo(413);
        assertThat(events).isEmpty();
    }
}
