package dev.assetlib.bench.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.assetlib.local.RunningStack;
import dev.assetlib.local.api.SampleOrigin;
import dev.assetlib.local.sfn.ExecutionView;
import dev.assetlib.local.sfn.LambdaFaultInjector;
import dev.assetlib.security.ApiKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The review's state transitions per asset, media step included, on the local stack's
 * interpreter (which counts them as Step Functions bills them: states entered plus retries): N
 * Seedance single uploads against one SD2 batch of N, every URL on the JVM's allow-listed sample
 * origin (distinct bytes per URL, so no asset takes over a twin's decision). In shared mode
 * (ReviewStartMode's default) each single is uploaded only once the previous one's execution
 * started, so that it is reviewed alone (a quiet system: the singles' worst case; a burst would
 * share executions); in direct mode the singles go one after another. The batch is uploaded
 * after the singles' executions exist, so the executions that appear then are the batch's.
 */
public final class ReviewTransitions {
    static final String SEEDANCE_UPLOAD = "/kyyReactApiServer/kyyVideo2/asset/upload";
    static final String SD2_UPLOAD = "/kyyReactApiServer/asset/sd2Manxue/assetUpload";
    static final String SD2_STATUS = "/kyyReactApiServer/asset/sd2Manxue/assetStatus";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One mode's counts: the executions and their transitions, for the singles and for the batch. */
    public record Counts(String mode, int assets, int singleExecutions, long singleTransitions, int batchExecutions,
                         long batchTransitions, boolean mediaStepInEvery) {
        public double singlePerAsset() {
            return (double) singleTransitions / assets;
        }

        public double batchPerAsset() {
            return (double) batchTransitions / assets;
        }

        public double share() {
            return batchPerAsset() / singlePerAsset();
        }
    }

    private final Path project;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ReviewTransitions(Path project) {
        this.project = project;
    }

    /** {@code reviewSeconds}: the simulated reviewer's decision time (the stack runs at half speed). */
    public Counts measure(String mode, int assets, int reviewSeconds) throws Exception {
        String key = ApiKeys.generate(new SecureRandom());
        String samples = SampleOrigin.base();
        String tag = mode + "-" + Long.toHexString(System.nanoTime());
        List<String> flags = List.of("--project-dir", project.toString(), "--api-port", "0", "--dynamodb-port", "0",
                "--sqs-port", "0", "--sfn-port", "0", "--s3-port", "0", "--dev-key", key + "=bench-media",
                "--review-delay", reviewSeconds + "s", "--time-scale", "0.5", "--parameter", "ReviewStartMode=" + mode);
        RunningStack.Hooks hooks = new RunningStack.Hooks((id, fn) -> fn, LambdaFaultInjector.NONE);
        try (RunningStack stack = RunningStack.start(hooks, flags.toArray(String[]::new))) {
            URI api = stack.apiEndpoint();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < assets; i++) {
                int before = executions(stack).size();
                JsonNode r = post(api, key, SEEDANCE_UPLOAD, "{\"assetType\":\"Image\",\"url\":\"" + samples + "media-" + tag
                        + "-single-" + i + ".jpg\"}");
                ids.add(r.path("data").path("assetId").asText());
                if (mode.equals("shared")) {
                    awaitExecutions(stack, before + 1);
                }
            }
            awaitExecutions(stack, assets);
            Set<String> singles = new HashSet<>(arns(executions(stack)));
            StringBuilder urls = new StringBuilder();
            for (int i = 0; i < assets; i++) {
                urls.append(i == 0 ? "" : ",").append('"').append(samples).append("media-").append(tag).append("-batch-").append(i).append(".png\"");
            }
            JsonNode batch = post(api, key, SD2_UPLOAD, "{\"imageUrls\":[" + urls + "]}");
            for (JsonNode item : batch.path("data").path("items")) {
                ids.add(item.path("assetId").asText());
            }
            if (ids.size() != 2 * assets) {
                throw new IllegalStateException("the uploads did not create " + 2 * assets + " assets: " + batch);
            }
            awaitExecutions(stack, singles.size() + 1);
            awaitActive(api, key, ids);
            if (!stack.stepFunctions().awaitIdle(Duration.ofSeconds(60))) {
                throw new IllegalStateException("review executions still running after every asset read Active");
            }
            long singleTransitions = 0;
            long batchTransitions = 0;
            int batchExecutions = 0;
            boolean media = true;
            for (ExecutionView e : executions(stack)) {
                if (!"SUCCEEDED".equals(String.valueOf(e.status()))) {
                    throw new IllegalStateException(e.executionArn() + " ended " + e.status() + ": " + e.error() + " " + e.cause());
                }
                media &= enteredInspectMedia(stack.stepFunctions().history(e.executionArn()));
                if (singles.contains(e.executionArn())) {
                    singleTransitions += e.stateTransitions();
                } else {
                    batchTransitions += e.stateTransitions();
                    batchExecutions++;
                }
            }
            return new Counts(mode, assets, singles.size(), singleTransitions, batchExecutions, batchTransitions, media);
        }
    }

    static boolean enteredInspectMedia(List<JsonNode> history) {
        for (JsonNode e : history) {
            if (e.path("type").asText().endsWith("StateEntered") && "InspectMedia".equals(e.path("stateEnteredEventDetails").path("name").asText())) {
                return true;
            }
        }
        return false;
    }

    private static List<ExecutionView> executions(RunningStack stack) {
        return stack.stepFunctions().listExecutions(stack.stateMachineArn(), null);
    }

    private static List<String> arns(List<ExecutionView> views) {
        return views.stream().map(ExecutionView::executionArn).toList();
    }

    private static void awaitExecutions(RunningStack stack, int n) throws InterruptedException {
        long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (executions(stack).size() < n) {
            if (System.nanoTime() > giveUp) {
                throw new IllegalStateException("only " + executions(stack).size() + " of " + n + " review executions started");
            }
            Thread.sleep(20);
        }
    }

    private void awaitActive(URI api, String key, List<String> ids) throws Exception {
        Set<String> pending = new LinkedHashSet<>(ids);
        long giveUp = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!pending.isEmpty()) {
            if (System.nanoTime() > giveUp) {
                throw new IllegalStateException(pending.size() + " assets never read Active: " + pending);
            }
            List<String> chunk = pending.stream().limit(20).toList();
            JsonNode r = post(api, key, SD2_STATUS, "{\"assetIds\":" + JSON.writeValueAsString(chunk) + "}");
            for (JsonNode item : r.path("data").path("items")) {
                String status = item.path("status").asText();
                if (status.equals("Active")) {
                    pending.remove(item.path("assetId").asText());
                } else if (status.equals("Failed")) {
                    throw new IllegalStateException("asset " + item + " failed: the benchmark expects approvals");
                }
            }
            Thread.sleep(50);
        }
    }

    private JsonNode post(URI api, String key, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("POST " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }
}
