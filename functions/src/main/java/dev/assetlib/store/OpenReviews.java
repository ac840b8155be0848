package dev.assetlib.store;

import static dev.assetlib.store.AssetItems.DELETED_AT;
import static dev.assetlib.store.AssetItems.REVIEW_DUE;
import static dev.assetlib.store.AssetItems.REVIEW_OPEN;
import static dev.assetlib.store.AssetItems.s;

import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The reviews that are open (issue 15, hole 1): the outbox of review starts. A batch's first asset
 * item carries, from the creating transaction on (so no crash can separate them), a sparse key
 * {@code reviewOpen = REVIEWOPEN#{shard}} with {@code reviewDue} (when the reconciler should look
 * at it next), the batch's member ids and kind, and, once its execution was started,
 * {@code reviewExecution} (the name) and {@code reviewAttempt}. The index {@code ByOpenReview}
 * (keys only) finds the due ones; the marker is removed when the review ends, and goes with the
 * item if an unstarted upload is discarded.
 */
public final class OpenReviews {
    /** Shards of the index's partition key, so that no one index partition takes every upload. */
    public static final int SHARDS = 8;
    /** The first look: well past the upload function's 20 s time-out, so it never races the request path. */
    public static final Duration FIRST_LOOK = Duration.ofMinutes(2);
    static final String PREFIX = "REVIEWOPEN#";
    static final String MEMBERS = "batchMembers";
    static final String KIND = "batchKind";
    static final String EXECUTION = "reviewExecution";
    static final String ATTEMPT = "reviewAttempt";

    private final DynamoDbClient dynamo;
    private final String table;
    private final AssetRecords ops;

    OpenReviews(DynamoDbClient dynamo, String table, AssetRecords ops) {
        this.dynamo = dynamo;
        this.table = table;
        this.ops = ops;
    }

    /** What the creating transaction adds to the batch's first asset item. */
    static Map<String, AttributeValue> marker(String batchId, List<String> memberIds, String kind, Instant now) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put(REVIEW_OPEN, s(PREFIX + Math.floorMod(batchId.hashCode(), SHARDS)));
        m.put(REVIEW_DUE, s(due(now.plus(FIRST_LOOK))));
        m.put(MEMBERS, AttributeValue.fromL(memberIds.stream().map(AttributeValue::fromS).toList()));
        m.put(KIND, s(kind));
        return m;
    }

    private static String due(Instant at) {
        return String.format("%015d", at.toEpochMilli());
    }

    /** A batch's open review as the reconciler sees it. */
    public record OpenReview(String accountId, String batchId, String kind, String execution, int attempt,
                             Instant createdAt, List<Member> members) {
    }

    /** One asset of the batch: {@code directUpload} when it was created awaiting its object. */
    public record Member(Asset asset, boolean directUpload) {
        public boolean undecided() {
            return !asset.isDeleted() && (asset.status() == AssetStatus.submitted || asset.status() == AssetStatus.Processing);
        }

        /**
         * Undecided, or decided with its completion not sent: the execution died between writing the
         * decision and sending it (a kill -9 of the local stack; a timed-out task whose retry never came).
         * A resumed review's first step sends such an owed completion (once: the completion mark guards it).
         */
        public boolean unfinished() {
            return undecided() || (!asset.isDeleted() && asset.status().isTerminal() && !asset.completionSent());
        }
    }

    /** The (account, batch id) of up to {@code limit} open reviews of one shard due by {@code now}. */
    public List<String[]> due(int shard, Instant now, int limit) {
        try {
            var response = dynamo.query(r -> r.tableName(table).indexName(AssetItems.BY_OPEN_REVIEW)
                    .keyConditionExpression("#open = :open AND #due <= :now")
                    .expressionAttributeNames(Map.of("#open", REVIEW_OPEN, "#due", REVIEW_DUE))
                    .expressionAttributeValues(Map.of(":open", s(PREFIX + shard), ":now", s(due(now))))
                    .limit(limit));
            List<String[]> found = new ArrayList<>();
            for (Map<String, AttributeValue> key : response.items()) {
                String pk = key.get(AssetItems.PK).s();
                String sk = key.get(AssetItems.SK).s();
                found.add(new String[] {pk.substring(pk.indexOf('#') + 1), sk.substring(sk.indexOf('#') + 1)});
            }
            return found;
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not answer the open reviews query", e);
        }
    }

    /** The open review of a batch, read consistently; null when its first asset is gone or it is closed. */
    public OpenReview read(String accountId, String batchId) {
        Map<String, AttributeValue> leader = ops.getItem(accountId, batchId);
        if (leader == null || !leader.containsKey(REVIEW_OPEN)) {
            return null;
        }
        List<String> ids = leader.containsKey(MEMBERS) ? leader.get(MEMBERS).l().stream().map(AttributeValue::s).toList()
                : List.of(batchId);
        List<Map<String, AttributeValue>> keys = ids.stream().map(id -> AssetItems.assetKey(accountId, id)).toList();
        Map<String, Map<String, AttributeValue>> byId = new HashMap<>();
        ops.batchGet(keys).forEach(item -> byId.put(item.get("assetId").s(), item));
        List<Member> members = new ArrayList<>();
        for (String id : ids) {
            Map<String, AttributeValue> item = byId.get(id);
            if (item != null) {
                members.add(new Member(AssetItems.fromItem(item), item.containsKey(AssetItems.UPLOAD)));
            }
        }
        Asset first = AssetItems.fromItem(leader);
        return new OpenReview(accountId, batchId, AssetItems.str(leader, KIND), AssetItems.str(leader, EXECUTION),
                leader.containsKey(ATTEMPT) ? Integer.parseInt(leader.get(ATTEMPT).n()) : 0, first.createdAt(), members);
    }

    /**
     * Records that execution {@code name} (attempt {@code attempt}) is the batch's review, and when to
     * look again. Conditional on the review still being open and on the execution the caller saw
     * ({@code expected}; null: none started yet, or {@code name} already): of two reconcilers that
     * decided the same restart, only one wins, and only the winner starts its execution.
     */
    public boolean recordExecution(String accountId, String batchId, String expected, String name, int attempt, Instant nextLook) {
        Map<String, String> names = Map.of("#open", REVIEW_OPEN, "#due", REVIEW_DUE, "#execution", EXECUTION,
                "#attempt", ATTEMPT);
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":name", s(name), ":attempt", AttributeValue.fromN(
                Integer.toString(attempt)), ":due", s(due(nextLook))));
        String condition = "attribute_exists(#open) AND (";
        if (expected == null) {
            condition += "attribute_not_exists(#execution) OR #execution = :name)";
        } else {
            values.put(":expected", s(expected));
            condition += "#execution = :expected)"; // a restart is claimed by one run only
        }
        String finalCondition = condition;
        try {
            dynamo.updateItem(r -> r.tableName(table).key(AssetItems.assetKey(accountId, batchId))
                    .updateExpression("SET #execution = :name, #attempt = :attempt, #due = :due")
                    .conditionExpression(finalCondition).expressionAttributeNames(names).expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not record the review's execution", e);
        }
    }

    /** Closes the batch's review (it ended): its first asset leaves the index. Closing twice is harmless. */
    public void close(String accountId, String batchId) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(AssetItems.assetKey(accountId, batchId))
                    .updateExpression("REMOVE #open, #due")
                    .conditionExpression("attribute_exists(#open)")
                    .expressionAttributeNames(Map.of("#open", REVIEW_OPEN, "#due", REVIEW_DUE)));
        } catch (ConditionalCheckFailedException alreadyClosed) {
            // closed by another run, or never opened
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not close the review", e);
        }
    }

    static boolean isDeleted(Map<String, AttributeValue> item) {
        return item.containsKey(DELETED_AT);
    }
}
