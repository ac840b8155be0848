package dev.assetlib.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.assetlib.json.Json;
import dev.assetlib.store.CreationGuard;
import dev.assetlib.store.StoreUnavailableException;
import dev.assetlib.workflow.ReviewState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * What became of each ingest message, so that a message delivered twice creates its assets once.
 * One item per account and key ({@code pk = INGEST#{account}#{key}}, {@code sk = INGEST}); the key
 * is the message's {@code idempotencyKey} field when it has one, otherwise the SQS message id.
 * <ul>
 *   <li>A message that creates assets writes its record in the same transaction as the assets (a
 *       {@link CreationGuard}), holding the review's initial state: a second delivery finds it,
 *       creates nothing, and starts the same review again (a no-op if it runs: same name, same input).</li>
 *   <li>A message refused outright (or a batch with refused URLs) records its rejection completion
 *       with a PENDING/SENT mark, so the completion goes out once even if a delivery dies in between.</li>
 * </ul>
 * Records expire after {@link #RETENTION} (the table's TTL), far beyond SQS's 14-day retention.
 */
public final class IngestIdempotency {
    public static final Duration RETENTION = Duration.ofDays(30);
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final String PENDING = "PENDING";
    private static final String SENT = "SENT";

    private final DynamoDbClient dynamo;
    private final String table;

    public IngestIdempotency(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** A key a message may carry in its {@code idempotencyKey} field. */
    public static boolean isValidKey(String key) {
        return key != null && KEY.matcher(key).matches();
    }

    /** The record found for a key: the review it started (if any) and its rejection completion (if any). */
    public record Entry(ReviewState review, String rejection, boolean rejectionSent) {
    }

    /** The record of a message whose assets are being created, written with them (rejection: for refused URLs, or null). */
    public CreationGuard createdGuard(String accountId, String key, ReviewState initial, String rejection, Instant now) {
        Map<String, AttributeValue> item = base(accountId, key, now);
        try {
            item.put("review", AttributeValue.fromS(Json.MAPPER.writeValueAsString(initial)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("review state is always serialisable", e);
        }
        if (rejection != null) {
            item.put("rejection", AttributeValue.fromS(rejection));
            item.put("rejectionCompletion", AttributeValue.fromS(PENDING));
        }
        return new CreationGuard(key(accountId, key), item);
    }

    /** Records a message refused outright; false (writing nothing) when the key has a record already. */
    public boolean putRejected(String accountId, String key, String rejection, Instant now) {
        Map<String, AttributeValue> item = base(accountId, key, now);
        item.put("rejection", AttributeValue.fromS(rejection));
        item.put("rejectionCompletion", AttributeValue.fromS(PENDING));
        try {
            dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not accept the ingest record", e);
        }
    }

    public Optional<Entry> find(String accountId, String key) {
        Map<String, AttributeValue> item;
        try {
            item = dynamo.getItem(r -> r.tableName(table).key(key(accountId, key)).consistentRead(true)).item();
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not answer", e);
        }
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        ReviewState review = null;
        if (item.containsKey("review")) {
            try {
                review = Json.MAPPER.readValue(item.get("review").s(), ReviewState.class);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("stored review state is unreadable", e);
            }
        }
        AttributeValue rejection = item.get("rejection");
        AttributeValue mark = item.get("rejectionCompletion");
        return Optional.of(new Entry(review, rejection == null ? null : rejection.s(), mark != null && SENT.equals(mark.s())));
    }

    /** Records that the rejection completion went out; false if it was already recorded. */
    public boolean markRejectionSent(String accountId, String key) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(accountId, key))
                    .updateExpression("SET rejectionCompletion = :sent")
                    .conditionExpression("rejectionCompletion = :pending")
                    .expressionAttributeValues(Map.of(":sent", AttributeValue.fromS(SENT), ":pending", AttributeValue.fromS(PENDING))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not accept the completion mark", e);
        }
    }

    /** The completion queue's deduplication key of a message's rejection: short, fixed length, no raw input. */
    public static String dedupKey(String accountId, String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((accountId + "\n" + key).getBytes(StandardCharsets.UTF_8));
            return "ingest-" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present in the JDK", e);
        }
    }

    private static Map<String, AttributeValue> key(String accountId, String key) {
        return Map.of("pk", AttributeValue.fromS("INGEST#" + accountId + "#" + key), "sk", AttributeValue.fromS("INGEST"));
    }

    private static Map<String, AttributeValue> base(String accountId, String key, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(key(accountId, key));
        item.put("accountId", AttributeValue.fromS(accountId));
        item.put("idempotencyKey", AttributeValue.fromS(key));
        item.put("createdAt", AttributeValue.fromN(Long.toString(now.toEpochMilli())));
        item.put("expiresAt", AttributeValue.fromN(Long.toString(now.plus(RETENTION).getEpochSecond())));
        return item;
    }
}
