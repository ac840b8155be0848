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
import java.util.stream.Stream;

/**
 * Cold start: each run is a fresh JVM running the Lambda Java runtime (its runtime interface
 * client) on the function's own deployment package - LAMBDA_TASK_ROOT is the directory its
 * template.yaml CodeUri names, which sam deploy zips as it is - handling one event from events/
 * against the local servers, timed from just before the process
 * is started to the moment its response reaches the Runtime API. The floor runs in the same harness
 * with the same libraries, clients and calls and nothing else. Runs of a handler and its floor
 * alternate, so the shared machine's noise falls on both alike.
 */
final class ColdStart {
    static final List<String> LAMBDA_JVM_FLAGS = FreshRuntime.LAMBDA_JVM_FLAGS;

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
            once(fn, fn.handler(), layout.task(fn.function()).function(), null);
            once(fn, fn.floor(), layout.task(fn.function()).floor(), null);
        }
        for (int i = 0; i < n; i++) {
            for (Fn fn : fns) {
                boolean handlerFirst = i % 2 == 0;
                Layout.Task task = layout.task(fn.function());
                Run a = once(fn, handlerFirst ? fn.handler() : fn.floor(), handlerFirst ? task.function() : task.floor(), null);
                Run b = once(fn, handlerFirst ? fn.floor() : fn.handler(), handlerFirst ? task.floor() : task.function(), null);
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
            Layout.Task task = layout.task(fn.function());
            once(fn, fn.handler(), task.function(), log);
            once(fn, fn.floor(), task.floor(), floorLog);
            List<String> calls = once(fn, fn.handler(), task.functionCalls(), null).awsCalls();
            List<String> floorCalls = once(fn, fn.floor(), task.floorCalls(), null).awsCalls();
            boolean sameCalls = calls.equals(floorCalls);
            if (!sameCalls) {
                System.out.println("bench: WARNING " + fn.name() + " makes " + calls + " but its floor " + floorCalls);
            }
            long[] classes = classCounts(log, task.function());
            long[] floorClasses = classCounts(floorLog, task.floor());
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
            j.put("handler", fn.name()).put("function", fn.function()).put("package", task.group())
                    .put("handlerClass", fn.handler()).put("event", "events/" + fn.event())
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

        // Every package group's deployment package, as sam deploy zips it for each of its functions.
        Report.Table packages = report.table("Deployment packages (functions/target/lambda/<group>/: classes + lib/, zipped as SAM uploads them)",
                "package", "functions", "zipped MB", "unzipped MB", "jars in lib/", "target", "met");
        ArrayNode packagesJson = report.json.putArray("packages");
        for (var e : layout.packages().entrySet()) {
            Path dir = e.getValue();
            long zipped = Layout.zippedSize(dir, layout.work().resolve(e.getKey() + ".zip"));
            long unzipped = Layout.treeSize(dir);
            long jars;
            try (Stream<Path> s = Files.list(dir.resolve("lib"))) {
                jars = s.count();
            }
            long functions = layout.tasks().values().stream().filter(t -> t.group().equals(e.getKey())).count();
            double mb = unzipped / 1_000_000.0;
            boolean sizeMet = Report.met(mb, "<=", 20);
            packages.row(e.getKey(), functions, zipped / 1_000_000.0, mb, jars, "<= 20 MB unzipped", sizeMet ? "yes" : "NO");
            packagesJson.addObject().put("package", e.getKey()).put("functions", functions).put("zippedBytes", zipped)
                    .put("unzippedBytes", unzipped).put("jars", jars).put("unzippedMB", mb).put("targetMB", 20).put("met", sizeMet);
            report.target("deployment package " + e.getKey() + " (unzipped)", mb, "<=", 20, " MB");
        }
    }

    /** One fresh runtime handling one event; with classLog, an unmeasured run that logs class loading. */
    Run once(Fn fn, String handler, Path taskRoot, Path classLog) throws Exception {
        servers.resetSeededAsset();
        byte[] event = Files.readString(layout.events().resolve(fn.event()))
                .replace(ServerStack.EVENT_KEY_PLACEHOLDER, servers.apiKey).getBytes(StandardCharsets.UTF_8);
        Map<String, String> env = new LinkedHashMap<>(servers.lambdaEnvironment());
        env.putAll(fn.env());
        Path out = layout.work().resolve("last-run.log");
        FreshRuntime.Outcome run = FreshRuntime.run(layout.lambdaRuntime(), taskRoot, fn.function(), handler, env, event, out,
                classLog, java.time.Duration.ofSeconds(60));
        RuntimeApi.Result result = run.result();
        if (result == null) {
            throw new IllegalStateException(fn.name() + " (" + handler + ") gave no response in 60 s; its output:\n" + tail(out));
        }
        if (result.error() || !succeeded(result.body())) {
            throw new IllegalStateException(fn.name() + " (" + handler + ") did not succeed: " + result.body() + "\nits output:\n" + tail(out));
        }
        List<String> calls = Files.readAllLines(out).stream().filter(l -> l.startsWith("AWSCALL "))
                .map(l -> l.substring(l.lastIndexOf(' ') + 1)).toList();
        long t0 = run.startNanos();
        return new Run((result.resultNanos() - t0) / 1e6, (result.firstNextNanos() - t0) / 1e6,
                (result.resultNanos() - result.firstNextNanos()) / 1e6, calls);
    }

    static boolean succeeded(String body) {
        String b = body.replace(" ", "");
        return (b.contains("\"statusCode\":200") || b.contains("\"isAuthorized\":true") || b.contains("\"done\":true"))
                && !b.contains("authError");
    }

    /** [all classes loaded, classes loaded from the task root (the function's or floor's own code and lib/)]. */
    static long[] classCounts(Path log, Path taskRoot) throws IOException {
        long all = 0;
        long app = 0;
        String root = taskRoot.toAbsolutePath().normalize() + "/";
        for (String line : Files.readAllLines(log)) {
            if (line.contains(" source: ")) {
                all++;
                if (line.contains(root)) {
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
