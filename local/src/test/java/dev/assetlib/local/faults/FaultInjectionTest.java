package dev.assetlib.local.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assetlib.local.RunningStack;
import dev.assetlib.local.api.SampleOrigin;
import dev.assetlib.local.sfn.LambdaFaultInjector;
import dev.assetlib.local.sfn.LocalLambda;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Issue 15's fault injection on the whole local stack, one stack per case: faults in front of
 * DynamoDB Local and ElasticMQ (a {@link FaultProxy}), in the task functions (the local Lambda
 * invoker's hooks) and duplicate deliveries of events, each while uploads are being made and
 * reviewed, each ending with {@link Invariant#holds}. Tagged {@code faults}: its own surefire run.
 */
@Tag("faults")
class FaultInjectionTest {
    static final String KEY = "alk_faultsKey0000000000000000000000000000000011";
    static final String ACCOUNT = "faults";
    static final Duration PATIENCE = Duration.ofMinutes(3);
    static final String SAMPLES = SampleOrigin.base();

    static RunningStack start(RunningStack.Hooks hooks, String... more) throws Exception {
        List<String> flags = new ArrayList<>(List.of("--api-port=0", "--dynamodb-port=0", "--sqs-port=0", "--sfn-port=0",
                "--s3-port=0", "--project-dir=..", "--time-scale=0.01", "--review-delay=30s",
                "--dev-key", KEY + "=" + ACCOUNT, "--reject", "rejected=Rejected: injected rule"));
        flags.addAll(List.of(more));
        return RunningStack.start(hooks, flags.toArray(String[]::new));
    }

    /** Uploads from four clients at once: singles, SD2 batches of four (one URL of each rejected) and refused input. */
    static void uploadWhileFaulty(RunningStack stack, FaultClient client, String tag, int rounds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < rounds; i++) {
                        String n = tag + "-" + thread + "-" + i;
                        client.upload(SAMPLES + n + ".jpg", n);
                        client.batch(List.of(SAMPLES + n + "-a.jpg", SAMPLES + n + "-b.png", SAMPLES + n + "-rejected.jpg",
                                SAMPLES + n + "-c-640x480.jpg"));
                        String marker = "refused-" + n;
                        int status = client.refused(FaultClient.SINGLE,
                                "{\"assetType\":\"Image\",\"url\":\"ftp://example.com/" + marker + ".jpg\",\"name\":\"" + marker + "\"}", marker);
                        assertThat(status).as("refused input answers a 4xx").isBetween(400, 499);
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void dynamoDbThrottlingAndServerErrorBurstsLoseNothing() throws Exception {
        FaultProxy[] proxy = new FaultProxy[1];
        RunningStack.Hooks hooks = RunningStack.Hooks.NONE.withFronts(real -> (proxy[0] = FaultProxy.start(real)).endpoint(), u -> u);
        try (RunningStack stack = start(hooks); FaultProxy dynamo = proxy[0]) {
            FaultClient client = new FaultClient(stack.apiEndpoint(), KEY);
            client.upload(SAMPLES + "warm-up.jpg", "warm-up"); // the authorizer's answer is cached from here on
            Duration window = Duration.ofSeconds(6);
            dynamo.inject(c -> true, FaultProxy.dynamoDbThrottling(), 10_000, window, 3);
            dynamo.inject(c -> true, FaultProxy.dynamoDbInternalError(), 10_000, window, 4);
            dynamo.inject(c -> true, FaultProxy.serviceUnavailable(), 10_000, window, 7);
            uploadWhileFaulty(stack, client, "ddb", 3);
            assertThat(dynamo.injected()).as("faults injected").isGreaterThan(20);

            Invariant.Outcome outcome = Invariant.holds(stack, List.of(client), PATIENCE);
            assertThat(outcome.assets()).hasSizeGreaterThanOrEqualTo(client.accepted().size());
            System.out.printf("faults: dynamodb: %d faults injected, %d assets, %d Active, %d Failed%n", dynamo.injected(),
                    outcome.assets().size(), outcome.count("Active"), outcome.count("Failed"));
        }
    }

    @Test
    void sqsSendFailuresLoseNoReviewAndNoCompletion() throws Exception {
        FaultProxy[] proxy = new FaultProxy[1];
        RunningStack.Hooks hooks = RunningStack.Hooks.NONE.withFronts(u -> u, real -> (proxy[0] = FaultProxy.start(real)).endpoint());
        try (RunningStack stack = start(hooks); FaultProxy sqs = proxy[0]) {
            FaultClient client = new FaultClient(stack.apiEndpoint(), KEY);
            client.upload(SAMPLES + "warm-up.jpg", "warm-up");
            Duration window = Duration.ofSeconds(8);
            sqs.inject(c -> c.is("SendMessage", "SendMessageBatch"), FaultProxy.sqsInternalError(), 10_000, window, 2);
            sqs.inject(c -> c.is("SendMessage", "SendMessageBatch"), FaultProxy.serviceUnavailable(), 10_000, window, 3);
            uploadWhileFaulty(stack, client, "sqs", 3);

            Invariant.Outcome outcome = Invariant.holds(stack, List.of(client), PATIENCE);
            assertThat(sqs.injected()).as("send faults injected").isGreaterThan(5);
            System.out.printf("faults: sqs sends: %d faults injected, %d assets, %d Active, %d Failed%n", sqs.injected(),
                    outcome.assets().size(), outcome.count("Active"), outcome.count("Failed"));
        }
    }

    /**
     * Task functions that time out before doing anything (Sandbox.Timedout from the Lambda
     * service) and that crash after doing their work (an uncaught exception once the real
     * handler has run), for every third invocation of the media step and the status check.
     */
    @Test
    void taskFunctionsThatTimeOutOrCrashLeaveNoAssetUndecided() throws Exception {
        AtomicInteger invocations = new AtomicInteger();
        AtomicInteger timedOut = new AtomicInteger();
        AtomicInteger crashed = new AtomicInteger();
        LambdaFaultInjector timeouts = (function, state, attempt) -> {
            if ((function.contains("StatusCheckFunction") || function.contains("MediaFunction"))
                    && invocations.incrementAndGet() % 3 == 0 && timedOut.get() < 60) {
                timedOut.incrementAndGet();
                return new LambdaFaultInjector.Fault("Sandbox.Timedout",
                        "{\"errorMessage\":\"RequestId: injected Error: Task timed out after 20.00 seconds\",\"errorType\":\"Sandbox.Timedout\"}");
            }
            return null;
        };
        AtomicInteger calls = new AtomicInteger();
        BiFunction<String, LocalLambda, LocalLambda> crashAfterWork = (id, fn) -> !Map.of("StatusCheckFunction", 1, "MediaFunction", 1)
                .containsKey(id) ? fn : payload -> {
                    byte[] out = fn.invoke(payload);
                    if (calls.incrementAndGet() % 3 == 1 && crashed.get() < 60) {
                        crashed.incrementAndGet();
                        throw new IllegalStateException("crashed after its work (injected)");
                    }
                    return out;
                };
        try (RunningStack stack = start(new RunningStack.Hooks(crashAfterWork, timeouts))) {
            FaultClient client = new FaultClient(stack.apiEndpoint(), KEY);
            uploadWhileFaulty(stack, client, "task", 3);
            Invariant.Outcome outcome = Invariant.holds(stack, List.of(client), PATIENCE);
            assertThat(timedOut.get()).as("time-outs injected").isGreaterThan(5);
            assertThat(crashed.get()).as("crashes injected").isGreaterThan(5);
            // Transient task errors go back to waiting: only the reject rule's URLs fail.
            outcome.assets().forEach((id, a) -> assertThat(a.get("status").s()).as("%s", a)
                    .isEqualTo(a.get("url").s().contains("rejected") ? "Failed" : "Active"));
            System.out.printf("faults: tasks: %d time-outs, %d crashes, %d assets, %d Active, %d Failed%n", timedOut.get(),
                    crashed.get(), outcome.assets().size(), outcome.count("Active"), outcome.count("Failed"));
        }
    }

    /**
     * At-least-once delivery: every ingest message is sent twice, and the event sources deliver
     * every ingest batch and every ObjectCreated event twice; nothing is created twice and each
     * asset completes once.
     */
    @Test
    void duplicateIngestMessagesAndUploadEventsCreateAndCompleteEachAssetOnce() throws Exception {
        Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
        BiFunction<String, LocalLambda, LocalLambda> twice = (id, fn) -> !id.equals("IngestFunction") && !id.equals("UploadReceivedFunction")
                ? fn : payload -> {
                    deliveries.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                    fn.invoke(payload);
                    return fn.invoke(payload);
                };
        try (RunningStack stack = start(new RunningStack.Hooks(twice, LambdaFaultInjector.NONE))) {
            FaultClient client = new FaultClient(stack.apiEndpoint(), KEY);
            byte[] png = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(SAMPLES + "direct.png")).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body();
            for (int i = 0; i < 5; i++) {
                client.directUpload(png, "direct-" + i);
            }
            int messages = 10;
            var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
            try (SqsClient sqs = SqsClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                    .httpClient(UrlConnectionHttpClient.create()).endpointOverride(stack.sqsEndpoint()).build()) {
                String queue = stack.queueUrls().get("IngestQueue");
                for (int i = 0; i < messages; i++) {
                    String body = i % 2 == 0
                            ? "{\"assetType\":\"Image\",\"url\":\"" + SAMPLES + "ingest-" + i + ".jpg\",\"name\":\"ingest " + i
                                    + "\",\"idempotencyKey\":\"import-" + i + "\"}"
                            : "{\"imageUrls\":[\"" + SAMPLES + "ingest-" + i + "-a.jpg\",\"" + SAMPLES + "ingest-" + i + "-b.jpg\"],"
                                    + "\"idempotencyKey\":\"import-" + i + "\"}";
                    for (int copy = 0; copy < 2; copy++) {
                        sqs.sendMessage(r -> r.queueUrl(queue).messageBody(body).messageAttributes(Map.of("accountId",
                                MessageAttributeValue.builder().dataType("String").stringValue(ACCOUNT).build())));
                    }
                }
            }
            Invariant.Outcome outcome = Invariant.holds(stack, List.of(client), PATIENCE);
            // 5 direct uploads, 5 single and 5 two-image ingest messages: 20 assets, whatever the duplicates.
            assertThat(outcome.assets()).hasSize(5 + 5 + 10);
            assertThat(deliveries.get("IngestFunction")).as("ingest deliveries").isNotNull();
            assertThat(deliveries.get("UploadReceivedFunction")).as("ObjectCreated deliveries").hasValue(5);
            System.out.printf("faults: duplicates: %s deliveries (each twice), %d assets, %d Active, %d Failed%n", deliveries,
                    outcome.assets().size(), outcome.count("Active"), outcome.count("Failed"));
        }
    }
}
