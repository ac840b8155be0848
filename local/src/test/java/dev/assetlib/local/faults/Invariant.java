package dev.assetlib.local.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.local.RunningStack;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The promise every fault case ends by checking, read from the real servers (never through a
 * fault proxy): every asset in the table (so every accepted one, and any the faults may have
 * orphaned) ends Active or Failed with a reason; each has exactly one completion, with its final
 * status; every id a client was given is in the table; no answer was a 5xx except 503 with
 * Retry-After; nothing stored contains a marker of refused input.
 */
public final class Invariant {
    /** Where to look: the real DynamoDB Local and ElasticMQ of a stack, its table and completion queue. */
    public record Target(URI dynamoDb, URI sqs, String table, String completionQueueUrl) {
        public static Target of(RunningStack stack) {
            return new Target(stack.dynamoDbEndpoint(), stack.sqsEndpoint(), stack.tableName(),
                    stack.queueUrls().get("CompletionQueue"));
        }
    }

    /** What was found, for the test's own further checks and its report line. */
    public record Outcome(Map<String, Map<String, AttributeValue>> assets, Map<String, List<JsonNode>> completions) {
        public long count(String status) {
            return assets.values().stream().filter(a -> a.get("status").s().equals(status)).count();
        }
    }

    private Invariant() {
    }

    public static Outcome holds(Target target, List<FaultClient> clients, Duration patience) {
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        try (DynamoDbClient dynamo = DynamoDbClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).endpointOverride(target.dynamoDb()).build();
             SqsClient sqs = SqsClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).endpointOverride(target.sqs()).build()) {
            for (FaultClient client : clients) {
                assertThat(client.answers()).as("answers that were 5xx but not 503 with Retry-After")
                        .filteredOn(a -> !a.allowed()).isEmpty();
            }
            long deadline = System.nanoTime() + patience.toNanos();
            Map<String, Map<String, AttributeValue>> assets;
            Map<String, List<JsonNode>> completions = new HashMap<>();
            while (true) {
                assets = assets(dynamo, target.table());
                drain(sqs, target.completionQueueUrl(), completions);
                var assetIds = assets.keySet();
                boolean allTerminal = assets.values().stream().allMatch(a -> Set.of("Active", "Failed").contains(a.get("status").s()));
                boolean allCompleted = assetIds.stream().allMatch(completions::containsKey);
                if (allTerminal && allCompleted || System.nanoTime() - deadline > 0) {
                    break;
                }
                sleep(250);
            }
            // Late duplicates would arrive now, if any were sent.
            sleep(1000);
            drain(sqs, target.completionQueueUrl(), completions);

            for (FaultClient client : clients) {
                assertThat(assets.keySet()).as("every id a client was given is an asset in the table").containsAll(client.accepted());
            }
            // Every broken promise at once, so a failure says how many assets and in which state.
            List<String> broken = new ArrayList<>();
            for (var e : assets.entrySet()) {
                Map<String, AttributeValue> a = e.getValue();
                String status = a.get("status").s();
                String seen = e.getKey() + " (status " + status + ", completion mark " + text(a, "completion") + ")";
                if (!Set.of("Active", "Failed").contains(status)) {
                    broken.add("not terminal: " + seen);
                } else if (status.equals("Failed") && (text(a, "errorCode").isBlank() || text(a, "errorMessage").isBlank())) {
                    broken.add("Failed without a reason: " + seen);
                }
                List<JsonNode> mine = completions.getOrDefault(e.getKey(), List.of());
                if (mine.size() != 1) {
                    broken.add(mine.size() + " completions: " + seen);
                } else if (!mine.get(0).path("status").asText().equals(status)) {
                    broken.add("completion says " + mine.get(0).path("status").asText() + ": " + seen);
                }
            }
            assertThat(broken).as("of %d assets, %d break the promise", assets.size(), broken.size()).isEmpty();
            assertThat(completions.keySet()).as("completions only for assets of the table").isSubsetOf(assets.keySet());
            List<String> markers = clients.stream().flatMap(c -> c.refusedMarkers().stream()).toList();
            if (!markers.isEmpty()) {
                dynamo.scanPaginator(r -> r.tableName(target.table())).items().forEach(item -> {
                    String text = item.toString();
                    for (String m : markers) {
                        assertThat(text).as("an item written for refused input (%s)", m).doesNotContain(m);
                    }
                });
            }
            return new Outcome(assets, completions);
        }
    }

    public static Outcome holds(RunningStack stack, List<FaultClient> clients, Duration patience) {
        return holds(Target.of(stack), clients, patience);
    }

    /** Every asset item (not history, id reservations or other items) by asset id. */
    static Map<String, Map<String, AttributeValue>> assets(DynamoDbClient dynamo, String table) {
        Map<String, Map<String, AttributeValue>> out = new HashMap<>();
        dynamo.scanPaginator(r -> r.tableName(table).consistentRead(true)).items().forEach(item -> {
            String pk = text(item, "pk");
            String sk = text(item, "sk");
            if (pk.startsWith("ACCOUNT#") && sk.startsWith("ASSET#") && !sk.contains("#EV#") && item.containsKey("status")) {
                out.put(sk.substring("ASSET#".length()), item);
            }
        });
        return out;
    }

    static void drain(SqsClient sqs, String queueUrl, Map<String, List<JsonNode>> into) {
        while (true) {
            List<Message> batch = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
            if (batch.isEmpty()) {
                return;
            }
            for (Message m : batch) {
                JsonNode body = FaultClient.json(m.body());
                if (body.hasNonNull("assetId")) {
                    into.computeIfAbsent(body.path("assetId").asText(), k -> new ArrayList<>()).add(body);
                }
                sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.s() == null ? "" : v.s();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }
}
