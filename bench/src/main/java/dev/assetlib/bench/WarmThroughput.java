package dev.assetlib.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Warm throughput: the upload handler called in a loop in one JVM (its deployment package's
 * classpath, the template's JVM options), against DynamoDB Local in server mode and the local Step
 * Functions endpoint, and in the same JVM its floor: the bare SDK calls the store and the review
 * starter make for one upload. Timed blocks alternate between the two after a warm-up.
 */
final class WarmThroughput {
    private final Layout layout;
    private final ServerStack servers;
    private final Bench.Options options;

    WarmThroughput(Layout layout, ServerStack servers, Bench.Options options) {
        this.layout = layout;
        this.servers = servers;
        this.options = options;
    }

    void run(Report report) throws Exception {
        long warmupMs = options.quick() ? 4_000 : 10_000;
        long blockMs = options.quick() ? 2_000 : 4_000;
        int rounds = options.quick() ? 2 : 4;
        System.out.println("bench: warm upload throughput, " + warmupMs / 1000 + " s warm-up, then " + rounds
                + " x (" + blockMs / 1000 + " s handler + " + blockMs / 1000 + " s floor)");
        Path event = layout.work().resolve("warm-event.json");
        Files.writeString(event, Files.readString(layout.events().resolve("api-seedance-upload.json"))
                .replace(ServerStack.EVENT_KEY_PLACEHOLDER, servers.apiKey));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ColdStart.LAMBDA_JVM_FLAGS);
        command.add("-cp");
        Layout.Task task = layout.task("UploadFunction"); // the upload handler's own package
        command.add(String.join(":", task.function().toString(), task.function() + "/lib/*",
                layout.lambdaRuntime() + "/*", task.floor().toString()));
        command.add("dev.assetlib.bench.floor.WarmLoop");
        command.add(event.toString());
        command.add(Long.toString(warmupMs));
        command.add(Long.toString(blockMs));
        command.add(Integer.toString(rounds));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(servers.lambdaEnvironment());
        env.putAll(Map.of("ASSETS_TABLE", servers.stack.tableName(), "REVIEW_STATE_MACHINE_ARN", servers.parkingArn,
                "REVIEW_DEADLINE_SECONDS", "86400", "MAX_BATCH_URLS", "20"));
        Path out = layout.work().resolve("warm.log");
        pb.redirectErrorStream(true).redirectOutput(out.toFile());
        Process p = pb.start();
        if (!p.waitFor(warmupMs * 2 + blockMs * rounds * 2 + 120_000, TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("the warm loop did not finish; its output:\n" + read(out));
        }
        String line = Files.readAllLines(out).stream().filter(l -> l.startsWith("WARM ")).findFirst().orElse(null);
        if (line == null) {
            throw new IllegalStateException("the warm loop failed; its output:\n" + read(out));
        }
        JsonNode result = Report.MAPPER.readTree(line.substring(5));
        JsonNode h = result.path("handler");
        JsonNode f = result.path("floor");
        double hOps = h.path("ops").asLong() / (h.path("elapsedNanos").asLong() / 1e9);
        double fOps = f.path("ops").asLong() / (f.path("elapsedNanos").asLong() / 1e9);
        double ratio = hOps / fOps;
        boolean met = Report.met(ratio, ">=", 0.70);
        report.table("Warm upload throughput (one warmed JVM, DynamoDB Local server + local Step Functions endpoint)",
                        "loop", "ops/s", "p50 ms", "p99 ms", "calls")
                .row("upload handler", hOps, h.path("p50Nanos").asLong() / 1e6, h.path("p99Nanos").asLong() / 1e6, h.path("ops").asLong())
                .row("floor: TransactWriteItems + StartExecution + UpdateItem", fOps, f.path("p50Nanos").asLong() / 1e6,
                        f.path("p99Nanos").asLong() / 1e6, f.path("ops").asLong())
                .row("handler / floor", String.format(java.util.Locale.ROOT, "%.0f %%", ratio * 100), "", "", met ? "target >= 70 %: met" : "target >= 70 %: MISSED");
        ObjectNode j = report.json.putObject("warmUpload");
        j.put("warmupMs", warmupMs).put("blockMs", blockMs).put("rounds", rounds)
                .put("handlerOpsPerSecond", hOps).put("handlerP50Ms", h.path("p50Nanos").asLong() / 1e6).put("handlerP99Ms", h.path("p99Nanos").asLong() / 1e6)
                .put("floorOpsPerSecond", fOps).put("floorP50Ms", f.path("p50Nanos").asLong() / 1e6).put("floorP99Ms", f.path("p99Nanos").asLong() / 1e6)
                .put("ratio", ratio).put("ratioTarget", 0.70).put("met", met);
        report.target("warm upload throughput, handler / floor", ratio * 100, ">=", 70, " %");
    }

    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }
}
