package dev.assetlib.local;

import dev.assetlib.config.Durations;
import dev.assetlib.review.RejectRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./run-local}: the whole service on this machine, in the foreground, until Ctrl-C. Every
 * flag falls back to an environment variable (then to its default), so scripts can set either.
 */
@Command(name = "run-local", mixinStandardHelpOptions = true, version = "asset-library local stack 0.1.0", sortOptions = false, usageHelpWidth = 100,
        description = {
            "Runs asset-library locally: DynamoDB Local, ElasticMQ, the review state machine "
                    + "(statemachine/ on a local Amazon States Language interpreter), the HTTP API of "
                    + "template.yaml, S3Mock serving the upload and media buckets and a poller for the ingest queue, "
                    + "all wired to the same handlers as in AWS. Ctrl-C stops everything.",
            "Each flag can also be set with the environment variable shown; ports may be 0 (any free port)."})
public final class LocalStack implements Callable<Integer> {
    @Option(names = "--api-port", defaultValue = "${ASSETLIB_API_PORT:-3000}", paramLabel = "PORT",
            description = "HTTP API port (env ASSETLIB_API_PORT; default ${DEFAULT-VALUE}).")
    int apiPort;

    @Option(names = "--dynamodb-port", defaultValue = "${ASSETLIB_DYNAMODB_PORT:-8000}", paramLabel = "PORT",
            description = "DynamoDB Local port (env ASSETLIB_DYNAMODB_PORT; default ${DEFAULT-VALUE}).")
    int dynamoDbPort;

    @Option(names = "--sqs-port", defaultValue = "${ASSETLIB_SQS_PORT:-9324}", paramLabel = "PORT",
            description = "ElasticMQ (SQS) port (env ASSETLIB_SQS_PORT; default ${DEFAULT-VALUE}).")
    int sqsPort;

    @Option(names = "--sfn-port", defaultValue = "${ASSETLIB_SFN_PORT:-8083}", paramLabel = "PORT",
            description = "Step Functions endpoint port (env ASSETLIB_SFN_PORT; default ${DEFAULT-VALUE}).")
    int sfnPort;

    @Option(names = "--s3-port", defaultValue = "${ASSETLIB_S3_PORT:-4569}", paramLabel = "PORT",
            description = "Port of the local S3 server (S3Mock): the upload bucket, whose presigned upload URLs it serves, "
                    + "and the media bucket (env ASSETLIB_S3_PORT; default ${DEFAULT-VALUE}).")
    int s3Port;

    @Option(names = "--data-dir", defaultValue = "${ASSETLIB_DATA_DIR:-local-data}", paramLabel = "DIR",
            description = "What the stack keeps across restarts: the S3 server's buckets and objects in DIR/s3, DynamoDB "
                    + "Local's database in DIR/dynamodb (env ASSETLIB_DATA_DIR; default ${DEFAULT-VALUE}, relative to the project directory).")
    Path dataDir;

    @Option(names = "--in-memory", defaultValue = "${ASSETLIB_IN_MEMORY:-false}",
            description = "Keep the table and the queues in memory and nothing of them on disk: gone at stop (the tests' choice; "
                    + "env ASSETLIB_IN_MEMORY). Otherwise DynamoDB Local keeps its data in DIR/dynamodb, ElasticMQ its queues "
                    + "and messages in DIR/elasticmq and a generated development key is kept in DIR/dev-key, so all survive a restart.")
    boolean inMemory;

    @Option(names = "--fetch-allow", split = ",", defaultValue = "${ASSETLIB_FETCH_ALLOW}", paramLabel = "HOST:PORT",
            description = "An origin the media step may fetch although it is not public (a test or demo server on "
                    + "127.0.0.1), repeatable (env ASSETLIB_FETCH_ALLOW, comma-separated). The stack's own sample "
                    + "origin (http://127.0.0.1:<api port>/samples/) is always allowed. Never in AWS.")
    List<String> fetchAllow = new ArrayList<>();

    @Option(names = "--upload-wait", defaultValue = "${ASSETLIB_UPLOAD_WAIT:-1h}", paramLabel = "DURATION",
            description = "How long after an upload URL is issued its object may arrive before the asset fails with "
                    + "UPLOAD_MISSING, at least 1m; upload URLs expire after 15m or this, whichever is shorter "
                    + "(env ASSETLIB_UPLOAD_WAIT; default ${DEFAULT-VALUE}).")
    String uploadWait;

    @Option(names = "--dev-key", split = ",", defaultValue = "${ASSETLIB_DEV_KEYS}", paramLabel = "KEY[=ACCOUNT]", hideParamSyntax = true,
            description = "A fixed API key to register, repeatable; each key is an account of its own (dev, dev-2, ... "
                    + "unless =ACCOUNT is given). Default: one random key for account dev, printed at start "
                    + "(env ASSETLIB_DEV_KEYS, comma-separated).")
    List<String> devKeys = new ArrayList<>();

    @Option(names = "--review-delay", defaultValue = "${ASSETLIB_REVIEW_DELAY:-10s}", paramLabel = "DURATION",
            description = "How long the simulated reviewer takes, like 500ms, 2s, 10m (env ASSETLIB_REVIEW_DELAY; "
                    + "default ${DEFAULT-VALUE}).")
    String reviewDelay;

    @Option(names = "--reject", split = "\\n", defaultValue = "${ASSETLIB_REJECT}", paramLabel = "REGEX=REASON", hideParamSyntax = true,
            description = "The simulated reviewer rejects asset URLs matching REGEX (Java regex, found anywhere in the URL; "
                    + "split at the first =) with REASON. Repeatable; the first matching rule wins "
                    + "(env ASSETLIB_REJECT, one rule per line).")
    List<String> rejects = new ArrayList<>();

    @Option(names = "--reviewer", defaultValue = "${ASSETLIB_REVIEWER:-simulated}", paramLabel = "simulated|upstream|human",
            description = "Which reviewer reviews uploads: simulated (delay and --reject rules), upstream (another "
                    + "asset library: --upstream-url, --upstream-key) or human (reviewer keys decide over "
                    + "/kyyReactApiServer/review/...) (env ASSETLIB_REVIEWER; default ${DEFAULT-VALUE}).")
    String reviewer;

    @Option(names = "--rekognition-endpoint", defaultValue = "${ASSETLIB_REKOGNITION_ENDPOINT}", paramLabel = "URL",
            description = "--reviewer rekognition: where Rekognition's API is answered, a stand-in on this machine "
                    + "(there is no local Rekognition; env ASSETLIB_REKOGNITION_ENDPOINT).")
    String rekognitionEndpoint;

    @Option(names = "--moderation-policy", defaultValue = "${ASSETLIB_MODERATION_POLICY}", paramLabel = "FILE",
            description = "--reviewer rekognition: the moderation policy, a JSON file (docs/reviewers.md; default: the "
                    + "template's ModerationPolicy, empty = the default policy; env ASSETLIB_MODERATION_POLICY).")
    Path moderationPolicy;

    @Option(names = "--upstream-url", defaultValue = "${ASSETLIB_UPSTREAM_URL}", paramLabel = "URL",
            description = "--reviewer upstream: the other library's base URL, before /kyyReactApiServer, e.g. "
                    + "https://assets.example.com, or with it: https://assets.example.com/kyyReactApiServer (env ASSETLIB_UPSTREAM_URL).")
    String upstreamUrl;

    @Option(names = "--upstream-allow-http", defaultValue = "${ASSETLIB_UPSTREAM_ALLOW_HTTP:-false}",
            description = "Let --upstream-url be plain http:// (the upstream key then travels in clear: for an upstream on "
                    + "this machine, such as a second local stack; env ASSETLIB_UPSTREAM_ALLOW_HTTP). Without it only https:// is accepted, as in AWS.")
    boolean upstreamAllowHttp;

    @Option(names = "--upstream-key", defaultValue = "${ASSETLIB_UPSTREAM_KEY}", paramLabel = "KEY",
            description = "--reviewer upstream: an API key of the other library (env ASSETLIB_UPSTREAM_KEY). In AWS the "
                    + "key comes from a Secrets Manager secret instead.")
    String upstreamKey;

    @Option(names = "--reviewer-key", split = ",", defaultValue = "${ASSETLIB_REVIEWER_KEYS}", paramLabel = "KEY=ACCOUNT",
            hideParamSyntax = true,
            description = "A fixed API key with the role reviewer for ACCOUNT (it may use the review routes, not upload), "
                    + "repeatable. With --reviewer human and none given, one random reviewer key for the first dev "
                    + "key's account is made and printed (env ASSETLIB_REVIEWER_KEYS, comma-separated).")
    List<String> reviewerKeys = new ArrayList<>();

    @Option(names = "--time-scale", defaultValue = "${ASSETLIB_TIME_SCALE:-1}", paramLabel = "FACTOR",
            description = "Multiplies every wait: 0.01 makes a 10m review take ~6s real; the stack's clock runs "
                    + "1/FACTOR times faster so delays, polls and deadline keep their proportions "
                    + "(env ASSETLIB_TIME_SCALE; default ${DEFAULT-VALUE}).")
    double timeScale;

    @Option(names = "--deadline", defaultValue = "${ASSETLIB_DEADLINE:-24h}", paramLabel = "DURATION",
            description = "How long a review may take before the asset fails with a timeout reason, at least 1m "
                    + "(env ASSETLIB_DEADLINE; default ${DEFAULT-VALUE}).")
    String deadline;

    @Option(names = "--authorizer-cache", defaultValue = "${ASSETLIB_AUTHORIZER_CACHE:-300s}", paramLabel = "DURATION",
            description = "How long the API caches the authorizer's answer per Authorization header, 0 to disable "
                    + "(env ASSETLIB_AUTHORIZER_CACHE; default ${DEFAULT-VALUE}).")
    String authorizerCache;

    @Option(names = "--parameter", split = ",", defaultValue = "${ASSETLIB_PARAMETERS}", paramLabel = "NAME=VALUE", hideParamSyntax = true,
            description = "Overrides a template.yaml parameter that has no flag of its own, e.g. --parameter PollFirstSeconds=5; "
                    + "repeatable (env ASSETLIB_PARAMETERS, comma-separated).")
    List<String> parameters = new ArrayList<>();

    @Option(names = "--project-dir", defaultValue = "${ASSETLIB_PROJECT_DIR}", paramLabel = "DIR",
            description = "The checkout holding template.yaml and statemachine/ (env ASSETLIB_PROJECT_DIR; "
                    + "default: the nearest directory upwards from here that has template.yaml).")
    Path projectDir;

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new LocalStack());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("run-local: " + describe(e));
            return 1;
        });
        int code = cli.execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Parses flags (and their environment fallbacks) into settings, without starting anything. */
    static StackSettings settings(String... args) {
        LocalStack command = new LocalStack();
        new CommandLine(command).parseArgs(args);
        return command.toSettings(false);
    }

    /** As {@link #settings}, and as ./run-local starts: a generated dev key is read from (or kept in) the data dir. */
    static StackSettings runSettings(String... args) {
        LocalStack command = new LocalStack();
        new CommandLine(command).parseArgs(args);
        return command.toSettings(true);
    }

    @Override
    public Integer call() throws Exception {
        StackSettings settings = toSettings(true);
        RunningStack stack = RunningStack.start(settings, RunningStack.Hooks.NONE);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nrun-local: stopping");
            stack.close();
        }, "run-local-shutdown"));
        System.out.println(Banner.render(stack));
        new CountDownLatch(1).await(); // the foreground: only Ctrl-C (the shutdown hook) ends it
        return 0;
    }

    StackSettings toSettings(boolean keepGeneratedKey) {
        Path project = projectDir == null ? findProjectDir() : projectDir.toAbsolutePath().normalize();
        List<DevKey> keys = new ArrayList<>();
        Set<String> accounts = new HashSet<>();
        for (String text : devKeys == null ? List.<String>of() : devKeys) {
            if (!text.isBlank()) {
                DevKey key = DevKey.parse(text);
                keys.add(key);
                if (key.accountId() != null) {
                    accounts.add(key.accountId());
                }
            }
        }
        if (keys.isEmpty()) {
            keys.add(keepGeneratedKey && !inMemory ? DevKey.kept(project.resolve(dataDir).resolve("dev-key"), "dev")
                    : DevKey.random("dev"));
        }
        // Keys without an account get dev, dev-2, ...: each key is an account of its own.
        int n = 1;
        for (int i = 0; i < keys.size(); i++) {
            if (keys.get(i).accountId() == null) {
                String account;
                do {
                    account = n == 1 ? "dev" : "dev-" + n;
                    n++;
                } while (!accounts.add(account));
                keys.set(i, keys.get(i).withAccount(account));
            }
        }
        List<RejectRule> rules = new ArrayList<>();
        for (String text : rejects == null ? List.<String>of() : rejects) {
            if (!text.isBlank()) {
                rules.add(rejectRule(text));
            }
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String text : parameters == null ? List.<String>of() : parameters) {
            if (!text.isBlank()) {
                int eq = text.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--parameter \"" + text + "\": use NAME=VALUE, e.g. --parameter PollFirstSeconds=5");
                }
                overrides.put(text.substring(0, eq).trim(), text.substring(eq + 1).trim());
            }
        }
        if (moderationPolicy != null && !moderationPolicy.toString().isBlank()) {
            String policy;
            try {
                policy = java.nio.file.Files.readString(project.resolve(moderationPolicy));
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("--moderation-policy " + moderationPolicy + ": cannot read it (" + e.getMessage() + ")");
            }
            try {
                dev.assetlib.review.rekognition.ModerationPolicy.parse(policy); // refused here, with the field, not at the first review
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--moderation-policy " + moderationPolicy + ": " + e.getMessage());
            }
            overrides.put("ModerationPolicy", policy.strip());
        }
        List<DevKey> reviewers = new ArrayList<>();
        for (String text : reviewerKeys == null ? List.<String>of() : reviewerKeys) {
            if (!text.isBlank()) {
                reviewers.add(DevKey.parse(text));
            }
        }
        String chosen = reviewer == null || reviewer.isBlank() ? "simulated" : reviewer.trim();
        if ((chosen.equals("human") || chosen.equals("rekognition")) && reviewers.isEmpty()) { // people decide what rekognition cannot
            reviewers.add(DevKey.random(keys.get(0).accountId()));
        }
        return new StackSettings(project,
                apiPort, dynamoDbPort, sqsPort, sfnPort, keys, duration("--review-delay", reviewDelay), rules,
                timeScale, duration("--deadline", deadline), duration("--authorizer-cache", authorizerCache),
                chosen, upstreamUrl(upstreamUrl), upstreamKey == null || upstreamKey.isBlank() ? null : upstreamKey.trim(),
                reviewers, s3Port, project.resolve(dataDir).normalize(), duration("--upload-wait", uploadWait), overrides,
                inMemory, upstreamAllowHttp, fetchAllow.stream().map(String::trim).filter(v -> !v.isEmpty()).toList(),
                rekognitionEndpoint == null || rekognitionEndpoint.isBlank() ? null : java.net.URI.create(rekognitionEndpoint.trim()));
    }

    private static java.net.URI upstreamUrl(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            java.net.URI uri = new java.net.URI(text.trim());
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getUserInfo() == null && uri.getQuery() == null && uri.getFragment() == null) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // refused below
        }
        throw new IllegalArgumentException("--upstream-url \"" + text + "\": use an absolute http(s) URL without "
                + "credentials, query or fragment, e.g. https://assets.example.com (http:// needs --upstream-allow-http)");
    }

    private static RejectRule rejectRule(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0 || eq == text.length() - 1) {
            throw new IllegalArgumentException("--reject \"" + text + "\": use REGEX=REASON, e.g. --reject 'nsfw=Rejected: explicit content'");
        }
        try {
            return new RejectRule(Pattern.compile(text.substring(0, eq)), text.substring(eq + 1));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("--reject \"" + text + "\": " + text.substring(0, eq)
                    + " is not a regular expression (" + e.getDescription() + ")");
        }
    }

    private static Duration duration(String flag, String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + ": " + e.getMessage());
        }
    }

    private static Path findProjectDir() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("template.yaml"))) {
                return dir;
            }
        }
        throw new IllegalArgumentException("no template.yaml here or above: run from the checkout or pass --project-dir");
    }

    private static String describe(Throwable e) {
        StringBuilder out = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            out.append("\n  caused by: ").append(c);
        }
        return out.toString();
    }
}
