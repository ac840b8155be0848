package dev.assetlib.store;

import static dev.assetlib.store.AssetItems.n;
import static dev.assetlib.store.AssetItems.s;
import static dev.assetlib.store.AssetItems.str;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Idempotency records of uploads, whichever way they come: the {@code Idempotency-Key} header of
 * the HTTP upload routes and the ingest queue's messages (their {@code idempotencyKey} field, or
 * their SQS message id) share this one mechanism and one key space per account.
 * {@code pk = IDEMPOTENCY#{account}#{sha256(key)}, sk = IDEMPOTENCY}, so a key is scoped to its
 * account by construction. One record per key:
 *
 * <ul>
 *   <li>{@code fingerprint}: SHA-256 of the route and the canonical JSON body; another request
 *       under the same key is a conflict;</li>
 *   <li>{@code state}: {@code PENDING} (claimed, nothing created yet), {@code CREATED} (the assets
 *       exist: written in the same transaction as their creation, with the review's input and the
 *       response), {@code DONE} (the review is started and the response final);</li>
 *   <li>{@code leaseId}/{@code leaseUntil}: the request that owns a PENDING or CREATED record; a
 *       request that finds the lease expired (its owner crashed) takes the record over and finishes
 *       the work: from PENDING it does the upload, from CREATED it only starts the stored review
 *       (idempotent by execution name) and answers the stored response, so nothing is created twice;</li>
 *   <li>{@code response}, {@code statusCode}: what the first request answered;</li>
 *   <li>{@code expiresAt}: TTL, set by the claim (24 h for the HTTP routes, 30 days for ingest
 *       messages, which SQS may redeliver for 14 days). A record past it counts as absent even
 *       before DynamoDB's TTL sweep deletes it;</li>
 *   <li>{@code rejection}, {@code rejectionCompletion}: an ingest message's rejection completion
 *       (the whole message refused, or the refused URLs of a batch), written with the outcome it
 *       belongs to (DONE, or CREATED with the assets) and marked {@code PENDING} until it went out
 *       ({@code SENT}), so it goes out once even if a delivery dies in between.</li>
 * </ul>
 */
public final class IdempotencyRecords {
    public static final String PENDING = "PENDING";
    public static final String CREATED = "CREATED";
    public static final String DONE = "DONE";

    private final DynamoDbClient dynamo;
    private final String table;

    public IdempotencyRecords(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public static final String REJECTION_PENDING = "PENDING";
    public static final String REJECTION_SENT = "SENT";

    /** Which record: an account's key, stored only as its hash. */
    public record Key(String accountId, String keyHash) {
    }

    /** A holder's lease on a record: its id and until when it holds. */
    public record Lease(String id, Instant until) {
    }

    /** What a record answers: a status code and a body. */
    public record Response(int statusCode, String body) {
    }

    public record Record(String fingerprint, String state, String leaseId, Instant leaseUntil, String reviewInput,
                         int statusCode, String response, long expiresAt, String rejection, boolean rejectionSent) {
    }

    /** Claims the key for this request; false when a live record exists already. */
    public boolean claim(Key key, String fingerprint, Lease lease, Instant now, Duration ttl) {
        Map<String, AttributeValue> item = new HashMap<>(key(key));
        item.put("accountId", s(key.accountId()));
        item.put("fingerprint", s(fingerprint));
        item.put("state", s(PENDING));
        item.put("leaseId", s(lease.id()));
        item.put("leaseUntil", n(lease.until().toEpochMilli()));
        item.put("createdAt", n(now.toEpochMilli()));
        item.put(AssetItems.EXPIRES_AT, n(now.plus(ttl).getEpochSecond()));
        try {
            dynamo.putItem(r -> r.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(pk) OR #expiresAt <= :now")
                    .expressionAttributeNames(Map.of("#expiresAt", AssetItems.EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":now", n(now.getEpochSecond()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not accept the idempotency record", e);
        }
    }

    public Optional<Record> read(Key key) {
        try {
            var item = dynamo.getItem(r -> r.tableName(table).key(key(key)).consistentRead(true)).item();
            if (item == null || item.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Record(str(item, "fingerprint"), str(item, "state"), str(item, "leaseId"),
                    Instant.ofEpochMilli(Long.parseLong(item.get("leaseUntil").n())), str(item, "reviewInput"),
                    item.containsKey("statusCode") ? Integer.parseInt(item.get("statusCode").n()) : 0,
                    str(item, "response"), Long.parseLong(item.get(AssetItems.EXPIRES_AT).n()),
                    str(item, "rejection"), REJECTION_SENT.equals(str(item, "rejectionCompletion"))));
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not answer", e);
        }
    }

    /** Takes over a record whose owner's lease expired; false when someone else did first. */
    public boolean takeOver(Key key, String oldLeaseId, Lease lease, Instant now) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(key))
                    .updateExpression("SET leaseId = :new, leaseUntil = :until")
                    .conditionExpression("leaseId = :old AND leaseUntil <= :now AND #state <> :done")
                    .expressionAttributeNames(Map.of("#state", "state"))
                    .expressionAttributeValues(Map.of(":new", s(lease.id()), ":old", s(oldLeaseId),
                            ":until", n(lease.until().toEpochMilli()), ":now", n(now.toEpochMilli()), ":done", s(DONE))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not accept the idempotency takeover", e);
        }
    }

    /**
     * The write that marks the record CREATED, for the transaction that creates the assets, with
     * the review's input, the response, and a rejection completion owed (or null).
     */
    public TransactWriteItem created(Key key, String leaseId, String reviewInput, Response response, String rejection) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":created", s(CREATED), ":review", s(reviewInput),
                ":status", n(response.statusCode()), ":response", s(response.body()), ":lease", s(leaseId),
                ":pending", s(PENDING)));
        String update = "SET #state = :created, reviewInput = :review, statusCode = :status, #response = :response";
        if (rejection != null) {
            values.put(":rejection", s(rejection));
            values.put(":owed", s(REJECTION_PENDING));
            update += ", rejection = :rejection, rejectionCompletion = :owed";
        }
        String expression = update;
        return TransactWriteItem.builder().update(u -> u.tableName(table).key(key(key))
                .updateExpression(expression)
                .conditionExpression("leaseId = :lease AND #state = :pending")
                .expressionAttributeNames(Map.of("#state", "state", "#response", "response"))
                .expressionAttributeValues(values))
                .build();
    }

    /**
     * Ends a claimed record as a rejection (an ingest message that can never succeed): DONE with
     * status 400, the rejection completion owed. False when this delivery no longer holds the lease.
     */
    public boolean rejected(Key key, String leaseId, String rejection) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(key))
                    .updateExpression("SET #state = :done, statusCode = :status, #response = :rejection, "
                            + "rejection = :rejection, rejectionCompletion = :owed")
                    .conditionExpression("leaseId = :lease AND #state = :pending")
                    .expressionAttributeNames(Map.of("#state", "state", "#response", "response"))
                    .expressionAttributeValues(Map.of(":done", s(DONE), ":status", n(400), ":rejection", s(rejection),
                            ":owed", s(REJECTION_PENDING), ":lease", s(leaseId), ":pending", s(PENDING))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not accept the idempotency rejection", e);
        }
    }

    /** Records that the record's rejection completion went out; false if it was already recorded. */
    public boolean markRejectionSent(Key key) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(key))
                    .updateExpression("SET rejectionCompletion = :sent")
                    .conditionExpression("rejectionCompletion = :owed")
                    .expressionAttributeValues(Map.of(":sent", s(REJECTION_SENT), ":owed", s(REJECTION_PENDING))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not accept the completion mark", e);
        }
    }

    /** Stores the final response; false when this request no longer holds the lease. */
    public boolean complete(Key key, String leaseId, Response response) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(key))
                    .updateExpression("SET #state = :done, statusCode = :status, #response = :response REMOVE reviewInput")
                    .conditionExpression("leaseId = :lease")
                    .expressionAttributeNames(Map.of("#state", "state", "#response", "response"))
                    .expressionAttributeValues(Map.of(":done", s(DONE), ":status", n(response.statusCode()),
                            ":response", s(response.body()), ":lease", s(leaseId))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not accept the idempotency response", e);
        }
    }

    /** Gives the key up after a failed attempt, so that a retry can run it again. */
    public void release(Key key, String leaseId) {
        try {
            dynamo.deleteItem(r -> r.tableName(table).key(key(key))
                    .conditionExpression("leaseId = :lease AND #state <> :done")
                    .expressionAttributeNames(Map.of("#state", "state"))
                    .expressionAttributeValues(Map.of(":lease", s(leaseId), ":done", s(DONE))));
        } catch (ConditionalCheckFailedException e) {
            // someone else holds it now, or it is done: leave it
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not remove the idempotency record", e);
        }
    }

    private static Map<String, AttributeValue> key(Key key) {
        return Map.of(AssetItems.PK, s("IDEMPOTENCY#" + key.accountId() + "#" + key.keyHash()), AssetItems.SK, s("IDEMPOTENCY"));
    }
}
