package dev.assetlib.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Cold start: each run is a fresh JVM running the Lambda Java runtime (its runtime interface
 * client) on the deployment artifact - LAMBDA_TASK_ROOT is the directory {@code sam build} makes -
 * handling one event from events/ against the local servers, timed from just before the process
 * is started to the moment its response reaches the Runtime API. The floor runs in the same harness
 * with the same libraries, clients and calls and nothing else. Runs of a handler and its floor
 * alternate, so the shared machine's noise falls on both alike.
 */
final class ColdStart {
    /** JVM flags Lambda's java runtime starts with (besides JAVA_TOOL_OPTIONS from the template). */
    static final List<String> LAMBDA_JVM_FLAGS = List.of("-XX:+UseSerialGC", "-Xshare:auto", "-XX:MaxHeapSize=870m",
            "-Djava.net.preferIPv4Stack=true");
    static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

    record Fn(String name, String function, String handler, String floor, String event, Map<String, String> env) {
    }

    record Run(double totalMs, double initMs, double invokeMs, List<String> awsCalls) {
    }

    private final Layout layout;
    private final ServerStack servers;
    private final Bench.Options options;

    ColdStart(Layout layout, ServerStack servers, Bench.Options options) {
        this.layout = layout;
        this.servers = servers;
        this.options = options;
    }

    List<Fn> functions() {
        String table = servers.stack.tableName();
        return List.of(
                new Fn("authorizer", "ApiKeyAuthorizerFunction", "dev.assetlib.auth.ApiKeyAuthorizerHandler::handleRequest",
                        "dev.assetlib.bench.floor.FloorAuthorizer::handleRequest", "authorizer.json",
                        Map.of("ASSETS_TABLE", table)),
                new Fn("upload (Seedance)", "UploadFunction", "dev.assetlib.api.UploadHandler::handleRequest",
                        "dev.assetlib.bench.floor.FloorUpload::handleRequest", "api-seedance-upload.json",
                        Map.of("ASSETS_TABLE", table, "REVIEW_STATE_MACHINE_ARN", servers.parkingArn,
                                "REVIEW_DEADLINE_SECONDS", "86400", "MAX_BATCH_URLS", "20")),
                new Fn("query detail", "AssetQueryFunction", "dev.assetlib.api.AssetQueryHandler::handleRequest",
                        "dev.assetlib.bench.floor.FloorQuery::handleRequest", "api-seedance-detail.json",
                        Map.of("ASSETS_TABLE", table, "LIST_TOKEN_KEY", "bench-list-token-key-0123456789abcdef0123456789")),
                new Fn("status-check task", "StatusCheckFunction", "dev.assetlib.workflow.ReviewTaskHandler::handleRequest",
                        "dev.assetlib.bench.floor.FloorReviewTask::handleRequest", "review-task-check.json",
                        Map.of("ASSETS_TABLE", table, "COMPLETION_QUEUE_URL", servers.completionQueueUrl(),
                                "REVIEWER", "simulated", "SIMULATED_REVIEW_DELAY_SECONDS", "30", "SIMULATED_REJECT_RULES", "[]",
                                "POLL_FIRST_SECONDS", "3", "POLL_GROWTH_FACTOR", "1.15", "POLL_MAX_SECONDS", "120",
                                "UPSTREAM_BASE_URL", "", "UPSTREAM_API_KEY_PARAMETER", "")));
    }

    void run(Report report) throws Exception {
        List<Fn> fns = functions();
        int n = options.coldRuns();
        System.out.println("bench: cold start, " + n + " fresh JVMs per handler and per floor (" + (n * fns.size() * 2) + " in all)");
        Map<String, List<Run>> handlerRuns = new LinkedHashMap<>();
        Map<String, List<Run>> floorRuns = new LinkedHashMap<>();
        // One unmeasured pair first: the page cache and the servers' own JIT warm up for both alike.
        for (Fn fn : fns) {
            once(fn, fn.handler(), layout.functionTask(), null);
            once(fn, fn.floor(), layout.floorTask(), null);
        }
        for (int i = 0; i < n; i++) {
            for (Fn fn : fns) {
                boolean handlerFirst = i % 2 == 0;
                Run a = once(fn, handlerFirst ? fn.handler() : fn.floor(), handlerFirst ? layout.functionTask() : layout.floorTask(), null);
                Run b = once(fn, handlerFirst ? fn.floor() : fn.handler(), handlerFirst ? layout.floorTask() : layout.functionTask(), null);
                handlerRuns.computeIfAbsent(fn.name(), k -> new ArrayList<>()).add(handlerFirst ? a : b);
                floorRuns.computeIfAbsent(fn.name(), k -> new ArrayList<>()).add(handlerFirst ? b : a);
            }
            System.out.print("  round " + (i + 1) + "/" + n + "\r");
        }
        System.out.println();

        Report.Table table = report.table("Cold start (median of " + n + " fresh JVMs each, ms from process start to response)",
                "handler", "handler ms", "floor ms", "ratio", "target", "met", "init / invoke ms", "floor init / invoke ms",
                "classes (app)", "floor classes (app)", "AWS calls (same in floor?)");
        ArrayNode json = report.json.putObject("coldStart").put("runsPerHandler", n)
                .put("timedFrom", "just before the JVM process is started, to the response at the Runtime API")
                .put("jvmFlags", String.join(" ", LAMBDA_JVM_FLAGS)).put("javaToolOptions", servers.lambdaEnvironment().get("JAVA_TOOL_OPTIONS"))
                .putArray("handlers");
        for (Fn fn : fns) {
            Path log = layout.work().resolve("classes-" + fn.function() + ".log");
            Path floorLog = layout.work().resolve("classes-floor-" + fn.function() + ".log");
            once(fn, fn.handler(), layout.functionTask(), log);
            once(fn, fn.floor(), layout.floorTask(), floorLog);
            List<String> calls = once(fn, fn.handler(), layout.functionCallsTask(), null).awsCalls();
            List<String> floorCalls = once(fn, fn.floor(), layout.floorCallsTask(), null).awsCalls();
            boolean sameCalls = calls.equals(floorCalls);
            if (!sameCalls) {
                System.out.println("bench: WARNING " + fn.name() + " makes " + calls + " but its floor " + floorCalls);
            }
            long[] classes = classCounts(log);
            long[] floorClasses = classCounts(floorLog);
            List<Run> h = handlerRuns.get(fn.name());
            List<Run> f = floorRuns.get(fn.name());
            double hm = Stats.median(h.stream().map(Run::totalMs).toList());
            double fm = Stats.median(f.stream().map(Run::totalMs).toList());
            double ratio = hm / fm;
            boolean met = Report.met(ratio, "<=", 1.25);
            double hInit = Stats.median(h.stream().map(Run::initMs).toList());
            double hInvoke = Stats.median(h.stream().map(Run::invokeMs).toList());
            double fInit = Stats.median(f.stream().map(Run::initMs).toList());
            double fInvoke = Stats.median(f.stream().map(Run::invokeMs).toList());
            table.row(fn.name(), hm, fm, String.format(java.util.Locale.ROOT, "%.2f", ratio), "<= 1.25", met ? "yes" : "NO",
                    Report.num(hInit) + " / " + Report.num(hInvoke), Report.num(fInit) + " / " + Report.num(fInvoke),
                    classes[0] + " (" + classes[1] + ")", floorClasses[0] + " (" + floorClasses[1] + ")",
                    String.join(", ", calls) + (sameCalls ? " (yes)" : " (NO: floor " + String.join(", ", floorCalls) + ")"));
            ObjectNode j = json.addObject();
            j.put("handler", fn.name()).put("function", fn.function()).put("handlerClass", fn.handler()).put("event", "events/" + fn.event())
                    .put("medianMs", hm).put("floorMedianMs", fm).put("ratio", ratio).put("ratioTarget", 1.25).put("met", met)
                    .put("medianInitMs", hInit).put("medianInvokeMs", hInvoke).put("floorMedianInitMs", fInit).put("floorMedianInvokeMs", fInvoke)
                    .put("classesLoaded", classes[0]).put("appClassesLoaded", classes[1])
                    .put("floorClassesLoaded", floorClasses[0]).put("floorAppClassesLoaded", floorClasses[1])
                    .put("sameAwsCallsAsFloor", sameCalls);
            calls.forEach(j.putArray("awsCalls")::add);
            floorCalls.forEach(j.putArray("floorAwsCalls")::add);
            ArrayNode runs = j.putArray("runsMs");
            h.forEach(r -> runs.add(Math.round(r.totalMs())));
            ArrayNode floorRunsJson = j.putArray("floorRunsMs");
            f.forEach(r -> floorRunsJson.add(Math.round(r.totalMs())));
            report.target("cold start ratio, " + fn.name(), ratio, "<=", 1.25, "");
        }

        Path zip = layout.work().resolve("function.zip");
        long zipped = Layout.zippedSize(layout.functionTask(), zip);
        long unzipped = Layout.treeSize(layout.functionTask());
        long jars;
        try (Stream<Path> s = Files.list(layout.functionTask().resolve("lib"))) {
            jars = s.count();
        }
        double mb = zipped / 1_000_000.0;
        boolean sizeMet = Report.met(mb, "<=", 20);
        report.table("Deployment package (functions/: classes + lib/, zipped as SAM uploads it)",
                        "zipped MB", "unzipped MB", "jars in lib/", "target", "met")
                .row(mb, unzipped / 1_000_000.0, jars, "<= 20 MB", sizeMet ? "yes" : "NO");
        report.json.putObject("package").put("zippedBytes", zipped).put("unzippedBytes", unzipped).put("jars", jars)
                .put("zippedMB", mb).put("targetMB", 20).put("met", sizeMet);
        report.target("deployment package", mb, "<=", 20, " MB");
    }

    /** One fresh runtime handling one event; with classLog, an unmeasured run that logs class loading. */
    Run once(Fn fn, String handler, Path taskRoot, Path classLog) throws Exception {
        servers.resetSeededAsset();
        byte[] event = Files.readString(layout.events().resolve(fn.event()))
                .replace(ServerStack.EVENT_KEY_PLACEHOLDER, servers.apiKey).getBytes(StandardCharsets.UTF_8);
        String arn = "arn:aws:lambda:us-east-1:000000000000:function:" + fn.function() + ":live";
        try (RuntimeApi api = new RuntimeApi(event, arn)) {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(LAMBDA_JVM_FLAGS);
            if (classLog != null) {
                command.add("-Xlog:class+load=info:file=" + classLog);
            }
            command.add("-cp");
            command.add(layout.lambdaRuntime() + "/*");
            command.add(RIC_MAIN);
            command.add(handler);
            // The runtime loads the function from its working directory (user.dir), as Lambda's /var/task.
            ProcessBuilder pb = new ProcessBuilder(command).directory(taskRoot.toFile());
            Map<String, String> env = pb.environment();
            env.clear();
            env.putAll(servers.lambdaEnvironment());
            env.putAll(fn.env());
            env.put("AWS_LAMBDA_RUNTIME_API", api.address());
            env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
            env.put("_HANDLER", handler);
            env.put("AWS_LAMBDA_FUNCTION_NAME", fn.function());
            env.put("AWS_LAMBDA_FUNCTION_VERSION", "1");
            env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
            env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + fn.function());
            env.put("AWS_LAMBDA_LOG_STREAM_NAME", "bench");
            env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
            Path out = layout.work().resolve("last-run.log");
            pb.redirectErrorStream(true).redirectOutput(out.toFile());
            long t0 = System.nanoTime();
            Process p = pb.start();
            RuntimeApi.Result result;
            try {
                result = api.result.get(60, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new IllegalStateException(fn.name() + " (" + handler + ") gave no response in 60 s; its output:\n" + tail(out));
            } finally {
                p.destroyForcibly();
                p.waitFor();
            }
            if (result.error() || !succeeded(result.body())) {
                throw new IllegalStateException(fn.name() + " (" + handler + ") did not succeed: " + result.body() + "\nits output:\n" + tail(out));
            }
            List<String> calls = Files.readAllLines(out).stream().filter(l -> l.startsWith("AWSCALL "))
                    .map(l -> l.substring(l.lastIndexOf(' ') + 1)).toList();
            return new Run((result.resultNanos() - t0) / 1e6, (result.firstNextNanos() - t0) / 1e6,
                    (result.resultNanos() - result.firstNextNanos()) / 1e6, calls);
        }
    }

    static boolean succeeded(String body) {
        String b = body.replace(" ", "");
        return (b.contains("\"statusCode\":200") || b.contains("\"isAuthorized\":true") || b.contains("\"done\":true"))
                && !b.contains("authError");
    }

    /** [all classes loaded, classes loaded from the task root (the function's or floor's own code and lib/)]. */
    static long[] classCounts(Path log) throws IOException {
        long all = 0;
        long app = 0;
        for (String line : Files.readAllLines(log)) {
            if (line.contains(" source: ")) {
                all++;
                if (line.contains("-task/")) {
                    app++;
                }
            }
        }
        return new long[] {all, app};
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }
}
