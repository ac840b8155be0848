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
import dev.assetlib.local.s3.S3MockServer;
import dev.assetlib.local.s3.UploadEvents;
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
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
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
    /** Each function's environment as its handler gets it here (template values resolved locally). */
    private final Map<String, Map<String, String>> functionEnvironments = new LinkedHashMap<>();
    private String stateMachineArn;
    private StepFunctionsLocal sfn;
    private AwsClients clients;
    /** Both buckets of the template (upload, media) on S3Mock, shared by the stacks of this JVM. */
    private S3MockServer s3Server;
    private String uploadBucket;
    private UploadEvents uploadEvents;
    private int apiPort;
    /** The template's media bucket. */
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
        s3Server = S3MockServer.shared(settings.s3Port(), settings.inMemory() ? null : settings.dataDir().resolve("s3"));
        clients = open(new AwsClients(Region.of(REGION),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")),
                endpoints(hooks), AwsClients.Timeouts.LOCAL));
        // The API port is chosen first: its /samples/ origin is allow-listed in the media step's environment.
        apiPort = settings.apiPort() == 0 ? Ports.free() : settings.apiPort();
        // Buckets on the shared S3 server are this stack's own (several stacks share one JVM in tests):
        // fresh ones in memory, else the template's names, suffixed only while another stack holds them.
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
            String name = (STACK_NAME + "-" + bucketId).toLowerCase(java.util.Locale.ROOT);
            if (bucketId.equals(ConsoleSite.BUCKET_ID)) {
                refs.put(bucketId, name);
                refs.put(bucketId + ".Arn", "arn:aws:s3:::" + name);
                continue; // the console's files are served by the local API at /console/ (ConsoleSite)
            }
            String bucket = settings.inMemory() ? name + "-" + bucketSuffix : s3Server.claim(name);
            if (!settings.inMemory()) {
                open(() -> s3Server.release(bucket));
            }
            refs.put(bucketId, bucket);
            refs.put(bucketId + ".Arn", "arn:aws:s3:::" + bucket);
            s3Server.createBucket(clients.s3(), bucket);
        }
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

        // Secrets Manager has no local counterpart: the list-token secret and the key that seals webhook
        // endpoint secrets are stood in for by keys kept in the data dir (new each run with --in-memory),
        // handed over the way the functions read them locally (the key itself instead of a secret's ARN).
        String listTokenKey = LocalSecrets.key(settings, "list-token");
        String webhookSealingKey = LocalSecrets.key(settings, "webhook-sealing");

        Map<String, LocalLambda> functions = new LinkedHashMap<>();
        Map<String, LocalLambda> byArn = new HashMap<>();
        for (String id : template.resources("AWS::Serverless::Function").keySet()) {
            Map<String, String> env = new LinkedHashMap<>();
            template.environment(id).forEach((name, value) -> {
                if (name.equals(Config.LIST_TOKEN_SECRET_ARN)) {
                    env.put(Config.LIST_TOKEN_KEY, listTokenKey);
                } else if (name.equals(Config.WEBHOOK_SECRET_KEY_ARN)) {
                    env.put(Config.WEBHOOK_SECRET_KEY, webhookSealingKey); // webhooks: as the list token key
                } else if (name.equals(Config.WEBHOOK_TIME_SCALE) || name.equals(Config.INGEST_TIME_SCALE)) {
                    env.put(name, Double.toString(settings.timeScale())); // webhooks, ingest: delays on the queue
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
                        s3Server.endpoint().getHost() + ":" + s3Server.endpoint().getPort()));
                dev.assetlib.local.api.SampleOrigin.startedOrigin().ifPresent(allow::add);
                allow.addAll(settings.fetchAllow());
                // and what the template declares for the function (the FetchAllowOrigins parameter)
                java.util.Arrays.stream(env.getOrDefault("ASSETLIB_FETCH_ALLOW", "").split(","))
                        .map(String::trim).filter(v -> !v.isEmpty()).forEach(allow::add);
                env.put("ASSETLIB_FETCH_ALLOW", String.join(",", allow));
            }
            // The upstream reviewer's key is given directly here (never an environment variable);
            // in AWS it is read from the Secrets Manager secret UPSTREAM_API_KEY_SECRET names.
            // Upload URLs are S3 presigned PUTs of the same signer as in AWS, for the local S3 server.
            functionEnvironments.put(id, Map.copyOf(env));
            Services services = new Services(new Config(env), clients, new Services.Clocks(clock, Clock.systemUTC()),
                    Services.Overrides.NONE.withUpstreamApiKey(settings.upstreamKey()));
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
                        origin(s3Server.endpoint())))));
        api.serveOpenApi(template.directory().resolve("openapi.yaml"));
        apiEndpoint = URI.create("http://127.0.0.1:" + api.port());
    }

    /**
     * The functions' S3 and SQS events, as their local counterparts: the S3 event's bucket is
     * watched for new objects ({@link UploadEvents}, with its key prefix), which notify the
     * function; each SQS event gets a poller like Lambda's
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
                        String bucket = refs.get(props.path("Bucket").path("Ref").asText(""));
                        if (bucket == null || uploadEvents != null) {
                            throw new IllegalStateException(id + ": the local stack serves one S3 event, whose Bucket is "
                                    + "!Ref <a bucket of this template>");
                        }
                        String prefix = "";
                        for (JsonNode rule : props.path("Filter").path("S3Key").path("Rules")) {
                            if (rule.path("Name").asText().equalsIgnoreCase("prefix")) {
                                prefix = rule.path("Value").asText();
                            }
                        }
                        uploadBucket = bucket;
                        uploadEvents = open(UploadEvents.start(clients.s3(), bucket, prefix, functions.get(id), clock, REGION));
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

    /** The local services' endpoints; Rekognition's only when --rekognition-endpoint names a stand-in. */
    /** What the functions' AWS clients call: DynamoDB and SQS through the hooks' fronts (fault-injection tests). */
    private Map<String, URI> endpoints(Hooks hooks) {
        Map<String, URI> endpoints = new HashMap<>(Map.of("dynamodb", hooks.dynamoDbFront().apply(dynamoDbEndpoint),
                "sqs", hooks.sqsFront().apply(sqsEndpoint), "stepfunctions", sfnEndpoint, "s3", s3Server.endpoint()));
        if (settings.rekognitionEndpoint() != null) {
            endpoints.put("rekognition", settings.rekognitionEndpoint());
        }
        return endpoints;
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

    /**
     * A template function's environment variables as this stack gives them to its handler: the
     * template's, resolved to this stack's tables, queues, buckets and keys (the package smoke
     * test runs each function's deployment package in a JVM of its own with them).
     */
    public Map<String, String> functionEnvironment(String functionId) {
        Map<String, String> env = functionEnvironments.get(functionId);
        if (env == null) {
            throw new IllegalArgumentException("no function " + functionId + " in template.yaml");
        }
        return env;
    }

    public String stateMachineArn() {
        return stateMachineArn;
    }

    /** The S3-compatible server of both buckets (S3Mock on --s3-port, shared by the stacks of this JVM). */
    public URI s3Endpoint() {
        return s3Server.endpoint();
    }

    /** The same server as {@link #s3Endpoint()}: the media bucket's. */
    public URI mediaEndpoint() {
        return s3Server.endpoint();
    }

    /** This stack's upload bucket (the one whose ObjectCreated events the template sends to a function). */
    public String uploadBucket() {
        return uploadBucket;
    }

    /** The upload bucket's ObjectCreated delivery (tests wait on its count of raised events). */
    public UploadEvents uploadEvents() {
        return uploadEvents;
    }

    /** An S3 client of this stack's server, with the stack's own credentials (the bucket owner's). */
    public software.amazon.awssdk.services.s3.S3Client s3() {
        return clients.s3();
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
