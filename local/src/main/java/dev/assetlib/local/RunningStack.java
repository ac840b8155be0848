package dev.assetlib.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.Services;
import dev.assetlib.store.ApiKeyStore;
import dev.assetlib.aws.AwsClients;
import dev.assetlib.config.Config;
import dev.assetlib.json.Json;
import dev.assetlib.local.api.ApiServer;
import dev.assetlib.local.api.ConsoleSite;
import dev.assetlib.local.api.HttpApiGateway;
import dev.assetlib.local.lambda.LambdaFunctionInfo;
import dev.assetlib.local.lambda.LocalFunctions;
import dev.assetlib.local.s3.LocalS3;
import dev.assetlib.local.s3.MediaS3;
import dev.assetlib.local.s3.LocalUploadSigner;
import dev.assetlib.local.schedule.LocalSchedule;
import dev.assetlib.local.sqs.LocalSqsEventSource;
import dev.assetlib.local.sfn.LambdaFaultInjector;
import dev.assetlib.local.sfn.LocalLambda;
import dev.assetlib.local.sfn.StepFunctionsLocal;
import dev.assetlib.local.template.HttpApiDefinition;
import dev.assetlib.local.template.SamTemplate;
import dev.assetlib.local.template.TemplateValues;
import dev.assetlib.review.RejectRule;
import dev.assetlib.store.AssetsTable;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The started stack and its wiring, read from template.yaml: the table, the queues (with their
 * redrive policy), each function with the environment variables the template gives it, the state
 * machine with its DefinitionSubstitutions, and the HttpApi. Closing it stops everything it started.
 */
public final class RunningStack implements AutoCloseable {
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT = "000000000000";
    static final String STACK_NAME = "asset-library-local";

    /**
     * Test hooks: wrap a function (by template logical id), inject Lambda service faults, or put
     * something (a fault-injecting proxy) between the functions and DynamoDB Local or ElasticMQ:
     * {@code dynamoDbFront}/{@code sqsFront} get the real endpoint and give the one the stack's
     * clients use. Local only: nothing of this exists in AWS.
     */
    public record Hooks(BiFunction<String, LocalLambda, LocalLambda> wrapFunction, LambdaFaultInjector faults,
            java.util.function.UnaryOperator<URI> dynamoDbFront, java.util.function.UnaryOperator<URI> sqsFront) {
        public static final Hooks NONE = new Hooks((id, fn) -> fn, LambdaFaultInjector.NONE);

        public Hooks(BiFunction<String, LocalLambda, LocalLambda> wrapFunction, LambdaFaultInjector faults) {
            this(wrapFunction, faults, u -> u, u -> u);
        }

        public Hooks withFronts(java.util.function.UnaryOperator<URI> dynamoDb, java.util.function.UnaryOperator<URI> sqs) {
            return new Hooks(wrapFunction, faults, dynamoDb, sqs);
        }
    }

    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private final StackSettings settings;
    private final Map<String, String> refs = new LinkedHashMap<>();
    private URI dynamoDbEndpoint;
    private URI sqsEndpoint;
    private URI sfnEndpoint;
    private URI apiEndpoint;
    private String tableName;
    private final Map<String, String> queueUrls = new LinkedHashMap<>();
    private String stateMachineArn;
    private StepFunctionsLocal sfn;
    private AwsClients clients;
    private LocalS3 uploads;
    private MediaS3 media;
    private int apiPort;
    /** The template's media bucket, served by the shared S3 server (MediaS3). */
    static final String MEDIA_BUCKET_ID = "MediaBucket";
    private final List<LocalSqsEventSource> sqsEventSources = new java.util.ArrayList<>();
    private Clock clock;

    static {
        // The JDK HTTP server (API, Step Functions endpoint, upload stand-in) otherwise answers
        // small responses ~40 ms late (Nagle against delayed ACKs). Read once, when the first
        // server is made; a value set on the command line wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private RunningStack(StackSettings settings) {
        this.settings = settings;
    }

    public static RunningStack start(StackSettings settings, Hooks hooks) throws Exception {
        RunningStack stack = new RunningStack(settings);
        try {
            stack.startAll(hooks);
            return stack;
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    private void startAll(Hooks hooks) throws Exception {
        SamTemplate template = SamTemplate.load(settings.projectDir().resolve("template.yaml"));
        clock = ScaledClock.of(settings.timeScale());
        int sfnPort = settings.sfnPort() == 0 ? Ports.free() : settings.sfnPort();
        sfnEndpoint = URI.create("http://127.0.0.1:" + sfnPort);

        DynamoDbLocal dynamo = open(DynamoDbLocal.start(settings.dynamoDbPort(),
                settings.inMemory() ? null : settings.dataDir().resolve("dynamodb")));
        dynamoDbEndpoint = dynamo.endpoint();
        ElasticMq sqs = open(ElasticMq.start(settings.sqsPort(),
                settings.inMemory() ? null : settings.dataDir().resolve("elasticmq")));
        sqsEndpoint = sqs.endpoint();
        media = MediaS3.shared(0);
        clients = open(new AwsClients(Region.of(REGION),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")),
                Map.of("dynamodb", hooks.dynamoDbFront().apply(dynamoDbEndpoint), "sqs", hooks.sqsFront().apply(sqsEndpoint),
                        "stepfunctions", sfnEndpoint,
                        "s3", media.endpoint()),
                AwsClients.Timeouts.LOCAL));
        // The API port is chosen first: its /samples/ origin is allow-listed in the media step's environment.
        apiPort = settings.apiPort() == 0 ? Ports.free() : settings.apiPort();
        // Buckets on the shared S3 server are this stack's own (several stacks share one JVM in tests).
        String bucketSuffix = Long.toString(System.nanoTime() & 0xffffffL, 36);

        refs.put("AWS::Region", REGION);
        refs.put("AWS::AccountId", ACCOUNT);
        refs.put("AWS::StackName", STACK_NAME);
        refs.put("AWS::URLSuffix", "amazonaws.com");
        String tableId = template.onlyResource("AWS::DynamoDB::Table");
        tableName = tableId;
        if (!clients.dynamoDb().listTables().tableNames().contains(tableName)) {
            AssetsTable.create(clients.dynamoDb(), tableName); // kept from an earlier run otherwise (--data-dir)
        }
        refs.put(tableId, tableName);
        refs.put(tableId + ".Arn", "arn:aws:dynamodb:" + REGION + ":" + ACCOUNT + ":table/" + tableName);
        queueUrls.putAll(LocalQueues.create(clients.sqs(), template, refs));
        for (String bucketId : template.resources("AWS::S3::Bucket").keySet()) {
            String bucket = (STACK_NAME + "-" + bucketId).toLowerCase(java.util.Locale.ROOT);
            refs.put(bucketId, bucket);
            refs.put(bucketId + ".Arn", "arn:aws:s3:::" + bucket);
            if (bucketId.equals(ConsoleSite.BUCKET_ID)) {
                continue; // the console's files are served by the local API at /console/ (ConsoleSite)
            }
            if (bucketId.equals(MEDIA_BUCKET_ID)) {
                String own = bucket + "-" + bucketSuffix;
                refs.put(bucketId, own);
                refs.put(bucketId + ".Arn", "arn:aws:s3:::" + own);
                media.createBucket(clients.s3(), own);
                continue;
            }
            if (uploads != null) {
                throw new IllegalStateException("the local stack serves one bucket (the upload bucket); the template has more");
            }
            uploads = open(LocalS3.start(bucket, settings.dataDir(), settings.s3Port(), clock, REGION));
        }
        LocalUploadSigner uploadSigner = uploads == null ? null : new LocalUploadSigner(uploads, clock);
        String machineId = template.onlyResource("AWS::Serverless::StateMachine");
        stateMachineArn = "arn:aws:states:" + REGION + ":" + ACCOUNT + ":stateMachine:" + machineId;
        refs.put(machineId, stateMachineArn);
        refs.put(machineId + ".Arn", stateMachineArn);
        refs.put(machineId + ".Name", machineId);
        template.resources("AWS::Serverless::Function").keySet().forEach(id -> {
            String arn = "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + id;
            refs.put(id, id);
            refs.put(id + ".Arn", arn);
            refs.put(id + ".Alias", arn + ":" + template.functionProperty(id, "AutoPublishAlias").map(JsonNode::asText).orElse("live"));
        });
        TemplateValues values = new TemplateValues(template, parameterOverrides(), refs);

        // Secrets Manager has no local counterpart: the list-token secret that CloudFormation
        // generates is stood in for by a random key of this run, handed over the way
        // ListTokenKeys reads it locally (LIST_TOKEN_KEY instead of the secret's ARN).
        byte[] tokenKey = new byte[36];
        new SecureRandom().nextBytes(tokenKey);
        String listTokenKey = Base64.getUrlEncoder().withoutPadding().encodeToString(tokenKey);
        // webhooks: the key that seals endpoint secrets (Secrets Manager in AWS), random per run like the
        // list token key: endpoints registered in one run cannot sign in the next (--data-dir keeps the items).
        byte[] sealing = new byte[36];
        new SecureRandom().nextBytes(sealing);
        String webhookSealingKey = Base64.getUrlEncoder().withoutPadding().encodeToString(sealing);

        Map<String, LocalLambda> functions = new LinkedHashMap<>();
        Map<String, LocalLambda> byArn = new HashMap<>();
        for (String id : template.resources("AWS::Serverless::Function").keySet()) {
            Map<String, String> env = new LinkedHashMap<>();
            template.environment(id).forEach((name, value) -> {
                if (name.equals(Config.LIST_TOKEN_SECRET_ARN)) {
                    env.put(Config.LIST_TOKEN_KEY, listTokenKey);
                } else if (name.equals(Config.WEBHOOK_SECRET_KEY_ARN)) {
                    env.put(Config.WEBHOOK_SECRET_KEY, webhookSealingKey); // webhooks: as the list token key
                } else if (name.equals(Config.WEBHOOK_TIME_SCALE)) {
                    env.put(name, Double.toString(settings.timeScale())); // webhooks: retry delays on the queue
                } else {
                    env.put(name, values.resolve(value));
                }
            });
            if (settings.upstreamAllowHttp()) {
                env.put(Config.UPSTREAM_ALLOW_PLAIN_HTTP, "true"); // --upstream-allow-http: never set in AWS
            }
            {
                // Local only (never declared in the template): the sample origin and --fetch-allow,
                // fetched by the media step and accepted at upload time.
                // The media bucket's server too: an upstream library reviewing this one's assets fetches
                // their stored copies from it through presigned GETs.
                List<String> allow = new java.util.ArrayList<>(List.of("127.0.0.1:" + apiPort, "localhost:" + apiPort,
                        media.endpoint().getHost() + ":" + media.endpoint().getPort()));
                dev.assetlib.local.api.SampleOrigin.startedOrigin().ifPresent(allow::add);
                allow.addAll(settings.fetchAllow());
                // and what the template declares for the function (the FetchAllowOrigins parameter)
                java.util.Arrays.stream(env.getOrDefault("ASSETLIB_FETCH_ALLOW", "").split(","))
                        .map(String::trim).filter(v -> !v.isEmpty()).forEach(allow::add);
                env.put("ASSETLIB_FETCH_ALLOW", String.join(",", allow));
            }
            // The upstream reviewer's key is given directly here (never an environment variable);
            // in AWS it is read from the Secrets Manager secret UPSTREAM_API_KEY_SECRET names.
            // The upload stand-in's signer (its URLs instead of S3 presigned ones), when it runs.
            Services services = new Services(new Config(env), clients, new Services.Clocks(clock, Clock.systemUTC()),
                    Services.Overrides.NONE.withUpstreamApiKey(settings.upstreamKey()).withUploadUrlSigner(uploadSigner));
            String handler = template.functionProperty(id, "Handler").map(JsonNode::asText)
                    .orElseThrow(() -> new IllegalStateException(id + " has no Handler in template.yaml"));
            LambdaFunctionInfo info = new LambdaFunctionInfo(id, refs.get(id + ".Arn"),
                    Duration.ofSeconds(template.functionProperty(id, "Timeout").map(JsonNode::asLong).orElse(3L)),
                    template.functionProperty(id, "MemorySize").map(JsonNode::asInt).orElse(128));
            LocalLambda fn = hooks.wrapFunction().apply(id, LocalFunctions.create(handler, services, info));
            functions.put(id, fn);
            byArn.put(refs.get(id + ".Arn"), fn);
            byArn.put(refs.get(id + ".Alias"), fn);
        }

        sfn = open(StepFunctionsLocal.builder().region(REGION).accountId(ACCOUNT).timeScale(settings.timeScale())
                .clock(clock).lambdas(byArn).faultInjector(hooks.faults()).build());
        JsonNode machine = template.resources("AWS::Serverless::StateMachine").get(machineId).path("Properties");
        Path definition = template.directory().resolve(machine.path("DefinitionUri").asText());
        Map<String, String> substitutions = new HashMap<>();
        machine.path("DefinitionSubstitutions").fields().forEachRemaining(e -> substitutions.put(e.getKey(), values.resolve(e.getValue())));
        sfn.createStateMachine(machineId, Files.readString(definition), substitutions);
        sfn.startEndpoint(sfnPort);

        ApiKeyStore keys = new ApiKeyStore(clients.dynamoDb(), tableName);
        for (DevKey key : settings.devKeys()) {
            keys.register(key.key(), key.accountId(), "uploader", clock.instant());
        }
        for (DevKey key : settings.reviewerKeys()) {
            keys.register(key.key(), key.accountId(), "reviewer", clock.instant());
        }
        startEventSources(template, values, functions);

        // The API port opens last, when keys, queues and the state machine are ready: a client
        // that calls as soon as the port accepts gets answers, never a 401 for a key not yet stored.
        HttpApiGateway gateway = new HttpApiGateway(HttpApiDefinition.fromTemplate(template, values), functions, REGION, ACCOUNT, clock);
        ApiServer api = open(ApiServer.start(gateway, apiPort, new ConsoleSite(settings.projectDir().resolve("console"),
                List.of(values.resolve(Json.MAPPER.createObjectNode().put("Ref", ConsoleSite.MEDIA_ORIGINS_PARAMETER)),
                        uploads == null ? "" : origin(uploads.endpoint()), origin(media.endpoint())))));
        api.serveOpenApi(template.directory().resolve("openapi.yaml"));
        apiEndpoint = URI.create("http://127.0.0.1:" + api.port());
    }

    /**
     * The functions' S3 and SQS events, as their local counterparts: the upload stand-in notifies
     * the S3 event's function (with its key prefix); each SQS event gets a poller like Lambda's
     * event source mapping (batch size, batching window, ReportBatchItemFailures, the queue's visibility timeout).
     */
    private void startEventSources(SamTemplate template, TemplateValues values, Map<String, LocalLambda> functions) {
        Map<String, JsonNode> queues = template.resources("AWS::SQS::Queue");
        for (String id : functions.keySet()) {
            JsonNode events = template.functionProperty(id, "Events").orElse(null);
            if (events == null) {
                continue;
            }
            for (var e : (Iterable<Map.Entry<String, JsonNode>>) events::fields) {
                JsonNode props = e.getValue().path("Properties");
                switch (e.getValue().path("Type").asText()) {
                    case "S3" -> {
                        if (uploads == null) {
                            throw new IllegalStateException(id + " has an S3 event but the template has no bucket");
                        }
                        String prefix = "";
                        for (JsonNode rule : props.path("Filter").path("S3Key").path("Rules")) {
                            if (rule.path("Name").asText().equalsIgnoreCase("prefix")) {
                                prefix = rule.path("Value").asText();
                            }
                        }
                        uploads.notifyObjectCreated(functions.get(id), prefix);
                    }
                    case "SQS" -> {
                        String queueId = props.path("Queue").path("Fn::GetAtt").path(0).asText("");
                        String url = queueUrls.get(queueId);
                        if (url == null) {
                            throw new IllegalStateException(id + ": SQS event Queue must be !GetAtt <a queue of this template>.Arn");
                        }
                        boolean partial = false;
                        for (JsonNode t : props.path("FunctionResponseTypes")) {
                            partial |= t.asText().equals("ReportBatchItemFailures");
                        }
                        Duration visibility = Duration.ofSeconds(queues.get(queueId).path("Properties").path("VisibilityTimeout").asLong(30));
                        int batchSize = props.has("BatchSize") ? Integer.parseInt(values.resolve(props.get("BatchSize"))) : 10;
                        Duration window = Duration.ofMillis(Math.round(1000 * (props.has("MaximumBatchingWindowInSeconds")
                                ? Double.parseDouble(values.resolve(props.get("MaximumBatchingWindowInSeconds"))) : 0)));
                        sqsEventSources.add(open(new LocalSqsEventSource(clients.sqs(), url, refs.get(queueId + ".Arn"), REGION,
                                functions.get(id), id, batchSize, window, partial, visibility, settings.timeScale(), 2)));
                    }
                    case "Schedule" -> {
                        // The reconciler's every-minute rule (hole 1): a timer here, scaled like every wait.
                        if (props.path("Enabled").asBoolean(true)) {
                            open(new LocalSchedule(id, "arn:aws:events:" + REGION + ":" + ACCOUNT + ":rule/" + id + "-" + e.getKey(),
                                    values.resolve(props.path("Schedule")), functions.get(id), settings.timeScale()));
                        }
                    }
                    default -> {
                        // HttpApi events are served by the gateway
                    }
                }
            }
        }
    }

    /**
     * Starts the stack as {@code ./run-local} would with these flags (ports may be 0), without the
     * banner and without waiting, and in memory (--in-memory: nothing kept, nothing read from a data
     * dir): for programs that drive the stack, such as the benchmark.
     */
    public static RunningStack start(Hooks hooks, String... flags) throws Exception {
        String[] all = java.util.Arrays.copyOf(flags, flags.length + 1);
        all[flags.length] = "--in-memory";
        return start(LocalStack.settings(all), hooks);
    }

    /** The template parameters the flags stand for, then --parameter; every other parameter keeps its Default. */
    private Map<String, String> parameterOverrides() {
        // Account limits (docs/quotas.md) are off locally unless --parameter AccountLimitsEnabled=true:
        // the local stack is a developer's and the tests' own, and its bursts are not tenants'.
        // Locally the reconciler asks every minute (of the scaled clock) whether a running review
        // still has its execution, so that a restart resumes reviews quickly; --parameter overrides it.
        Map<String, String> overrides = new HashMap<>(Map.of("AccountLimitsEnabled", "false", "ReconcileRecheckSeconds", "60"));
        overrides.putAll(settings.parameters());
        overrides.putAll(Map.of(
                "Reviewer", settings.reviewer(),
                "UpstreamBaseUrl", settings.upstreamUrl() == null ? "" : settings.upstreamUrl().toString(),
                "ReviewDeadlineSeconds", Long.toString(settings.deadline().toSeconds()),
                "SimulatedReviewDelaySeconds", Double.toString(settings.reviewDelay().toMillis() / 1000.0),
                "SimulatedRejectRules", RejectRule.toJson(settings.rejectRules()),
                "AuthorizerCacheSeconds", Long.toString(settings.authorizerCache().toSeconds()),
                "UploadWaitSeconds", Long.toString(settings.uploadWait().toSeconds()),
                "UploadUrlExpirySeconds", Long.toString(Math.min(900, settings.uploadWait().toSeconds()))));
        return overrides;
    }

    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    private <T extends AutoCloseable> T open(T resource) {
        opened.push(resource);
        return resource;
    }

    public StackSettings settings() {
        return settings;
    }

    public URI apiEndpoint() {
        return apiEndpoint;
    }

    public URI dynamoDbEndpoint() {
        return dynamoDbEndpoint;
    }

    public URI sqsEndpoint() {
        return sqsEndpoint;
    }

    public URI sfnEndpoint() {
        return sfnEndpoint;
    }

    public String tableName() {
        return tableName;
    }

    /** Queue URLs by template logical id. */
    public Map<String, String> queueUrls() {
        return Map.copyOf(queueUrls);
    }

    public String stateMachineArn() {
        return stateMachineArn;
    }

    /** The local stand-in of the upload bucket (null if the template has no bucket). */
    public LocalS3 uploads() {
        return uploads;
    }

    /** The S3-compatible server of the media bucket (S3Mock, shared by the stacks of this JVM). */
    public URI mediaEndpoint() {
        return media.endpoint();
    }

    /** This stack's media bucket on that server. */
    public String mediaBucket() {
        return refs.get(MEDIA_BUCKET_ID);
    }

    /** The stack's one clock: virtual time under --time-scale (see ScaledClock). */
    public Clock clock() {
        return clock;
    }

    /** The SQS event source that invokes the function of this logical id (its batch size and window), if any. */
    public java.util.Optional<LocalSqsEventSource> sqsEventSource(String functionId) {
        return sqsEventSources.stream().filter(e -> functionId.equals(e.functionName())).findFirst();
    }

    public StepFunctionsLocal stepFunctions() {
        return sfn;
    }

    public List<DevKey> devKeys() {
        return settings.devKeys();
    }

    /** Stops the API first, then the state machine runtime, then the servers, newest first. */
    @Override
    public synchronized void close() {
        while (!opened.isEmpty()) {
            AutoCloseable resource = opened.pop();
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("run-local: stopping " + resource.getClass().getSimpleName() + " failed: " + e);
            }
        }
    }
}
