package dev.assetlib.bench;

import com.sun.net.httpserver.HttpServer;
import dev.assetlib.local.RunningStack;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * Webhook delivery on the whole local stack: completions sent to the webhook event queue (as the
 * publisher does), fanned out and delivered by WebhookDeliveryFunction through the stack's queue
 * pollers to a local receiver with two endpoints per completion. Latency runs from the send of the
 * completion to the receiver's arrival of each delivery; throughput is deliveries over the whole
 * run. The floor: the same signed-size POSTs sent to the same receiver by a bare HTTP client loop.
 */
final class WebhookDelivery {
    static final String KEY = "alk_benchWebhookKey123456abcdefghijklmnopqrstuv";
    static final java.util.regex.Pattern ASSET = java.util.regex.Pattern.compile("\"assetId\":\"([^\"]+)\"");
    private final Bench.Options options;

    WebhookDelivery(Bench.Options options) {
        this.options = options;
    }

    void run(Report report) throws Exception {
        int completions = options.quick() ? 200 : 1000;
        Map<String, Long> arrivals = new ConcurrentHashMap<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 500);
        receiver.setExecutor(Executors.newFixedThreadPool(16));
        receiver.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            long now = System.nanoTime();
            java.util.regex.Matcher m = ASSET.matcher(body);
            if (exchange.getRequestHeaders().getFirst("webhook-id") != null && m.find()) {
                arrivals.putIfAbsent(m.group(1) + exchange.getRequestURI().getPath(), now);
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        String origin = "127.0.0.1:" + receiver.getAddress().getPort();
        System.out.println("bench: webhook delivery, " + completions + " completions x 2 endpoints on the local stack");
        List<Double> latencies = new ArrayList<>();
        double perSecond;
        try (RunningStack stack = RunningStack.start(RunningStack.Hooks.NONE, "--api-port=0", "--dynamodb-port=0", "--sqs-port=0",
                "--sfn-port=0", "--s3-port=0", "--project-dir=" + options.project(), "--dev-key", KEY + "=bench-hooks",
                "--parameter", "FetchAllowOrigins=" + origin)) {
            HttpClient http = HttpClient.newHttpClient();
            for (String path : List.of("/a", "/b")) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(stack.apiEndpoint().resolve("/kyyReactApiServer/kyyVideo2/webhooks"))
                        .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"http://" + origin + path + "\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("webhook registration: " + r.body());
                }
            }
            var sqs = software.amazon.awssdk.services.sqs.SqsClient.builder().endpointOverride(stack.sqsEndpoint())
                    .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                    .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("local", "local")))
                    .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build();
            String queue = stack.queueUrls().get("WebhookEventQueue");
            Map<String, Long> sent = new ConcurrentHashMap<>();
            long start = System.nanoTime();
            for (int i = 0; i < completions; i++) {
                String assetId = String.format("asset-20260330142158-b%04d", i);
                String body = "{\"assetId\":\"" + assetId + "\",\"accountId\":\"bench-hooks\",\"assetType\":\"Image\",\"status\":\"Active\","
                        + "\"uri\":\"asset://" + assetId + "\",\"url\":\"https://example.com/b.jpg\",\"createdAt\":\"2026-03-30T14:21:58Z\","
                        + "\"completedAt\":\"" + Instant.now() + "\"}";
                sent.put(assetId, System.nanoTime());
                sqs.sendMessage(r -> r.queueUrl(queue).messageBody(body).messageGroupId(assetId).messageDeduplicationId(assetId));
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (arrivals.size() < completions * 2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            long end = arrivals.values().stream().mapToLong(Long::longValue).max().orElse(System.nanoTime());
            perSecond = arrivals.size() / ((end - start) / 1e9);
            arrivals.forEach((key, at) -> latencies.add((at - sent.get(key.substring(0, key.indexOf('/')))) / 1e6));
            sqs.close();
            if (arrivals.size() < completions * 2) {
                System.out.println("bench: only " + arrivals.size() + " of " + completions * 2 + " deliveries arrived");
            }
        }
        // the floor: the same POSTs by a bare HTTP/1.1 client loop, one at a time
        HttpClient bare = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        byte[] payload = new byte[420];
        java.util.Arrays.fill(payload, (byte) 'x');
        List<Double> floorLatencies = new ArrayList<>();
        long floorStart = System.nanoTime();
        for (int i = 0; i < completions * 2; i++) {
            long t = System.nanoTime();
            bare.send(HttpRequest.newBuilder(URI.create("http://" + origin + "/floor")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build(), HttpResponse.BodyHandlers.discarding());
            floorLatencies.add((System.nanoTime() - t) / 1e6);
        }
        double floorPerSecond = completions * 2 / ((System.nanoTime() - floorStart) / 1e9);
        receiver.stop(0);

        report.table("Webhook delivery (local stack, " + completions + " completions x 2 endpoints)",
                        "measure", "webhooks", "bare HTTP loop (floor)")
                .row("latency p50", Report.num(Stats.percentile(latencies, 0.5)) + " ms", Report.num(Stats.percentile(floorLatencies, 0.5)) + " ms")
                .row("latency p99", Report.num(Stats.percentile(latencies, 0.99)) + " ms", Report.num(Stats.percentile(floorLatencies, 0.99)) + " ms")
                .row("deliveries/s", Report.num(perSecond), Report.num(floorPerSecond));
        report.target("webhook latency p50 (completion -> receiver)", Stats.percentile(latencies, 0.5), "<=", 2000, " ms");
        report.target("webhook latency p99 (completion -> receiver)", Stats.percentile(latencies, 0.99), "<=", 10000, " ms");
        report.target("webhook deliveries/s", perSecond, ">=", 20, "");
        var json = report.json.putObject("webhooks");
        json.put("completions", completions).put("deliveries", latencies.size()).put("p50Ms", Stats.percentile(latencies, 0.5))
                .put("p99Ms", Stats.percentile(latencies, 0.99)).put("perSecond", perSecond).put("floorPerSecond", floorPerSecond)
                .put("floorP50Ms", Stats.percentile(floorLatencies, 0.5));
    }
}
