package dev.assetlib.app.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.domain.DomainException;
import dev.assetlib.domain.ErrorCode;
import dev.assetlib.domain.WebhookDelivery;
import dev.assetlib.fetch.FetchAllowList;
import dev.assetlib.fetch.GuardedPoster;
import dev.assetlib.fetch.HostResolver;
import dev.assetlib.json.JsonCodec;
import dev.assetlib.store.WebhookStore;
import dev.assetlib.testing.LocalAws;
import dev.assetlib.webhooks.WebhookDeliveryHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Webhook delivery end to end on DynamoDB Local and ElasticMQ with a real HTTP receiver: the
 * delivery function's handler driven by a queue poller like Lambda's, time scaled 1:2000 so the
 * 17.6 h schedule takes about 32 s of queue time (each hop at least SQS's 1 s).
 */
@ExtendWith(LocalAws.class)
class WebhookDeliveryTest {
    static final double SCALE = 0.0005;

    Receiver receiver;
    WebhookRegistry registry;
    WebhookDispatcher dispatcher;
    WebhookStore store;
    WebhookDeliveryHandler handler;
    LocalAws aws;
    String deliveryQueue;
    volatile boolean pumping = true;
    Thread pump;

    /** Service time that runs 1/SCALE times faster than the wall clock. */
    static final class ScaledClock extends Clock {
        final Instant start = Instant.now();
        final long nanos = System.nanoTime();

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return start.plusNanos((long) ((System.nanoTime() - nanos) / SCALE));
        }
    }

    @BeforeEach
    void setUp(LocalAws aws) throws Exception {
        this.aws = aws;
        receiver = new Receiver();
        deliveryQueue = aws.clients().sqs().createQueue(r -> r.queueName("wh-delivery-" + System.nanoTime())).queueUrl();
        store = new WebhookStore(aws.clients().dynamoDb(), aws.table());
        FetchAllowList allow = FetchAllowList.parse(receiver.origin());
        WebhookSettings settings = new WebhookSettings(5, true, Duration.ofSeconds(10), SCALE, 2);
        SecretSealer sealer = new AesGcmSealer("a local key of the test, long enough to be one".getBytes(), new SecureRandom());
        Clock clock = new ScaledClock();
        dispatcher = new WebhookDispatcher(store, sealer,
                new GuardedPoster(HostResolver.SYSTEM, allow, Duration.ofSeconds(2), settings.attemptTimeout(),
                        (SSLSocketFactory) SSLSocketFactory.getDefault()),
                new DeliveryQueue(aws.clients().sqs(), deliveryQueue, SCALE), new RetrySchedule(() -> 0.5), settings,
                clock, Clock.systemUTC());
        registry = new WebhookRegistry(store, sealer, allow, HostResolver.SYSTEM, dispatcher, settings, new SecureRandom(), clock);
        handler = new WebhookDeliveryHandler(dispatcher);
        pump = new Thread(this::pump, "test-delivery-poller");
        pump.setDaemon(true);
        pump.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        pumping = false;
        pump.join(5000);
        receiver.close();
    }

    /** The local poller's job: receive, invoke the handler with the batch, delete what did not fail. */
    void pump() {
        while (pumping) {
            List<Message> batch = aws.clients().sqs().receiveMessage(r -> r.queueUrl(deliveryQueue).maxNumberOfMessages(10)
                    .waitTimeSeconds(1)).messages();
            if (batch.isEmpty()) {
                continue;
            }
            SQSEvent event = new SQSEvent();
            List<SQSEvent.SQSMessage> records = new ArrayList<>();
            for (Message m : batch) {
                SQSEvent.SQSMessage s = new SQSEvent.SQSMessage();
                s.setMessageId(m.messageId());
                s.setBody(m.body());
                records.add(s);
            }
            event.setRecords(records);
            var failed = handler.handleRequest(event, null).getBatchItemFailures().stream()
                    .map(f -> f.getItemIdentifier()).toList();
            for (Message m : batch) {
                if (!failed.contains(m.messageId())) {
                    aws.clients().sqs().deleteMessage(r -> r.queueUrl(deliveryQueue).receiptHandle(m.receiptHandle()));
                }
            }
        }
    }

    ObjectNode register(String account, String path, String... events) {
        ObjectNode body = JsonCodec.object().put("url", receiver.url(path));
        if (events.length > 0) {
            var a = body.putArray("events");
            for (String e : events) {
                a.add(e);
            }
        }
        return registry.register(account, body);
    }

    static JsonNode completion(String account, String assetId, String status) {
        ObjectNode c = JsonCodec.object().put("assetId", assetId).put("accountId", account).put("assetType", "Image")
                .put("status", status).put("url", "https://example.com/a.jpg").put("createdAt", "2026-03-30T14:21:58Z")
                .put("completedAt", "2026-03-30T14:22:31Z");
        if (status.equals("Active")) {
            c.put("uri", "asset://" + assetId);
        } else {
            c.put("errorCode", "REVIEW_REJECTED").put("errorMessage", "rejected");
        }
        return c;
    }

    static void await(Duration max, BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not done within " + max);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void signaturesVerifyWithTheStandardWebhooksLibraryAlsoWithBothSecretsAfterARotation() throws Exception {
        ObjectNode created = register("acme", "/sig");
        String first = created.get("secret").asText();
        assertThat(first).startsWith("whsec_");
        String id = created.get("id").asText();
        dispatcher.fanOut(completion("acme", "asset-20260330142158-aaaaa", "Active"));
        await(Duration.ofSeconds(20), () -> receiver.to("/sig").size() == 1);
        String second = registry.rotate("acme", id).get("secret").asText();
        dispatcher.fanOut(completion("acme", "asset-20260330142158-bbbbb", "Failed"));
        await(Duration.ofSeconds(20), () -> receiver.to("/sig").size() == 2);

        List<Receiver.Captured> got = receiver.to("/sig");
        assertThat(got.get(0).headers().get("webhook-signature").split(" ")).hasSize(1);
        assertThat(got.get(1).headers().get("webhook-signature").split(" ")).hasSize(2);
        JsonNode body = JsonCodec.parse(got.get(0).body());
        assertThat(body.get("type").asText()).isEqualTo("asset.active");
        assertThat(body.get("data").get("assetId").asText()).isEqualTo("asset-20260330142158-aaaaa");
        assertThat(JsonCodec.parse(got.get(1).body()).get("type").asText()).isEqualTo("asset.failed");

        Path cases = Files.createTempFile("swh-cases", ".jsonl");
        StringBuilder lines = new StringBuilder();
        // before the rotation: the first secret; after it: either secret; a wrong secret and a changed body: refused
        lines.append(line(first, got.get(0), got.get(0).body()));
        lines.append(line(first, got.get(1), got.get(1).body()));
        lines.append(line(second, got.get(1), got.get(1).body()));
        lines.append(line(second, got.get(0), got.get(0).body()));
        lines.append(line(first, got.get(1), got.get(1).body().replace("asset.failed", "asset.active")));
        Files.writeString(cases, lines);
        List<String> verdicts = StandardWebhooksVerifier.verify(cases);
        assertThat(verdicts).hasSize(5);
        assertThat(verdicts.subList(0, 3)).containsOnly("ok");
        assertThat(verdicts.get(3)).startsWith("refused");
        assertThat(verdicts.get(4)).startsWith("refused");
    }

    static String line(String secret, Receiver.Captured c, String body) {
        ObjectNode o = JsonCodec.object().put("secret", secret).put("body", body);
        ObjectNode h = o.putObject("headers");
        c.headers().forEach(h::put);
        return JsonCodec.write(o) + "\n";
    }

    @Test
    void aReceiverAnswering500TwiceThen200GetsThreeAttemptsWithGrowingDelaysAndOneSuccess() throws Exception {
        receiver.status = n -> n <= 2 ? 500 : 200;
        String id = register("acme", "/flaky").get("id").asText();
        dispatcher.fanOut(completion("acme", "asset-20260330142158-ccccc", "Active"));
        await(Duration.ofSeconds(30), () -> receiver.to("/flaky").size() == 3);
        Thread.sleep(1500);
        List<Receiver.Captured> got = receiver.to("/flaky");
        assertThat(got).hasSize(3);
        assertThat(got.stream().map(c -> c.headers().get("webhook-id")).distinct()).hasSize(1);
        WebhookDelivery d = store.deliveries("acme", id, 10).get(0);
        assertThat(d.status()).isEqualTo(WebhookDelivery.SUCCEEDED);
        assertThat(d.attempts()).extracting(WebhookDelivery.Attempt::statusCode).containsExactly(500, 500, 200);
        // the schedule's waits (5 s, then 5 min, each ±10 %), and no attempt before its time (the queue's
        // 1 s granularity, scaled, makes the actual waits longer than the first one asked for)
        List<WebhookDelivery.Attempt> a = d.attempts();
        Duration firstWait = Duration.between(a.get(0).time(), a.get(0).nextRetry());
        Duration secondWait = Duration.between(a.get(1).time(), a.get(1).nextRetry());
        assertThat(firstWait).isBetween(Duration.ofMillis(4500), Duration.ofMillis(5500));
        assertThat(secondWait).isBetween(Duration.ofSeconds(270), Duration.ofSeconds(330));
        assertThat(a.get(1).time()).isAfterOrEqualTo(a.get(0).nextRetry());
        assertThat(a.get(2).time()).isAfterOrEqualTo(a.get(1).nextRetry());
        assertThat(d.attempts().get(0).nextRetry()).isNotNull();
        assertThat(d.attempts().get(2).nextRetry()).isNull();
        JsonNode log = registry.deliveries("acme", id).get("items").get(0);
        assertThat(log.get("attempts")).hasSize(3);
        assertThat(log.get("attempts").get(0).get("statusCode").asInt()).isEqualTo(500);
    }

    @Test
    void aReceiverThatNeverAnswers2xxEndsFailedAfterTheScheduleAndA410DisablesTheEndpointAtOnce() throws Exception {
        receiver.status = n -> 503;
        String id = register("acme", "/down").get("id").asText();
        dispatcher.fanOut(completion("acme", "asset-20260330142158-ddddd", "Active"));
        await(Duration.ofSeconds(90), () -> store.deliveries("acme", id, 10).get(0).status().equals(WebhookDelivery.FAILED));
        assertThat(receiver.to("/down")).hasSize(RetrySchedule.MAX_ATTEMPTS);
        WebhookDelivery d = store.deliveries("acme", id, 10).get(0);
        assertThat(Duration.between(d.attempts().get(0).time(), d.attempts().get(6).time()))
                .isBetween(Duration.ofHours(15), Duration.ofHours(24));

        receiver.status = n -> 410;
        String gone = register("acme", "/gone").get("id").asText();
        dispatcher.fanOut(completion("acme", "asset-20260330142158-eeeee", "Active"));
        await(Duration.ofSeconds(20), () -> !store.get("acme", gone).orElseThrow().enabled());
        assertThat(receiver.to("/gone")).hasSize(1);
        assertThat(store.deliveries("acme", gone, 10).get(0).status()).isEqualTo(WebhookDelivery.FAILED);
        dispatcher.fanOut(completion("acme", "asset-20260330142158-fffff", "Active"));
        Thread.sleep(1500);
        assertThat(receiver.to("/gone")).hasSize(1); // disabled: no new deliveries
    }

    @Test
    void aHangingReceiverIsCutAtTenSeconds() throws Exception {
        receiver.hangMillis = 15_000;
        String id = register("acme", "/hang").get("id").asText();
        dispatcher.fanOut(completion("acme", "asset-20260330142158-ggggg", "Active"));
        await(Duration.ofSeconds(30), () -> !store.deliveries("acme", id, 10).get(0).attempts().isEmpty());
        WebhookDelivery.Attempt a = store.deliveries("acme", id, 10).get(0).attempts().get(0);
        assertThat(a.statusCode()).isZero();
        assertThat(a.error()).contains("no answer within 10 s");
        assertThat(a.latencyMs()).isBetween(9_900L, 11_000L);
    }

    @Test
    void urlsToLoopbackNotAllowListedOrToTheMetadataAddressAreRefusedAtRegistration() {
        for (String url : List.of("http://127.0.0.1:9/hook", "https://127.0.0.1/hook", "https://169.254.169.254/latest/meta-data/",
                "http://example.com/hook", "ftp://example.com/hook")) {
            assertThatThrownBy(() -> registry.register("acme", JsonCodec.object().put("url", url)))
                    .as(url).isInstanceOfSatisfying(DomainException.class, e -> {
                        assertThat(e.error()).isEqualTo(ErrorCode.WEBHOOK_URL_INVALID);
                        assertThat(e.getMessage()).isNotBlank();
                    });
        }
        assertThat(registry.list("acme").get("items")).isEmpty();
    }

    @Test
    void anAccountNeverReceivesAnothersEventsNorSeesItsEndpoints() throws Exception {
        register("acme", "/acme");
        String other = register("globex", "/globex", "asset.active").get("id").asText();
        dispatcher.fanOut(completion("acme", "asset-20260330142158-hhhhh", "Active"));
        dispatcher.fanOut(completion("globex", "asset-20260330142158-iiiii", "Failed")); // not in its filter
        dispatcher.fanOut(completion("globex", "asset-20260330142158-jjjjj", "Active"));
        await(Duration.ofSeconds(20), () -> receiver.captured.size() == 2);
        Thread.sleep(1000);
        assertThat(receiver.to("/acme")).hasSize(1).allSatisfy(c -> assertThat(c.body()).contains("asset-20260330142158-hhhhh"));
        assertThat(receiver.to("/globex")).hasSize(1).allSatisfy(c -> assertThat(c.body()).contains("asset-20260330142158-jjjjj"));
        assertThat(registry.list("acme").get("items")).hasSize(1);
        assertThatThrownBy(() -> registry.deliveries("acme", other)).isInstanceOfSatisfying(DomainException.class,
                e -> assertThat(e.error()).isEqualTo(ErrorCode.WEBHOOK_NOT_FOUND));
        assertThatThrownBy(() -> registry.rotate("acme", other)).isInstanceOf(DomainException.class);
    }

    @Test
    void atMostTheConfiguredNumberOfEndpointsPerAccount() {
        for (int i = 0; i < 5; i++) {
            register("acme", "/e" + i);
        }
        assertThatThrownBy(() -> register("acme", "/e5")).isInstanceOfSatisfying(DomainException.class,
                e -> assertThat(e.error()).isEqualTo(ErrorCode.WEBHOOK_LIMIT_REACHED));
        register("globex", "/g0");
    }

    @Test
    void aThousandCompletionsToTenEndpointsDeliverEachEventExactlyOncePerEndpointByWebhookId() throws Exception {
        WebhookSettings ten = new WebhookSettings(10, true, Duration.ofSeconds(10), SCALE, 2);
        SecretSealer sealer = new AesGcmSealer("a local key of the test, long enough to be one".getBytes(), new SecureRandom());
        WebhookRegistry big = new WebhookRegistry(store, sealer, FetchAllowList.parse(receiver.origin()), HostResolver.SYSTEM,
                dispatcher, ten, new SecureRandom(), Clock.systemUTC());
        for (int e = 0; e < 10; e++) {
            big.register("bulk", JsonCodec.object().put("url", receiver.url("/bulk/" + e)));
        }
        List<Thread> more = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Thread t = new Thread(this::pump, "test-delivery-poller-" + i);
            t.setDaemon(true);
            t.start();
            more.add(t);
        }
        // completions in batches of 10 through the handler, each batch received twice (SQS is at least once)
        for (int b = 0; b < 100; b++) {
            SQSEvent event = new SQSEvent();
            List<SQSEvent.SQSMessage> records = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
                m.setMessageId("c-" + b + "-" + i);
                m.setBody(JsonCodec.write(completion("bulk", String.format("asset-20260330142158-%05d", b * 10 + i), "Active")));
                records.add(m);
            }
            event.setRecords(records);
            assertThat(handler.handleRequest(event, null).getBatchItemFailures()).isEmpty();
            if (b % 10 == 0) {
                assertThat(handler.handleRequest(event, null).getBatchItemFailures()).isEmpty();
            }
        }
        await(Duration.ofMinutes(8), () -> receiver.byWebhookId.size() == 10_000);
        Thread.sleep(2000);
        pumping = false;
        for (Thread t : more) {
            t.join(5000);
        }
        assertThat(receiver.byWebhookId).hasSize(10_000);
        // every endpoint saw each of the 1,000 assets under exactly one webhook-id
        for (int e = 0; e < 10; e++) {
            List<Receiver.Captured> got = receiver.to("/bulk/" + e);
            java.util.Map<String, java.util.Set<String>> idsByAsset = new java.util.HashMap<>();
            for (Receiver.Captured c : got) {
                String asset = JsonCodec.parse(c.body()).get("data").get("assetId").asText();
                idsByAsset.computeIfAbsent(asset, k -> new java.util.HashSet<>()).add(c.headers().get("webhook-id"));
            }
            assertThat(idsByAsset).as("endpoint %d", e).hasSize(1000);
            assertThat(idsByAsset.values()).allSatisfy(ids -> assertThat(ids).hasSize(1));
        }
    }
}
