package dev.assetlib.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.local.sfn.ExecutionView;
import dev.assetlib.local.sfn.LocalLambda;
import dev.assetlib.local.sqs.LocalSqsEventSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Shared review executions (ReviewStartMode shared, the template's default) on the whole local
 * stack: uploads queued on ReviewStartQueue, ReviewStarterFunction's event source (BatchSize and
 * MaximumBatchingWindowInSeconds read from template.yaml) starting shared executions that the real
 * interpreter runs.
 */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class SharedReviewStackTest {
    /** The local sample origin (fetched by the media step; any path serves valid media by extension). */
    static final String SAMPLES = dev.assetlib.local.api.SampleOrigin.base();
    static final String KEY_A = "alk_sharedA0123456789abcdefghijklmnopqrstuvwxyz";
    static final String KEY_B = "alk_sharedB0123456789abcdefghijklmnopqrstuvwxyz";
    static final String REASON = "real-person face (shared test rule)";
    static final Duration PATIENCE = Duration.ofSeconds(90);
    static final double TIME_SCALE = 0.05;

    static RunningStack stack;
    static StackClient a;
    static StackClient b;
    /** While true, the starter's invocations wait (both pollers held, later uploads stay queued). */
    static volatile boolean holdStarter;
    static final AtomicInteger heldStarts = new AtomicInteger();

    @BeforeAll
    static void startStack() throws Exception {
        StackSettings settings = LocalStack.settings("--api-port=0", "--dynamodb-port=0", "--sqs-port=0", "--sfn-port=0",
                "--s3-port=0", "--data-dir=local/target/e2e-uploads-" + java.util.UUID.randomUUID(),
                "--project-dir=..", "--in-memory", "--time-scale=" + TIME_SCALE, "--review-delay=10s",
                "--dev-key", KEY_A + "=shared-a", "--dev-key", KEY_B + "=shared-b", "--reject", "face=" + REASON);
        stack = RunningStack.start(settings, new RunningStack.Hooks(SharedReviewStackTest::holdable, dev.assetlib.local.sfn.LambdaFaultInjector.NONE));
        a = new StackClient(stack, KEY_A);
        b = new StackClient(stack, KEY_B);
    }

    private static LocalLambda holdable(String id, LocalLambda fn) {
        if (!id.equals("ReviewStarterFunction")) {
            return fn;
        }
        return payload -> {
            if (holdStarter) {
                heldStarts.incrementAndGet();
                while (holdStarter) {
                    Thread.sleep(10);
                }
            }
            return fn.invoke(payload);
        };
    }

    @AfterAll
    static void stopStack() {
        for (StackClient c : new StackClient[] {a, b}) {
            if (c != null) {
                c.close();
            }
        }
        if (stack != null) {
            stack.close();
        }
    }

    /** The shared executions whose input reviews this asset. */
    private static List<ExecutionView> executionsOf(String assetId) {
        return stack.stepFunctions().listExecutions(stack.stateMachineArn(), null).stream()
                .filter(e -> e.name().startsWith("review-shared-") && e.input().contains("\"" + assetId + "\"")).toList();
    }

    @Test
    void theStarterPollsWithTheTemplatesBatchSizeAndItsScaledOneSecondWindow() {
        LocalSqsEventSource source = stack.sqsEventSource("ReviewStarterFunction").orElseThrow();
        assertThat(source.batchSize()).isEqualTo(100);
        assertThat(source.batchingWindow()).isEqualTo(Duration.ofMillis(Math.round(1000 * TIME_SCALE)));
    }

    @Test
    void aQuietSingleUploadIsInASharedExecutionAfterOnePollAndEndsWithOneCompletion() {
        String id = a.upload(SAMPLES + "quiet/cat.jpg");
        StackClient.await(PATIENCE, () -> !executionsOf(id).isEmpty(), () -> "no shared execution reviews " + id);
        assertThat(executionsOf(id)).hasSize(1);
        assertThat(a.awaitTerminal(id, PATIENCE).path("status").asText()).isEqualTo("Active");
    }

    @Test
    void uploadsOfTwoAccountsShareAnExecutionAndOnlyTheRejectedAccountsAssetFails() throws Exception {
        // Hold both of the starter's pollers on two plug uploads, so the next two uploads wait on the
        // queue together and the next poll hands them over in one batch.
        holdStarter = true;
        heldStarts.set(0);
        String plug1 = a.upload(SAMPLES + "plug/1.jpg");
        Thread.sleep(300); // past the first poll's window: the second plug goes to the other poller
        String plug2 = b.upload(SAMPLES + "plug/2.jpg");
        StackClient.await(PATIENCE, () -> heldStarts.get() >= 2, () -> "the starter's pollers were not both held");
        String face = a.upload(SAMPLES + "shared/face.jpg");
        String cat = b.upload(SAMPLES + "shared/cat.jpg");
        holdStarter = false;

        StackClient.await(PATIENCE, () -> !executionsOf(face).isEmpty() && !executionsOf(cat).isEmpty(), () -> "not started");
        assertThat(executionsOf(face)).as("one execution reviews both accounts' uploads").hasSize(1)
                .isEqualTo(executionsOf(cat));
        assertThat(a.awaitTerminal(face, PATIENCE).path("errorMessage").asText()).isEqualTo(REASON);
        assertThat(b.awaitTerminal(cat, PATIENCE).path("status").asText()).isEqualTo("Active");
        a.awaitTerminal(plug1, PATIENCE);
        b.awaitTerminal(plug2, PATIENCE);

        assertThat(stack.stepFunctions().awaitIdle(PATIENCE)).isTrue();
        Map<String, List<JsonNode>> completions = new ConcurrentHashMap<>();
        for (Message m : a.drain(stack.queueUrls().get("CompletionQueue"))) {
            JsonNode body = StackClient.json(m.body());
            completions.computeIfAbsent(body.path("assetId").asText(), k -> new CopyOnWriteArrayList<>()).add(body);
        }
        for (String id : List.of(face, cat, plug1, plug2)) {
            assertThat(completions.getOrDefault(id, List.of())).as("completions of %s", id).hasSize(1);
        }
        assertThat(completions.get(face).get(0).path("accountId").asText()).isEqualTo("shared-a");
        assertThat(completions.get(cat).get(0).path("accountId").asText()).isEqualTo("shared-b");
    }
}
