package dev.assetlib.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The local stack keeps what it accepted: with a data dir, a restart finds the assets in
 * DynamoDB Local's file and the generated development key in DIR/dev-key; with --in-memory
 * nothing is kept.
 */
class LocalStackRestartTest {
    /** Sample media on the JVM's allow-listed sample origin (the media step fetches every URL). */
    static final String SAMPLES = dev.assetlib.local.api.SampleOrigin.base();
    static String[] flags(Path dataDir, String... more) {
        java.util.List<String> f = new java.util.ArrayList<>(java.util.List.of("--api-port=0", "--dynamodb-port=0",
                "--sqs-port=0", "--sfn-port=0", "--s3-port=0", "--data-dir=" + dataDir, "--project-dir=..",
                "--review-delay=1h"));
        if (java.util.Arrays.stream(more).anyMatch(m -> m.startsWith("--review-delay"))) {
            f.remove("--review-delay=1h");
        }
        f.addAll(java.util.List.of(more));
        return f.toArray(String[]::new);
    }

    @Test
    void anAcceptedAssetAndTheGeneratedKeySurviveARestart() throws Exception {
        Path dataDir = Path.of("target", "restart-" + UUID.randomUUID()).toAbsolutePath();
        String key;
        String assetId;
        try (RunningStack first = RunningStack.start(LocalStack.runSettings(flags(dataDir)), RunningStack.Hooks.NONE)) {
            key = first.devKeys().get(0).key();
            try (StackClient client = new StackClient(first, key)) {
                assetId = client.upload(SAMPLES + "kept/portrait.jpg");
            }
        }
        assertThat(Files.readString(dataDir.resolve("dev-key")).trim()).isEqualTo(key);
        assertThat(dataDir.resolve("dynamodb")).isNotEmptyDirectory();

        try (RunningStack second = RunningStack.start(LocalStack.runSettings(flags(dataDir)), RunningStack.Hooks.NONE)) {
            assertThat(second.devKeys().get(0).key()).isEqualTo(key);
            try (StackClient client = new StackClient(second, key)) {
                JsonNode detail = client.detail(assetId);
                assertThat(detail.path("assetId").asText()).as(detail.toString()).isEqualTo(assetId);
            }
        }
    }

    /**
     * Issue 15, hole 1: the review executions live in memory, so a stop loses the one of an asset
     * under review; after the restart the reconciler (the template's every-minute schedule, run by
     * the local stack on its scaled clock) finds it gone and resumes it under a derived name, and
     * the asset ends Active with one completion.
     */
    @Test
    void aReviewInFlightAtAStopIsResumedAfterTheRestart() throws Exception {
        Path dataDir = Path.of("target", "restart-review-" + UUID.randomUUID()).toAbsolutePath();
        String[] run = flags(dataDir, "--time-scale=0.01"); // the review delay of 1 h takes 36 s
        String key;
        String assetId;
        try (RunningStack first = RunningStack.start(LocalStack.runSettings(run), RunningStack.Hooks.NONE)) {
            key = first.devKeys().get(0).key();
            try (StackClient client = new StackClient(first, key)) {
                assetId = client.upload(SAMPLES + "in-flight/portrait.jpg");
                assertThat(client.detail(assetId).path("status").asText()).isEqualTo("Processing");
            }
        }
        try (RunningStack second = RunningStack.start(LocalStack.runSettings(run), RunningStack.Hooks.NONE);
             StackClient client = new StackClient(second, key)) {
            // A wait, not a measure: 36 s of review delay plus the restart and the reconciler's next run, which a loaded CI machine stretched past 90 s.
            JsonNode done = client.awaitTerminal(assetId, java.time.Duration.ofMinutes(4));
            assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("Active");
            java.util.List<software.amazon.awssdk.services.sqs.model.Message> completions = new java.util.ArrayList<>();
            StackClient.await(java.time.Duration.ofSeconds(10), () -> {
                completions.addAll(client.drain(second.queueUrls().get("CompletionQueue")));
                return !completions.isEmpty();
            }, () -> "no completion for " + assetId);
            assertThat(completions).hasSize(1);
            assertThat(completions.get(0).body()).contains(assetId).contains("Active");
        }
    }

    /**
     * The queues keep what they hold: a completion published before a stop, not yet received by
     * the client, is received after the restart (ElasticMQ's H2 store in DIR/elasticmq), once.
     */
    @Test
    void aCompletionNotYetReceivedAtAStopIsReceivedAfterTheRestart() throws Exception {
        Path dataDir = Path.of("target", "restart-queue-" + UUID.randomUUID()).toAbsolutePath();
        String[] run = flags(dataDir, "--time-scale=0.01", "--review-delay=1s");
        String key;
        String assetId;
        try (RunningStack first = RunningStack.start(LocalStack.runSettings(run), RunningStack.Hooks.NONE)) {
            key = first.devKeys().get(0).key();
            try (StackClient client = new StackClient(first, key)) {
                assetId = client.upload(SAMPLES + "queued/portrait.jpg");
                assertThat(client.awaitTerminal(assetId, java.time.Duration.ofSeconds(60)).path("status").asText())
                        .isEqualTo("Active");
                String url = first.queueUrls().get("CompletionQueue");
                // The completion is on the queue (published), and nobody has received it.
                StackClient.await(java.time.Duration.ofSeconds(10), () -> Integer.parseInt(client.sqs.getQueueAttributes(
                                r -> r.queueUrl(url).attributeNamesWithStrings("ApproximateNumberOfMessages"))
                        .attributesAsStrings().get("ApproximateNumberOfMessages")) == 1, () -> "no completion on the queue");
            }
        }
        assertThat(dataDir.resolve("elasticmq")).isNotEmptyDirectory();
        try (RunningStack second = RunningStack.start(LocalStack.runSettings(run), RunningStack.Hooks.NONE);
             StackClient client = new StackClient(second, key)) {
            java.util.List<software.amazon.awssdk.services.sqs.model.Message> completions =
                    client.drain(second.queueUrls().get("CompletionQueue"));
            assertThat(completions).hasSize(1);
            assertThat(completions.get(0).body()).contains(assetId).contains("Active");
        }
    }

    @Test
    void inMemoryKeepsNothing() throws Exception {
        Path dataDir = Path.of("target", "restart-mem-" + UUID.randomUUID()).toAbsolutePath();
        String key;
        try (RunningStack first = RunningStack.start(LocalStack.runSettings(flags(dataDir, "--in-memory")),
                RunningStack.Hooks.NONE)) {
            key = first.devKeys().get(0).key();
        }
        assertThat(dataDir.resolve("dev-key")).doesNotExist();
        assertThat(dataDir.resolve("dynamodb")).doesNotExist();
        assertThat(dataDir.resolve("elasticmq")).doesNotExist();
        try (RunningStack second = RunningStack.start(LocalStack.runSettings(flags(dataDir, "--in-memory")),
                RunningStack.Hooks.NONE)) {
            assertThat(second.devKeys().get(0).key()).isNotEqualTo(key);
        }
    }
}
