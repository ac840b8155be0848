package dev.assetlib.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.assetlib.local.RunningStack;
import dev.assetlib.local.sfn.LambdaFaultInjector;
import dev.assetlib.local.sfn.LocalLambda;
import dev.assetlib.security.ApiKeys;
import dev.assetlib.testing.rekognition.ScriptedRekognition;
import dev.assetlib.testing.rekognition.ScriptedRekognition.Face;
import dev.assetlib.testing.rekognition.ScriptedRekognition.ImageScript;
import dev.assetlib.testing.rekognition.ScriptedRekognition.Label;
import dev.assetlib.testing.rekognition.ScriptedRekognition.VideoScript;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Cost per asset reviewed by the rekognition reviewer on AWS, from the calls counted in an end-to-end
 * run on the local stack against the scripted Rekognition stand-in: Rekognition calls, Lambda
 * invocations and GB-seconds (local run time x the template's memory size: an upper bound, the
 * local stack is slower than Lambda), state transitions, DynamoDB, S3 and SQS requests, priced at
 * the list prices below (us-east-1). An image, a 15 s video (the stand-in answers as for 15 s; the
 * local sample clip is shorter, the calls are the same), an SD2 batch of 20 images.
 */
final class RekognitionCost {
    // List prices, us-east-1, as of 2025 (aws.amazon.com/<service>/pricing): check before relying on them.
    static final double REKOGNITION_IMAGE_CALL = 0.001;      // DetectModerationLabels, DetectFaces: per image, first 1M/month
    static final double REKOGNITION_VIDEO_MINUTE = 0.10;     // content moderation, face detection: per minute of video, each
    static final double LAMBDA_REQUEST = 0.20 / 1e6;
    static final double LAMBDA_GB_SECOND = 0.0000166667;     // x86
    static final double TRANSITION = 0.025 / 1000;           // Step Functions Standard
    static final double DYNAMO_WRITE = 0.625 / 1e6;          // on-demand, per write request unit (a call counted as 1)
    static final double DYNAMO_READ = 0.125 / 1e6;
    static final double S3_PUT = 0.005 / 1000;
    static final double S3_GET = 0.0004 / 1000;
    static final double SQS_REQUEST = 0.50 / 1e6;            // FIFO
    static final String SAMPLES = dev.assetlib.local.api.SampleOrigin.base();
    static final double VIDEO_SECONDS = 15;

    private final Bench.Options options;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    RekognitionCost(Bench.Options options) {
        this.options = options;
    }

    record Row(String scenario, int assets, long rekImage, long rekVideo, long invocations, double gbSeconds, long transitions,
               long reads, long writes, long s3Gets, long s3Puts, long sqs, double rekognitionCost, double totalCost) {
    }

    void run(Report report) throws Exception {
        System.out.println("bench: cost per asset, rekognition reviewer (scripted stand-in): an image, a 15 s video, an SD2 batch of 20");
        Map<String, LongAdder> invocations = new ConcurrentHashMap<>();
        Map<String, LongAdder> nanos = new ConcurrentHashMap<>();
        Map<String, Integer> memory = new ConcurrentHashMap<>();
        RunningStack.Hooks hooks = new RunningStack.Hooks((id, fn) -> counted(id, fn, invocations, nanos), LambdaFaultInjector.NONE);
        String key = ApiKeys.generate(new SecureRandom());
        List<Row> rows = new ArrayList<>();
        try (ScriptedRekognition rekognition = new ScriptedRekognition()) {
            rekognition.resolveWith(name -> new ImageScript(List.of(Label.top("Alcohol", 60)), List.of(Face.of(99, .3, .2, .4, .5)), null, null),
                    name -> {
                        List<Label> labels = new ArrayList<>();
                        List<Face> faces = new ArrayList<>();
                        for (long t = 0; t < VIDEO_SECONDS * 1000; t += 200) { // Rekognition samples frames a few times a second
                            labels.add(Label.top("Alcohol", 55).at(t));
                            faces.add(Face.of(99, .3, .2, .4, .5).at(t));
                        }
                        return new VideoScript(labels, faces, 3, 1000, null);
                    });
            try (RunningStack stack = RunningStack.start(hooks, "--project-dir", options.project().toString(), "--api-port", "0",
                    "--dynamodb-port", "0", "--sqs-port", "0", "--sfn-port", "0", "--dev-key", key + "=bench",
                    "--time-scale", "0.05", "--parameter", "ReviewStartMode=direct", "--reviewer", "rekognition",
                    "--rekognition-endpoint", rekognition.endpoint().toString())) {
                URI api = stack.apiEndpoint();
                // A warm-up image first, not counted: the first invocations of each function in this
                // JVM load and compile their classes (a cold start per function, which Lambda has too,
                // but once per execution environment, not per asset).
                scenario(stack, api, key, rekognition, invocations, nanos, "warm-up", 1,
                        List.of(upload(api, key, "Image", SAMPLES + "cost/warm-up.jpg")));
                rows.add(scenario(stack, api, key, rekognition, invocations, nanos, "image", 1,
                        List.of(upload(api, key, "Image", SAMPLES + "cost/one.jpg"))));
                rows.add(scenario(stack, api, key, rekognition, invocations, nanos, "15 s video", 1,
                        List.of(upload(api, key, "Video", SAMPLES + "cost/clip.mp4"))));
                StringBuilder urls = new StringBuilder();
                for (int i = 0; i < 20; i++) {
                    urls.append(i == 0 ? "" : ",").append('"').append(SAMPLES).append("cost/batch-").append(i).append(".jpg\"");
                }
                JsonNode batch = post(api, key, "/kyyReactApiServer/asset/sd2Manxue/assetUpload", "{\"imageUrls\":[" + urls + "]}");
                List<String> ids = batch.path("data").path("items").findValuesAsText("assetId");
                rows.add(scenario(stack, api, key, rekognition, invocations, nanos, "SD2 batch of 20", 20, ids));
            }
        }
        Report.Table table = report.table("Cost per asset, rekognition reviewer (counted calls x list prices, us-east-1)",
                "asset", "Rekognition calls", "Lambda inv.", "GB-s", "transitions", "DynamoDB r/w", "S3 get/put", "SQS",
                "USD per asset", "Rekognition share");
        ArrayNode json = report.json.putObject("rekognitionCost").put("prices", "us-east-1 list prices as of 2025, see RekognitionCost")
                .putArray("rows");
        for (Row r : rows) {
            double per = r.totalCost() / r.assets();
            table.row(r.scenario(), (r.rekImage() + r.rekVideo()) / (double) r.assets(), r.invocations() / (double) r.assets(),
                    r.gbSeconds() / r.assets(), r.transitions() / (double) r.assets(),
                    String.format(Locale.ROOT, "%.1f/%.1f", r.reads() / (double) r.assets(), r.writes() / (double) r.assets()),
                    String.format(Locale.ROOT, "%.1f/%.1f", r.s3Gets() / (double) r.assets(), r.s3Puts() / (double) r.assets()),
                    r.sqs() / (double) r.assets(), String.format(Locale.ROOT, "%.5f", per),
                    String.format(Locale.ROOT, "%.0f %%", 100 * r.rekognitionCost() / r.totalCost()));
            json.addObject().put("asset", r.scenario()).put("assets", r.assets()).put("rekognitionCalls", r.rekImage() + r.rekVideo())
                    .put("lambdaInvocations", r.invocations()).put("lambdaGbSeconds", r.gbSeconds()).put("stateTransitions", r.transitions())
                    .put("dynamoDbReads", r.reads()).put("dynamoDbWrites", r.writes()).put("s3Gets", r.s3Gets()).put("s3Puts", r.s3Puts())
                    .put("sqsRequests", r.sqs()).put("usdPerAsset", per).put("rekognitionShare", r.rekognitionCost() / r.totalCost());
        }
    }

    private Row scenario(RunningStack stack, URI api, String key, ScriptedRekognition rek, Map<String, LongAdder> invocations,
                         Map<String, LongAdder> nanos, String name, int assets, List<String> ids) throws Exception {
        long deadline = System.nanoTime() + 180_000_000_000L;
        for (String id : ids) {
            while (true) {
                JsonNode d = get(api, key, "/kyyReactApiServer/kyyVideo2/asset/" + id).path("data");
                if (d.path("status").asText().equals("Active")) {
                    break;
                }
                if (d.path("status").asText().equals("Failed") || System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + ": asset " + id + " did not become Active: " + d);
                }
                Thread.sleep(50);
            }
        }
        if (!stack.stepFunctions().awaitIdle(Duration.ofSeconds(60))) {
            throw new IllegalStateException("review executions still running");
        }
        String prefix = stack.stateMachineArn().replace(":stateMachine:", ":execution:") + ":review-";
        long transitions = 0;
        for (String batchId : assets == 1 ? ids : List.of(ids.get(0))) {
            transitions += stack.stepFunctions().describeExecution(prefix + batchId).stateTransitions();
        }
        long image = rek.count("DetectModerationLabels") + rek.count("DetectFaces");
        long video = rek.count("StartContentModeration") + rek.count("StartFaceDetection") + rek.count("GetContentModeration")
                + rek.count("GetFaceDetection");
        long inv = invocations.values().stream().mapToLong(LongAdder::sum).sum();
        double gbs = 0;
        for (Map.Entry<String, LongAdder> e : nanos.entrySet()) {
            gbs += e.getValue().sum() / 1e9 * memoryGb(e.getKey());
        }
        long reads = counted("DynamoDb", "GetItem", "BatchGetItem", "Query");
        long writes = counted("DynamoDb", "PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems");
        long s3Gets = counted("S3", "GetObject", "HeadObject");
        long s3Puts = counted("S3", "PutObject", "CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload", "PutObjectTagging");
        long sqs = counted("Sqs", "SendMessage", "SendMessageBatch");
        // Rekognition bills images per call, video per minute of video for each of the two jobs (Get* are free).
        double rekCost = image * REKOGNITION_IMAGE_CALL + (rek.count("StartContentModeration") + rek.count("StartFaceDetection"))
                * REKOGNITION_VIDEO_MINUTE * VIDEO_SECONDS / 60;
        double total = rekCost + inv * LAMBDA_REQUEST + gbs * LAMBDA_GB_SECOND + transitions * TRANSITION + reads * DYNAMO_READ
                + writes * DYNAMO_WRITE + s3Gets * S3_GET + s3Puts * S3_PUT + sqs * SQS_REQUEST;
        Row row = new Row(name, assets, image, video, inv, gbs, transitions, reads, writes, s3Gets, s3Puts, sqs, rekCost, total);
        System.out.printf(Locale.ROOT, "  %s: %s%n", name, row);
        invocations.clear();
        nanos.clear();
        CallCounter.reset();
        rek.requests.clear();
        return row;
    }

    /**
     * Calls made inside the asset's invocations, and on the threads those start (the media step's
     * and the reviewer's worker threads carry no tag): everything but the benchmark's own polling.
     */
    private static long counted(String service, String... operations) {
        return CallCounter.count("asset", service, operations) + CallCounter.count("-", service, operations);
    }

    /** Every function of the review runs with 1024 MB (template Globals; MediaFunction sets 1024 too). */
    private static double memoryGb(String functionId) {
        return 1.0;
    }

    private static LocalLambda counted(String functionId, LocalLambda fn, Map<String, LongAdder> invocations, Map<String, LongAdder> nanos) {
        return payload -> {
            boolean client = functionId.equals("AssetQueryFunction") || functionId.equals("ApiKeyAuthorizerFunction");
            if (!client) {
                invocations.computeIfAbsent(functionId, k -> new LongAdder()).increment();
            }
            CallCounter.tag(client ? "client" : "asset");
            long start = System.nanoTime();
            try {
                return fn.invoke(payload);
            } finally {
                if (!client) {
                    nanos.computeIfAbsent(functionId, k -> new LongAdder()).add(System.nanoTime() - start);
                }
                CallCounter.untag();
            }
        };
    }

    private String upload(URI api, String key, String type, String url) throws Exception {
        return post(api, key, "/kyyReactApiServer/kyyVideo2/asset/upload", "{\"assetType\":\"" + type + "\",\"url\":\"" + url + "\"}")
                .path("data").path("assetId").asText();
    }

    private JsonNode get(URI api, String key, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(api.resolve(path)).header("Authorization", "Bearer " + key).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return Report.MAPPER.readTree(r.body());
    }

    private JsonNode post(URI api, String key, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(api.resolve(path)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("POST " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return Report.MAPPER.readTree(r.body());
    }
}
