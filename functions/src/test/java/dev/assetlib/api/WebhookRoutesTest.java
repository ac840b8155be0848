package dev.assetlib.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.Services;
import dev.assetlib.config.Config;
import dev.assetlib.json.JsonCodec;
import dev.assetlib.testing.Events;
import dev.assetlib.testing.LocalAws;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The webhook routes through the handler and the real Services, on DynamoDB Local: envelope, roles, codes. */
@ExtendWith(LocalAws.class)
class WebhookRoutesTest {
    WebhookHandler handler;

    @BeforeEach
    void setUp(LocalAws aws) {
        String queue = aws.clients().sqs().createQueue(r -> r.queueName("wh-routes-" + System.nanoTime())).queueUrl();
        Map<String, String> env = new HashMap<>(Map.of(Config.ASSETS_TABLE, aws.table(), Config.COMPLETION_QUEUE_URL, aws.fifoQueue(),
                Config.WEBHOOK_DELIVERY_QUEUE_URL, queue, Config.WEBHOOK_SECRET_KEY, "a local key of the test, long enough to be one",
                Config.WEBHOOK_MAX_ENDPOINTS, "2"));
        handler = new WebhookHandler(new Services(new Config(env), aws.clients(), Clock.systemUTC()));
    }

    JsonNode call(APIGatewayV2HTTPEvent event, int status) throws Exception {
        APIGatewayV2HTTPResponse r = handler.handleRequest(event, null);
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(status);
        return JsonCodec.parse(r.getBody());
    }

    static APIGatewayV2HTTPEvent as(String file, String account, String role) {
        APIGatewayV2HTTPEvent e = Events.http(file, account);
        e.getRequestContext().getAuthorizer().getLambda().put("role", role);
        return e;
    }

    static APIGatewayV2HTTPEvent create(String account, String url) {
        APIGatewayV2HTTPEvent e = as("api-webhook-create.json", account, "uploader");
        e.setBody("{\"url\":\"" + url + "\"}");
        return e;
    }

    @Test
    void aReviewerKeyGets403OnEveryWebhookRoute() throws Exception {
        for (String file : new String[] {"api-webhook-create.json", "api-webhook-list.json", "api-webhook-rotate.json"}) {
            JsonNode body = call(as(file, "acme", "reviewer"), 403);
            assertThat(body.get("code").asInt()).isEqualTo(40300);
            assertThat(body.get("data").isNull()).isTrue();
        }
    }

    @Test
    void refusedUrlsAnswer400WithTheEnvelopeAndAClearMessage() throws Exception {
        for (String url : new String[] {"https://169.254.169.254/latest/meta-data/", "http://127.0.0.1:8080/hook", "https://localhost/x",
                "not a url", "http://hooks.example.com/insecure"}) {
            JsonNode body = call(create("acme", url), 400);
            assertThat(body.get("code").asInt()).as(url).isEqualTo(40080);
            assertThat(body.get("msg").asText()).as(url).contains("url");
        }
        APIGatewayV2HTTPEvent badEvents = as("api-webhook-create.json", "acme", "uploader");
        badEvents.setBody("{\"url\":\"https://93.184.215.14/hook\",\"events\":[\"asset.created\"]}");
        assertThat(call(badEvents, 400).get("code").asInt()).isEqualTo(40081);
    }

    @Test
    void createShowsTheSecretOnceListNeverAndTheLimitIs409() throws Exception {
        JsonNode created = call(create("acme", "https://93.184.215.14/hook"), 200).get("data");
        assertThat(created.get("secret").asText()).matches("whsec_[A-Za-z0-9+/]{43}=");
        assertThat(created.get("events")).hasSize(3);
        call(create("acme", "https://93.184.215.14/other"), 200);
        assertThat(call(create("acme", "https://93.184.215.14/third"), 409).get("code").asInt()).isEqualTo(40910);
        JsonNode list = call(as("api-webhook-list.json", "acme", "uploader"), 200).get("data").get("items");
        assertThat(list).hasSize(2);
        assertThat(list.toString()).doesNotContain("whsec_").doesNotContain("secret");
        assertThat(call(as("api-webhook-list.json", "globex", "uploader"), 200).get("data").get("items")).isEmpty();
        APIGatewayV2HTTPEvent rotate = as("api-webhook-rotate.json", "globex", "uploader");
        rotate.getPathParameters().put("webhookId", created.get("id").asText());
        assertThat(call(rotate, 404).get("code").asInt()).isEqualTo(40402); // another account's endpoint
    }
}
