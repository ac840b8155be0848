package dev.assetlib.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Webhooks on the whole local stack: registered through the API, a review's completion reaches
 * the receiver through the webhook event queue and WebhookDeliveryFunction, driven by the local
 * stack's queue pollers from template.yaml; a receiver that fails first is retried (time-scaled).
 */
@Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
class WebhooksEndToEndTest {
    /** The local sample origin (fetched by the media step; any path serves valid media by extension). */
    static final String SAMPLES = dev.assetlib.local.api.SampleOrigin.base();
    static final String KEY = "alk_webhookE2eKey12345678abcdefghijklmnopqrstuv";
    static final String REVIEWER_KEY = "alk_webhookE2eRev12345678abcdefghijklmnopqrstuv";
    static final String BASE = "/kyyReactApiServer/kyyVideo2/";
    static RunningStack stack;
    static StackClient client;
    static HttpServer receiver;
    static final List<Map<String, String>> got = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        receiver.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            got.add(Map.of("path", exchange.getRequestURI().getPath(), "body", body,
                    "id", String.valueOf(exchange.getRequestHeaders().getFirst("webhook-id")),
                    "signature", String.valueOf(exchange.getRequestHeaders().getFirst("webhook-signature"))));
            long tries = got.stream().filter(g -> g.get("path").equals(exchange.getRequestURI().getPath())).count();
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/flaky") && tries == 1 ? 500 : 204, -1);
            exchange.close();
        });
        receiver.start();
        String origin = "127.0.0.1:" + receiver.getAddress().getPort();
        stack = RunningStack.start(LocalStack.settings("--api-port=0", "--dynamodb-port=0", "--sqs-port=0", "--sfn-port=0",
                "--s3-port=0", "--data-dir=local/target/e2e-webhooks-" + java.util.UUID.randomUUID(), "--project-dir=..",
                "--in-memory", "--time-scale=0.01", "--review-delay=1m", "--dev-key", KEY + "=hook-account",
                "--reviewer-key", REVIEWER_KEY + "=hook-account", "--parameter", "FetchAllowOrigins=" + origin), RunningStack.Hooks.NONE);
        client = new StackClient(stack, KEY);
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (stack != null) {
            stack.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    static HttpResponse<String> call(String method, String path, String key, String body) {
        HttpRequest.Builder b = client.request(path).header("Authorization", "Bearer " + key)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return client.send(b.build());
    }

    @Test
    void aCompletionReachesTheAccountsEndpointsSignedAndAFailedFirstAttemptIsRetried() {
        String port = Integer.toString(receiver.getAddress().getPort());
        HttpResponse<String> refused = call("POST", BASE + "webhooks", KEY, "{\"url\":\"http://127.0.0.1:1/not-allowed\"}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(StackClient.json(refused.body()).path("code").asInt()).isEqualTo(40080);
        assertThat(call("GET", BASE + "webhooks", REVIEWER_KEY, null).statusCode()).isEqualTo(403);

        HttpResponse<String> created = call("POST", BASE + "webhooks", KEY,
                "{\"url\":\"http://127.0.0.1:" + port + "/ok\",\"events\":[\"asset.active\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        assertThat(StackClient.json(created.body()).path("data").path("secret").asText()).startsWith("whsec_");
        JsonNode flaky = StackClient.json(call("POST", BASE + "webhooks", KEY,
                "{\"url\":\"http://127.0.0.1:" + port + "/flaky\"}").body()).path("data");

        String assetId = client.upload(SAMPLES + "webhook-e2e.jpg");
        StackClient.await(Duration.ofSeconds(90), () -> got.stream().filter(g -> g.get("path").equals("/flaky")).count() == 2
                && got.stream().anyMatch(g -> g.get("path").equals("/ok")), () -> "deliveries so far: " + got);
        Map<String, String> ok = got.stream().filter(g -> g.get("path").equals("/ok")).findFirst().orElseThrow();
        assertThat(ok.get("body")).contains("\"type\":\"asset.active\"").contains(assetId);
        assertThat(ok.get("signature")).startsWith("v1,");
        List<String> flakyIds = got.stream().filter(g -> g.get("path").equals("/flaky")).map(g -> g.get("id")).distinct().toList();
        assertThat(flakyIds).hasSize(1);

        JsonNode log = StackClient.json(call("GET", BASE + "webhooks/" + flaky.path("id").asText() + "/deliveries", KEY, null).body());
        StackClient.await(Duration.ofSeconds(30), () -> StackClient.json(call("GET", BASE + "webhooks/" + flaky.path("id").asText()
                + "/deliveries", KEY, null).body()).path("data").path("items").path(0).path("status").asText().equals("succeeded"),
                () -> "delivery log: " + log);
        JsonNode attempts = StackClient.json(call("GET", BASE + "webhooks/" + flaky.path("id").asText() + "/deliveries", KEY, null)
                .body()).path("data").path("items").path(0).path("attempts");
        assertThat(attempts).hasSize(2);
        assertThat(attempts.path(0).path("statusCode").asInt()).isEqualTo(500);
        assertThat(attempts.path(1).path("statusCode").asInt()).isEqualTo(204);
    }
}
