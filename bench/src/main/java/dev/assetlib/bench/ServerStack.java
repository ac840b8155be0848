package dev.assetlib.bench;

import dev.assetlib.security.ApiKeys;
import dev.assetlib.local.RunningStack;
import dev.assetlib.store.BenchSeed;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The local servers the cold-start and warm parts call: the local stack (DynamoDB Local and
 * ElasticMQ in server mode, the Step Functions endpoint) on free ports, with an API key and the
 * sample events' asset seeded for account acct-demo, and a "parking" state machine (one long Wait)
 * for the uploads' StartExecution, so that the executions they start cost nothing while the
 * benchmark measures (the review flow itself is measured by {@link ReviewCost}).
 */
final class ServerStack implements AutoCloseable {
    static final String ACCOUNT = "acct-demo";
    static final String ASSET_ID = "asset-20260330142158-q75m8";
    static final String EVENT_KEY_PLACEHOLDER = "alk_REPLACE_WITH_YOUR_KEY_0000000000000000000000000";
    static final String PARKING = """
            {"Comment":"benchmark: executions wait a day and do nothing","StartAt":"Park",
             "States":{"Park":{"Type":"Wait","Seconds":86400,"End":true}}}""";

    final RunningStack stack;
    final String apiKey;
    final String parkingArn;
    final DynamoDbClient dynamo;

    private ServerStack(RunningStack stack, String apiKey, String parkingArn, DynamoDbClient dynamo) {
        this.stack = stack;
        this.apiKey = apiKey;
        this.parkingArn = parkingArn;
        this.dynamo = dynamo;
    }

    static ServerStack start(java.nio.file.Path project) throws Exception {
        String key = ApiKeys.generate(new SecureRandom());
        RunningStack stack = RunningStack.start(RunningStack.Hooks.NONE, "--project-dir", project.toString(),
                "--api-port", "0", "--dynamodb-port", "0", "--sqs-port", "0", "--sfn-port", "0",
                "--dev-key", key + "=" + ACCOUNT);
        try {
            String parking = stack.stepFunctions().createStateMachine("BenchParking", PARKING, Map.of());
            DynamoDbClient dynamo = DynamoDbClient.builder().region(Region.of(RunningStack.REGION))
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                    .httpClient(UrlConnectionHttpClient.create()).endpointOverride(stack.dynamoDbEndpoint()).build();
            ServerStack s = new ServerStack(stack, key, parking, dynamo);
            s.resetSeededAsset();
            return s;
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    /** Puts the sample events' asset back to Processing with no completion sent (before every run). */
    void resetSeededAsset() {
        Map<String, AttributeValue> item = BenchSeed.processingAsset(ACCOUNT, ASSET_ID, "https://example.com/portrait.jpg",
                "My portrait photo", Instant.now());
        for (Map<String, AttributeValue> key : BenchSeed.eventKeys(ACCOUNT, ASSET_ID, 6)) {
            dynamo.deleteItem(r -> r.tableName(stack.tableName()).key(key));
        }
        dynamo.putItem(r -> r.tableName(stack.tableName()).item(item));
    }

    String completionQueueUrl() {
        return stack.queueUrls().get("CompletionQueue");
    }

    /** The variables every child JVM gets: what Lambda sets, the local endpoints, the template's JAVA_TOOL_OPTIONS. */
    Map<String, String> lambdaEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", RunningStack.REGION);
        env.put("AWS_DEFAULT_REGION", RunningStack.REGION);
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_SESSION_TOKEN", "local");
        env.put("AWS_ENDPOINT_URL_DYNAMODB", stack.dynamoDbEndpoint().toString());
        env.put("AWS_ENDPOINT_URL_SQS", stack.sqsEndpoint().toString());
        env.put("AWS_ENDPOINT_URL_SFN", stack.sfnEndpoint().toString());
        env.put("TZ", ":UTC");
        env.put("LANG", "en_US.UTF-8");
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        // template.yaml Globals.Function.Environment
        env.put("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
        // the floor's hand-written keys (every child gets them, so every environment is alike)
        env.put("FLOOR_KEY_PK", "APIKEY#" + ApiKeys.hash(apiKey));
        env.put("FLOOR_ASSET_PK", "ACCOUNT#" + ACCOUNT);
        env.put("FLOOR_ASSET_SK", "ASSET#" + ASSET_ID);
        return env;
    }

    @Override
    public void close() {
        dynamo.close();
        stack.close();
    }
}
