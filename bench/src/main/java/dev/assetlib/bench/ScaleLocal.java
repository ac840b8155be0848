package dev.assetlib.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.local.RunningStack;
import dev.assetlib.local.sfn.LambdaFaultInjector;
import dev.assetlib.local.sfn.LocalLambda;
import dev.assetlib.security.ApiKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The measured half of issue 19 (docs/scale.md, "Local measured simulation"): the real upload and
 * starter code on the whole local stack (HTTP API, UploadFunction, ReviewStartQueue on ElasticMQ,
 * ReviewStarterFunction's event source, the interpreter, StatusCheckFunction, DynamoDB Local), driven
 * as hard as this machine allows by a fixed number of closed-loop clients for a bounded time, once
 * with ReviewStartMode shared and once direct (one execution per upload), in the same run. The
 * simulated reviewer decides after 10 s of stack time; the stack runs time-scaled (so the starter's
 * 1 s window is scaled too). Everything on 127.0.0.1.
 */
final class ScaleLocal {
    static final String UPLOAD = "/kyyReactApiServer/kyyVideo2/asset/upload";
    static final int ACCOUNTS = 4;
    static final double TIME_SCALE = 0.25;

    record Figures(String mode, int clients, double seconds, int uploads, int errors, int executions,
                   double p50, double p99, double startMean, double startP99, double startMax, int started) {
        double rate() {
            return uploads / seconds;
        }

        double executionsPerUpload() {
            return uploads == 0 ? Double.NaN : (double) executions / uploads;
        }
    }

    private final Bench.Options options;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    ScaleLocal(Bench.Options options) {
        this.options = options;
    }

    void run(Report report) throws Exception {
        int clients = options.quick() ? 8 : 16;
        double seconds = options.quick() ? 8 : 20;
        System.out.printf(Locale.ROOT, "bench: scale-local, %d clients for %.0f s per mode (time scale %s)%n", clients, seconds, TIME_SCALE);
        Figures shared = measure("shared", clients, seconds);
        Figures direct = measure("direct", clients, seconds);

        Report.Table t = report.table("Scale, local measured (issue 19): the real upload + starter on the local stack, "
                        + clients + " closed-loop clients for " + Report.num(seconds) + " s per mode, same run",
                "mode", "uploads/s", "uploads (errors)", "executions per upload", "upload p50 / p99 ms",
                "to review start mean / p99 / max ms");
        ArrayNode json = report.json.putObject("scaleLocal").put("clients", clients).put("seconds", seconds)
                .put("timeScale", TIME_SCALE).put("batchingWindowMillis", 1000 * TIME_SCALE).putArray("modes");
        for (Figures f : List.of(shared, direct)) {
            t.row(f.mode().equals("shared") ? "shared (N = 100, window 1 s x " + TIME_SCALE + ")" : "direct (one execution per upload)",
                    Report.num(f.rate()), f.uploads() + " (" + f.errors() + ")", Report.num(f.executionsPerUpload()),
                    Report.num(f.p50()) + " / " + Report.num(f.p99()),
                    Report.num(f.startMean()) + " / " + Report.num(f.startP99()) + " / " + Report.num(f.startMax()));
            ObjectNode o = json.addObject();
            o.put("mode", f.mode()).put("uploadsPerSecond", f.rate()).put("uploads", f.uploads()).put("errors", f.errors())
                    .put("executions", f.executions()).put("executionsPerUpload", f.executionsPerUpload())
                    .put("uploadP50Millis", f.p50()).put("uploadP99Millis", f.p99()).put("reviewStartMeanMillis", f.startMean())
                    .put("reviewStartP99Millis", f.startP99()).put("reviewStartMaxMillis", f.startMax())
                    .put("reviewsStartedInRun", f.started());
        }
        report.target("scale local: sustained uploads/s, shared / one-per-upload (same run)", shared.rate() / direct.rate(), ">=", 1, "");
        report.target("scale local: executions started per upload, shared", shared.executionsPerUpload(), "<=", 0.05, "");
        report.target("scale local: upload to review start, max, shared (window " + Report.num(1000 * TIME_SCALE) + " ms + 500 ms)",
                shared.startMax(), "<=", 1000 * TIME_SCALE + 500, " ms");
        report.target("scale local: uploads that failed", shared.errors() + direct.errors(), "<=", 0, "");
    }

    private Figures measure(String mode, int clients, double seconds) throws Exception {
        List<String> keys = new ArrayList<>();
        List<String> flags = new ArrayList<>(List.of("--project-dir", options.project().toString(), "--api-port", "0",
                "--dynamodb-port", "0", "--sqs-port", "0", "--sfn-port", "0", "--s3-port", "0", "--review-delay", "10s",
                "--time-scale", Double.toString(TIME_SCALE), "--parameter", "ReviewStartMode=" + mode));
        for (int i = 0; i < ACCOUNTS; i++) {
            String key = ApiKeys.generate(new SecureRandom());
            keys.add(key);
            flags.add("--dev-key");
            flags.add(key + "=bench-scale-" + i);
        }
        // When each asset's review began: the first submit task that carries it (shared or not).
        Map<String, Long> submittedAt = new ConcurrentHashMap<>();
        RunningStack.Hooks hooks = new RunningStack.Hooks((id, fn) -> id.equals("StatusCheckFunction") ? watched(fn, submittedAt) : fn,
                LambdaFaultInjector.NONE);
        try (RunningStack stack = RunningStack.start(hooks, flags.toArray(String[]::new))) {
            URI api = stack.apiEndpoint();
            load(api, keys, clients, 3, mode + "-warm", new ConcurrentHashMap<>(), new ArrayList<>(), new AtomicInteger());
            stack.stepFunctions().awaitIdle(Duration.ofSeconds(30));
            int before = stack.stepFunctions().listExecutions(stack.stateMachineArn(), null).size();
            submittedAt.clear();
            Map<String, Long> uploadedAt = new ConcurrentHashMap<>();
            List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger errors = new AtomicInteger();
            double elapsed = load(api, keys, clients, seconds, mode, uploadedAt, latencies, errors);
            // Let the last uploads' reviews begin (bounded), then count.
            long wait = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < wait && !submittedAt.keySet().containsAll(uploadedAt.keySet())) {
                Thread.sleep(20);
            }
            int executions = stack.stepFunctions().listExecutions(stack.stateMachineArn(), null).size() - before;
            List<Double> toStart = new ArrayList<>();
            uploadedAt.forEach((id, at) -> {
                Long s = submittedAt.get(id);
                if (s != null) {
                    toStart.add(Math.max(0, (s - at) / 1e6));
                }
            });
            Figures f = new Figures(mode, clients, elapsed, latencies.size(), errors.get(), executions,
                    Stats.median(latencies), Stats.percentile(latencies, 0.99), Stats.mean(toStart), Stats.percentile(toStart, 0.99),
                    toStart.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN), toStart.size());
            System.out.printf(Locale.ROOT, "  %s: %d uploads in %.1f s (%.0f/s), %d executions, %d errors%n",
                    mode, f.uploads(), elapsed, f.rate(), executions, f.errors());
            return f;
        }
    }

    /** {@code clients} closed-loop clients uploading for {@code seconds}; the seconds it took. */
    private double load(URI api, List<String> keys, int clients, double seconds, String tag, Map<String, Long> uploadedAt,
                        List<Double> latencies, AtomicInteger errors) throws InterruptedException {
        AtomicInteger n = new AtomicInteger();
        long end = System.nanoTime() + Math.round(seconds * 1e9);
        CountDownLatch done = new CountDownLatch(clients);
        long started = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            String key = keys.get(c % keys.size());
            Thread t = new Thread(() -> {
                try {
                    while (System.nanoTime() < end) {
                        int i = n.incrementAndGet();
                        long t0 = System.nanoTime();
                        String id = upload(api, key, dev.assetlib.local.api.SampleOrigin.base() + "scale/" + tag + "-" + i + ".jpg");
                        long t1 = System.nanoTime();
                        if (id == null) {
                            errors.incrementAndGet();
                        } else {
                            latencies.add((t1 - t0) / 1e6);
                            uploadedAt.put(id, t1);
                        }
                    }
                } finally {
                    done.countDown();
                }
            }, "scale-client-" + c);
            t.setDaemon(true);
            t.start();
        }
        done.await();
        return (System.nanoTime() - started) / 1e9;
    }

    private static LocalLambda watched(LocalLambda fn, Map<String, Long> submittedAt) {
        return payload -> {
            long now = System.nanoTime();
            JsonNode request = Report.MAPPER.readTree(payload);
            if ("submit".equals(request.path("action").asText())) {
                for (JsonNode p : request.path("review").path("pending")) {
                    submittedAt.putIfAbsent(p.path("assetId").asText(), now);
                }
            }
            return fn.invoke(payload);
        };
    }

    /** One Seedance upload; the new asset id, or null when it was not accepted. */
    private String upload(URI api, String key, String url) {
        String body = "{\"assetType\":\"Image\",\"url\":\"" + url + "\"}";
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(api.resolve(UPLOAD)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return null;
            }
            String id = Report.MAPPER.readTree(r.body()).path("data").path("assetId").asText("");
            return id.isEmpty() ? null : id;
        } catch (Exception e) {
            return null;
        }
    }
}
