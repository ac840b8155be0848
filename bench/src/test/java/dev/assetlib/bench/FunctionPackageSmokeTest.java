package dev.assetlib.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assetlib.local.template.SamTemplate;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every function runs from its own deployment package alone: a fresh JVM with the Lambda Java
 * runtime (its runtime interface client, as /var/runtime/lib in Lambda) loads the function from its
 * package directory only (template.yaml's CodeUri: the classes and lib/*.jar, as /var/task), builds
 * the handler with its no-argument constructor from the environment template.yaml gives it
 * (resolved against a local stack: DynamoDB Local, ElasticMQ, the local Step Functions endpoint,
 * S3Mock; Rekognition at a port nobody listens on) and handles the function's sample event from
 * events/. Whatever the handler answers (a network error is fine), no class may be missing: a jar
 * left out of a package group that its function loads, at init, on the event's path or when the
 * verifier checks a loaded class, fails here with the class named. The review task runs once per
 * reviewer the template offers but upstream (whose key is read from AWS Secrets Manager at start,
 * which has no local counterpart). Runs after `package` (tag "packages", bench's integration-test).
 */
@Tag("packages")
class FunctionPackageSmokeTest {
    static final Path PROJECT = Path.of("..").toAbsolutePath().normalize();
    static final Path RUNTIME = PROJECT.resolve("bench/target/lambda-runtime");
    /** Any LinkageError (NoClassDefFoundError, ExceptionInInitializerError, VerifyError, ...) or a class not found. */
    static final Pattern MISSING_CLASS = Pattern.compile("[^\\n]{0,200}(NoClassDefFoundError|ClassNotFoundException|LinkageError"
            + "|NoSuchMethodError|NoSuchFieldError|IncompatibleClassChangeError|AbstractMethodError|VerifyError|ClassFormatError"
            + "|UnsatisfiedLinkError|ExceptionInInitializerError|BootstrapMethodError|IllegalAccessError|Runtime\\.ClassNotFound)[^\\n]{0,200}");
    /** Each function's sample event in events/. */
    static final Map<String, String> EVENTS = Map.ofEntries(
            Map.entry("ApiKeyAuthorizerFunction", "authorizer.json"),
            Map.entry("UploadFunction", "api-seedance-upload.json"),
            Map.entry("AssetQueryFunction", "api-seedance-detail.json"),
            Map.entry("UploadUrlFunction", "api-upload-url.json"),
            Map.entry("UploadReceivedFunction", "s3-object-created.json"),
            Map.entry("IngestFunction", "sqs-ingest-single.json"),
            Map.entry("ManageFunction", "api-asset-rename.json"),
            Map.entry("AssetStreamFunction", "dynamodb-asset-stream.json"),
            Map.entry("NotFoundFunction", "api-unmatched-route.json"),
            Map.entry("ReconcileFunction", "scheduled-reconcile.json"),
            Map.entry("StatusCheckFunction", "review-task-submit.json"),
            Map.entry("MediaFunction", "media-inspect.json"),
            Map.entry("ReviewStarterFunction", "sqs-review-start.json"),
            Map.entry("WebhookFunction", "api-webhook-list.json"),
            Map.entry("WebhookDeliveryFunction", "sqs-webhook-completion.json"),
            Map.entry("ReviewQueueFunction", "api-review-pending.json"));
    static final List<String> REVIEWERS = List.of("rekognition", "human", "simulated");
    static final String SAMPLE_URL = "https://example.com/portrait.jpg";

    static ServerStack servers;
    static SamTemplate template;
    static Path work;
    static String nowhere;

    @BeforeAll
    static void startLocalStack() throws Exception {
        for (Path p : List.of(RUNTIME, PROJECT.resolve("functions/target/lambda"))) {
            assertThat(p).as(p + " (laid out by ./mvnw package)").isDirectory();
        }
        template = SamTemplate.load(PROJECT.resolve("template.yaml"));
        work = Files.createDirectories(PROJECT.resolve("bench/target/package-smoke"));
        try (ServerSocket s = new ServerSocket(0)) {
            nowhere = "http://127.0.0.1:" + s.getLocalPort(); // closed again: connections are refused
        }
        servers = ServerStack.start(PROJECT);
    }

    @AfterAll
    static void stop() {
        if (servers != null) {
            servers.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyFunctionRunsFromItsOwnPackageWithNoClassMissing() {
        List<DynamicTest> tests = new ArrayList<>();
        Map<String, Path> packages = Layout.functionPackages(PROJECT);
        assertThat(packages.keySet()).as("template functions with a sample event here").isEqualTo(EVENTS.keySet());
        packages.forEach((fn, pkg) -> {
            List<String> reviewers = fn.equals("StatusCheckFunction") ? REVIEWERS : java.util.Collections.singletonList(null);
            for (String reviewer : reviewers) {
                String name = fn + " from package " + pkg.getFileName() + (reviewer == null ? "" : " (REVIEWER=" + reviewer + ")");
                tests.add(DynamicTest.dynamicTest(name, () -> {
                    Map<String, String> env = environment(fn);
                    if (reviewer != null) {
                        env.put("REVIEWER", reviewer);
                    }
                    Run run = run(fn, pkg, env, EVENTS.get(fn));
                    System.out.println("FunctionPackageSmokeTest: " + name + " -> " + run.summary());
                    assertThat(run.answered()).as(name + " answered within the time-out; its output:\n" + run.tail()).isTrue();
                    assertThat(run.missingClass()).as(name + ": a class its package lacks; its output:\n" + run.tail()).isEmpty();
                }));
            }
        });
        return tests.stream();
    }

    /**
     * The check has teeth: the review package without the rekognition jar (what a group leaving it
     * out would deploy) fails the review task's start, and the smoke names the missing class.
     */
    @Test
    void aPackageWithoutAJarItsFunctionLoadsIsCaught(@TempDir Path dir) throws Exception {
        Path review = Layout.functionPackages(PROJECT).get("StatusCheckFunction");
        Files.createSymbolicLink(dir.resolve("dev"), review.resolve("dev"));
        Files.createDirectories(dir.resolve("lib"));
        int linked = 0;
        try (Stream<Path> jars = Files.list(review.resolve("lib"))) {
            for (Path jar : (Iterable<Path>) jars::iterator) {
                if (!jar.getFileName().toString().startsWith("rekognition-")) {
                    Files.createSymbolicLink(dir.resolve("lib").resolve(jar.getFileName()), jar);
                    linked++;
                }
            }
        }
        assertThat(linked).isPositive();
        Map<String, String> env = environment("StatusCheckFunction");
        env.put("REVIEWER", "rekognition");
        Run run = run("StatusCheckFunction", dir, env, EVENTS.get("StatusCheckFunction"));
        System.out.println("FunctionPackageSmokeTest: review package without rekognition -> " + run.summary());
        assertThat(run.answered()).isTrue();
        assertThat(run.missingClass()).hasValueSatisfying(m -> assertThat(m).contains("rekognition"));
    }

    /**
     * The function's template environment as the local stack resolves it, with what Lambda sets
     * (region, credentials) and the endpoints of the local servers (AWS_ENDPOINT_URL_*: the SDK's
     * own variables; the functions override no endpoint in Lambda).
     */
    static Map<String, String> environment(String fn) {
        Map<String, String> env = new LinkedHashMap<>(servers.lambdaEnvironment());
        env.putAll(servers.stack.functionEnvironment(fn));
        env.put("AWS_ENDPOINT_URL_S3", servers.stack.s3Endpoint().toString());
        env.put("AWS_ENDPOINT_URL_REKOGNITION", nowhere);
        if (env.containsKey("REVIEW_STATE_MACHINE_ARN")) {
            env.put("REVIEW_STATE_MACHINE_ARN", servers.parkingArn); // executions that wait and do nothing
        }
        if (env.containsKey("REVIEWER")) {
            env.put("REVIEWER", template.parameterDefault("Reviewer")); // what a deploy reviews with
        }
        return env;
    }

    static Run run(String fn, Path taskRoot, Map<String, String> env, String eventFile) throws Exception {
        servers.resetSeededAsset();
        String event = Files.readString(PROJECT.resolve("events").resolve(eventFile))
                .replace(ServerStack.EVENT_KEY_PLACEHOLDER, servers.apiKey);
        if (fn.equals("MediaFunction")) {
            // a still the local stack's sample origin serves (allow-listed for the media step), so
            // the step fetches, probes, renders and stores it instead of failing at the fetch
            event = event.replace(SAMPLE_URL, servers.stack.apiEndpoint() + "/samples/portrait.webp");
        }
        String tag = fn + "-" + taskRoot.getFileName() + (env.containsKey("REVIEWER") ? "-" + env.get("REVIEWER") : "");
        Path out = work.resolve(tag + ".log");
        Path classes = work.resolve(tag + "-classes.log");
        String handler = template.functionProperty(fn, "Handler").map(JsonNode::asText).orElseThrow();
        FreshRuntime.Outcome outcome = FreshRuntime.run(RUNTIME, taskRoot, fn, handler, env,
                event.getBytes(StandardCharsets.UTF_8), out, classes, Duration.ofSeconds(90));
        return new Run(outcome.result(), Files.readString(out), jarsLoadedFrom(classes, taskRoot));
    }

    /** The package's jars the run loaded classes from (a diagnostic: how much of the package the event reached). */
    static java.util.SortedSet<String> jarsLoadedFrom(Path classLog, Path taskRoot) throws java.io.IOException {
        java.util.SortedSet<String> jars = new java.util.TreeSet<>();
        if (!Files.exists(classLog)) {
            return jars;
        }
        Matcher m = Pattern.compile(Pattern.quote(taskRoot.toString()) + "/lib/([^/ ]+)\\.jar").matcher(Files.readString(classLog));
        while (m.find()) {
            jars.add(m.group(1));
        }
        return jars;
    }

    record Run(RuntimeApi.Result result, String output, java.util.SortedSet<String> jarsLoadedFrom) {
        boolean answered() {
            return result != null;
        }

        /** The first sign of a missing or unloadable class in what the runtime reported or printed. */
        java.util.Optional<String> missingClass() {
            for (String text : new String[] {result == null ? "" : result.body(), output}) {
                Matcher m = MISSING_CLASS.matcher(text);
                if (m.find()) {
                    return java.util.Optional.of(m.group());
                }
            }
            return java.util.Optional.empty();
        }

        String summary() {
            if (result == null) {
                return "no answer";
            }
            String body = result.body().replaceAll("\\s+", " ");
            return (result.error() ? "error " : "response ") + body.substring(0, Math.min(400, body.length()))
                    + "\n    classes loaded from " + jarsLoadedFrom.size() + " jars of lib/: " + String.join(" ", jarsLoadedFrom);
        }

        String tail() {
            String[] lines = output.split("\n");
            return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 40), lines.length));
        }
    }
}
