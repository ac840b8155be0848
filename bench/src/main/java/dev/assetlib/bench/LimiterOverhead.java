package dev.assetlib.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.Services;
import dev.assetlib.api.UploadHandler;
import dev.assetlib.aws.AwsClients;
import dev.assetlib.config.Config;
import dev.assetlib.local.RunningStack;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The account limits' cost per upload (docs/quotas.md): the upload handler with and without
 * AccountLimitsEnabled, in this JVM against the bench's DynamoDB Local and local Step Functions,
 * warmed, in alternating blocks. DynamoDB requests per upload are counted by {@link CallCounter}
 * (every SDK call of the JVM, by scenario), latency per call of the handler. The limits are set
 * far above the load (the bench measures the bookkeeping, not refusals).
 */
final class LimiterOverhead {
    private final ServerStack servers;
    private final Bench.Options options;

    LimiterOverhead(ServerStack servers, Bench.Options options) {
        this.servers = servers;
        this.options = options;
    }

    void run(Report report) throws Exception {
        int warmup = options.quick() ? 100 : 300;
        int block = options.quick() ? 100 : 200;
        int rounds = options.quick() ? 2 : 4;
        System.out.println("bench: account limits overhead, " + warmup + " uploads warm-up each, then " + rounds
                + " x (" + block + " without + " + block + " with limits)");
        ObjectMapper mapper = new ObjectMapper();
        String eventText = Files.readString(options.project().resolve("events/api-seedance-upload.json"))
                .replace(ServerStack.EVENT_KEY_PLACEHOLDER, servers.apiKey);
        APIGatewayV2HTTPEvent event = mapper.readValue(eventText, APIGatewayV2HTTPEvent.class);
        UploadHandler off = handler(false);
        UploadHandler on = handler(true);
        loop(off, event, warmup, "limits-warmup");
        loop(on, event, warmup, "limits-warmup");
        List<Long> offNanos = new ArrayList<>();
        List<Long> onNanos = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            offNanos.addAll(loop(off, event, block, "limits-off"));
            onNanos.addAll(loop(on, event, block, "limits-on"));
        }
        long n = (long) block * rounds;
        double offCalls = dynamoCalls("limits-off") / (double) n;
        double onCalls = dynamoCalls("limits-on") / (double) n;
        double offP50 = percentile(offNanos, 50) / 1e6;
        double onP50 = percentile(onNanos, 50) / 1e6;
        double offP99 = percentile(offNanos, 99) / 1e6;
        double onP99 = percentile(onNanos, 99) / 1e6;
        report.table("Account limits per upload (upload handler in one warmed JVM, DynamoDB Local server + local Step Functions)",
                        "upload", "DynamoDB requests", "p50 ms", "p99 ms", "uploads")
                .row("without limits (AccountLimitsEnabled=false)", offCalls, offP50, offP99, n)
                .row("with limits (bucket UpdateItem + quota item in the transaction)", onCalls, onP50, onP99, n)
                .row("added by the limits", onCalls - offCalls, onP50 - offP50, onP99 - offP99, "target <= 1 request");
        ObjectNode j = report.json.putObject("accountLimits");
        j.put("uploads", n).put("dynamoRequestsWithout", offCalls).put("dynamoRequestsWith", onCalls)
                .put("p50MsWithout", offP50).put("p50MsWith", onP50).put("p99MsWithout", offP99).put("p99MsWith", onP99);
        report.target("account limits: added DynamoDB requests per upload", onCalls - offCalls, "<=", 1, "");
    }

    private static long dynamoCalls(String scenario) {
        long sum = 0;
        for (Map.Entry<String, Long> e : CallCounter.snapshot().entrySet()) {
            if (e.getKey().startsWith(scenario + " DynamoDb ")) {
                sum += e.getValue();
            }
        }
        return sum;
    }

    private static List<Long> loop(UploadHandler handler, APIGatewayV2HTTPEvent event, int count, String scenario) {
        List<Long> nanos = new ArrayList<>(count);
        CallCounter.tag(scenario);
        try {
            for (int i = 0; i < count; i++) {
                long t = System.nanoTime();
                APIGatewayV2HTTPResponse r = handler.handleRequest(event, null);
                nanos.add(System.nanoTime() - t);
                if (r.getStatusCode() != 200) {
                    throw new IllegalStateException("upload answered " + r.getStatusCode() + ": " + r.getBody());
                }
            }
        } finally {
            CallCounter.untag();
        }
        return nanos;
    }

    private UploadHandler handler(boolean limits) {
        Map<String, String> env = new HashMap<>(Map.of("ASSETS_TABLE", servers.stack.tableName(),
                "REVIEW_STATE_MACHINE_ARN", servers.parkingArn, "REVIEW_DEADLINE_SECONDS", "86400", "MAX_BATCH_URLS", "20"));
        if (limits) {
            env.putAll(Map.of(Config.ACCOUNT_LIMITS_ENABLED, "true", Config.UPLOADS_PER_SECOND, "100000",
                    Config.QUOTA_IN_REVIEW, "1000000000", Config.QUOTA_STORED_ASSETS, "1000000000",
                    Config.QUOTA_UPLOADS_PER_DAY, "1000000000"));
        }
        AwsClients clients = new AwsClients(Region.of(RunningStack.REGION),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")),
                Map.of("dynamodb", servers.stack.dynamoDbEndpoint(), "stepfunctions", servers.stack.sfnEndpoint(),
                        "sqs", servers.stack.sqsEndpoint()));
        return new UploadHandler(new Services(new Config(env), clients, Clock.systemUTC()));
    }

    private static double percentile(List<Long> values, int p) {
        long[] sorted = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
