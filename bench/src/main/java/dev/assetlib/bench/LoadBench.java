package dev.assetlib.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.local.RunningStack;
import dev.assetlib.local.api.SampleOrigin;
import dev.assetlib.security.ApiKeys;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Issue 15's load figures on the whole local stack in this JVM (docs/reliability.md): 1,000 single
 * uploads from 64 concurrent clients (throughput, latency, errors), then SD2 batches of 20 from the
 * same 64 clients until 10,000 assets are under review at once, with the JVM's heap measured as
 * used after GC (the collectors' own figure, sampled every 250 ms, and once after a System.gc()
 * with everything in flight). The reviewer takes an hour of real time (time scale 1), so nothing
 * completes during the run: every accepted asset is in flight when it is measured. The stack's
 * media step fetches each upload from the JVM's sample origin and copies it into S3Mock, as for any
 * upload. {@code ./bench/run --only load} runs this JVM with -Xmx1g (the target).
 */
final class LoadBench {
    static final String SINGLE = "/kyyReactApiServer/kyyVideo2/asset/upload";
    static final String BATCH = "/kyyReactApiServer/asset/sd2Manxue/assetUpload";
    static final int CLIENTS = 64;
    static final int BATCH_SIZE = 20;

    private final Bench.Options options;
    private final java.util.concurrent.atomic.AtomicReference<String> firstError = new java.util.concurrent.atomic.AtomicReference<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    LoadBench(Bench.Options options) {
        this.options = options;
    }

    record Phase(int requests, int assets, int errors, double seconds, List<Double> latencies) {
        double requestsPerSecond() {
            return requests / seconds;
        }
    }

    void run(Report report) throws Exception {
        int singles = options.quick() ? 200 : 1_000;
        int inFlightTarget = options.quick() ? 2_000 : 10_000;
        String key = ApiKeys.generate(new SecureRandom());
        String[] flags = {"--project-dir", options.project().toString(), "--api-port", "0", "--dynamodb-port", "0",
                "--sqs-port", "0", "--sfn-port", "0", "--s3-port", "0", "--review-delay", "1h", "--time-scale", "1",
                "--dev-key", key + "=bench-load"};
        // The sample origin first: a stack allow-lists the JVM's sample origin if it runs when the stack starts.
        String samples = SampleOrigin.base();
        HeapSampler heap = new HeapSampler();
        double loadBefore = loadAverage();
        System.out.printf(Locale.ROOT, "bench: load, %d singles from %d clients, then batches of %d to %d in flight (max heap %d MiB)%n",
                singles, CLIENTS, BATCH_SIZE, inFlightTarget, Runtime.getRuntime().maxMemory() >> 20);
        try (RunningStack stack = RunningStack.start(RunningStack.Hooks.NONE, flags)) {
            heap.start();
            Phase one = phase(stack.apiEndpoint(), key, singles, i -> new Request(SINGLE,
                    "{\"assetType\":\"Image\",\"url\":\"" + samples + "load/single-" + i + ".jpg\",\"name\":\"load " + i + "\"}", 1));
            System.out.printf(Locale.ROOT, "  singles: %d in %.1f s, %d errors%n", one.requests(), one.seconds(), one.errors());
            int batches = (inFlightTarget - one.assets()) / BATCH_SIZE;
            Phase two = phase(stack.apiEndpoint(), key, batches, i -> {
                StringBuilder b = new StringBuilder("{\"imageUrls\":[");
                for (int j = 0; j < BATCH_SIZE; j++) {
                    b.append(j == 0 ? "\"" : ",\"").append(samples).append("load/batch-").append(i).append('-').append(j).append(".jpg\"");
                }
                return new Request(BATCH, b.append("]}").toString(), BATCH_SIZE);
            });
            System.out.printf(Locale.ROOT, "  batches: %d in %.1f s, %d errors%n", two.requests(), two.seconds(), two.errors());
            // Every accepted asset's review under way: the start queue drained into running executions
            // (bounded wait; the heap is sampled all along, media steps included).
            double startedAfter = awaitStarted(stack, Duration.ofMinutes(6));
            System.out.printf(Locale.ROOT, "  review starts drained %.1f s after the last upload%n", startedAfter);
            long inFlight = underReview(stack);
            int executions = stack.stepFunctions().listExecutions(stack.stateMachineArn(),
                    dev.assetlib.local.sfn.ExecutionStatus.RUNNING).size();
            long peakAfterGc = heap.stop();
            System.gc();
            Thread.sleep(500);
            long afterFullGc = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            double loadAfter = loadAverage();
            System.out.printf(Locale.ROOT, "  in flight: %d assets, %d executions; heap after GC peak %d MiB, after a full GC %d MiB%n",
                    inFlight, executions, peakAfterGc >> 20, afterFullGc >> 20);

            Report.Table t = report.table("Load (issue 15): the whole local stack in one JVM (max heap "
                            + (Runtime.getRuntime().maxMemory() >> 20) + " MiB), " + CLIENTS + " concurrent clients; load average "
                            + Report.num(loadBefore) + " at start, " + Report.num(loadAfter) + " at the end",
                    "phase", "requests (errors)", "assets", "seconds", "requests/s", "latency p50 / p99 ms");
            t.row(singles + " single uploads", one.requests() + " (" + one.errors() + ")", Integer.toString(one.assets()),
                    Report.num(one.seconds()), Report.num(one.requestsPerSecond()),
                    Report.num(Stats.median(one.latencies())) + " / " + Report.num(Stats.percentile(one.latencies(), 0.99)));
            t.row("SD2 batches of " + BATCH_SIZE, two.requests() + " (" + two.errors() + ")", Integer.toString(two.assets()),
                    Report.num(two.seconds()), Report.num(two.requestsPerSecond()),
                    Report.num(Stats.median(two.latencies())) + " / " + Report.num(Stats.percentile(two.latencies(), 0.99)));
            Report.Table h = report.table("Load: reviews in flight at once and the heap", "assets under review", "executions",
                    "heap used after GC, peak (MiB)", "after a full GC with all in flight (MiB)", "max heap (MiB)",
                    "starts drained after the last upload (s)");
            h.row(Long.toString(inFlight), Integer.toString(executions), Long.toString(peakAfterGc >> 20),
                    Long.toString(afterFullGc >> 20), Long.toString(Runtime.getRuntime().maxMemory() >> 20), Report.num(startedAfter));
            report.json.putObject("load").put("clients", CLIENTS).put("singles", one.requests()).put("singleErrors", one.errors())
                    .put("singleSeconds", one.seconds()).put("singleP50Millis", Stats.median(one.latencies()))
                    .put("singleP99Millis", Stats.percentile(one.latencies(), 0.99)).put("batches", two.requests())
                    .put("batchErrors", two.errors()).put("batchSeconds", two.seconds()).put("inFlight", inFlight)
                    .put("executions", executions).put("startsDrainedSeconds", startedAfter).put("heapAfterGcPeakMiB", peakAfterGc >> 20)
                    .put("heapAfterFullGcMiB", afterFullGc >> 20).put("maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20)
                    .put("loadAverageStart", loadBefore).put("loadAverageEnd", loadAfter);
            report.target("load: uploads that failed (" + CLIENTS + " clients)", one.errors() + two.errors(), "<=", 0, "");
            report.target("load: assets under review at once", inFlight, ">=", inFlightTarget, "");
            report.target("load: heap used after GC with them in flight", peakAfterGc >> 20, "<=", 1024, " MiB");
        }
    }

    record Request(String route, String body, int assets) {
    }

    private Phase phase(URI api, String key, int count, java.util.function.IntFunction<Request> requests) throws Exception {
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger assets = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        long start = System.nanoTime();
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            clients.add(pool.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < count; ) {
                    Request r = requests.apply(i);
                    long t0 = System.nanoTime();
                    int accepted = send(api, key, r);
                    latencies.add((System.nanoTime() - t0) / 1e6);
                    if (accepted < 0) {
                        errors.incrementAndGet();
                    } else {
                        assets.addAndGet(accepted);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : clients) {
            f.get();
        }
        pool.shutdown();
        return new Phase(count, assets.get(), errors.get(), (System.nanoTime() - start) / 1e9, latencies);
    }

    /** The number of assets the upload accepted, or -1 when it was not answered 200. */
    private int send(URI api, String key, Request r) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(api.resolve(r.route())).timeout(Duration.ofSeconds(120))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(r.body())).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = Report.MAPPER.readTree(response.body());
            JsonNode data = body.path("data");
            if (response.statusCode() != 200 || data.path("failedItems").size() > 0) {
                if (firstError.compareAndSet(null, response.statusCode() + " " + response.body())) {
                    System.out.println("  first error: " + firstError.get());
                }
                return -1;
            }
            return data.has("items") ? data.path("items").size() : 1;
        } catch (Exception e) {
            return -1;
        }
    }

    /** Waits until the review start queue holds nothing (visible or in flight) twice in a row; the seconds it took, or -1. */
    private static double awaitStarted(RunningStack stack, Duration patience) throws InterruptedException {
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        long start = System.nanoTime();
        try (var sqs = software.amazon.awssdk.services.sqs.SqsClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).endpointOverride(stack.sqsEndpoint()).build()) {
            String queue = stack.queueUrls().get("ReviewStartQueue");
            int emptyLooks = 0;
            while (System.nanoTime() - start < patience.toNanos()) {
                Map<String, String> a = sqs.getQueueAttributes(r -> r.queueUrl(queue).attributeNamesWithStrings(
                        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")).attributesAsStrings();
                boolean empty = a.values().stream().allMatch("0"::equals);
                emptyLooks = empty ? emptyLooks + 1 : 0;
                if (emptyLooks >= 2) {
                    return (System.nanoTime() - start) / 1e9;
                }
                Thread.sleep(1000);
            }
        }
        return -1;
    }

    /** Assets not yet Active or Failed, counted in the table. */
    private static long underReview(RunningStack stack) {
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        try (DynamoDbClient dynamo = DynamoDbClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).endpointOverride(stack.dynamoDbEndpoint()).build()) {
            AtomicLong n = new AtomicLong();
            dynamo.scanPaginator(r -> r.tableName(stack.tableName())
                    .filterExpression("begins_with(sk, :asset) AND NOT contains(sk, :ev) AND #s IN (:p, :s)")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":asset", AttributeValue.fromS("ASSET#"), ":ev", AttributeValue.fromS("#EV#"),
                            ":p", AttributeValue.fromS("Processing"), ":s", AttributeValue.fromS("submitted")))
                    .select("COUNT")).forEach(page -> n.addAndGet(page.count()));
            return n.get();
        }
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** The heap used after the latest collection (summed over the heap pools), its peak over the run. */
    static final class HeapSampler {
        private final AtomicLong peak = new AtomicLong();
        private volatile boolean running;
        private Thread thread;

        void start() {
            running = true;
            thread = new Thread(() -> {
                while (running) {
                    long used = 0;
                    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                        MemoryUsage afterGc = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
                        if (afterGc != null) {
                            used += afterGc.getUsed();
                        }
                    }
                    long u = used;
                    peak.accumulateAndGet(u, Math::max);
                    try {
                        Thread.sleep(250);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        long stop() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join();
            return peak.get();
        }
    }
}
