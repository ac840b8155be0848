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
 * Idempotency records of uploads: {@code pk = IDEMPOTENCY#{account}#{sha256(key)}, sk =
 * IDEMPOTENCY}, so a key is scoped to its account by construction. One record per key:
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
 *   <li>{@code expiresAt}: TTL, 24 h after the claim. A record past it counts as absent even before
 *       DynamoDB's TTL sweep deletes it.</li>
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

    public record Record(String fingerprint, String state, String leaseId, Instant leaseUntil, String reviewInput,
                         int statusCode, String response, long expiresAt) {
    }

    /** Claims the key for this request; false when a live record exists already. */
    public boolean claim(String accountId, String keyHash, String fingerprint, String leaseId, Instant now,
                         Duration lease, Duration ttl) {
        Map<String, AttributeValue> item = new HashMap<>(key(accountId, keyHash));
        item.put("accountId", s(accountId));
        item.put("fingerprint", s(fingerprint));
        item.put("state", s(PENDING));
        item.put("leaseId", s(leaseId));
        item.put("leaseUntil", n(now.plus(lease).toEpochMilli()));
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

    public Optional<Record> read(String accountId, String keyHash) {
        try {
            var item = dynamo.getItem(r -> r.tableName(table).key(key(accountId, keyHash)).consistentRead(true)).item();
            if (item == null || item.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Record(str(item, "fingerprint"), str(item, "state"), str(item, "leaseId"),
                    Instant.ofEpochMilli(Long.parseLong(item.get("leaseUntil").n())), str(item, "reviewInput"),
                    item.containsKey("statusCode") ? Integer.parseInt(item.get("statusCode").n()) : 0,
                    str(item, "response"), Long.parseLong(item.get(AssetItems.EXPIRES_AT).n())));
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not answer", e);
        }
    }

    /** Takes over a record whose owner's lease expired; false when someone else did first. */
    public boolean takeOver(String accountId, String keyHash, String oldLeaseId, String newLeaseId, Instant now, Duration lease) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(accountId, keyHash))
                    .updateExpression("SET leaseId = :new, leaseUntil = :until")
                    .conditionExpression("leaseId = :old AND leaseUntil <= :now AND #state <> :done")
                    .expressionAttributeNames(Map.of("#state", "state"))
                    .expressionAttributeValues(Map.of(":new", s(newLeaseId), ":old", s(oldLeaseId),
                            ":until", n(now.plus(lease).toEpochMilli()), ":now", n(now.toEpochMilli()), ":done", s(DONE))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not accept the idempotency takeover", e);
        }
    }

    /** The write that marks the record CREATED, for the transaction that creates the assets. */
    public TransactWriteItem created(String accountId, String keyHash, String leaseId, String reviewInput,
                                     int statusCode, String response) {
        return TransactWriteItem.builder().update(u -> u.tableName(table).key(key(accountId, keyHash))
                .updateExpression("SET #state = :created, reviewInput = :review, statusCode = :status, #response = :response")
                .conditionExpression("leaseId = :lease AND #state = :pending")
                .expressionAttributeNames(Map.of("#state", "state", "#response", "response"))
                .expressionAttributeValues(Map.of(":created", s(CREATED), ":review", s(reviewInput),
                        ":status", n(statusCode), ":response", s(response), ":lease", s(leaseId), ":pending", s(PENDING))))
                .build();
    }

    /** Stores the final response; false when this request no longer holds the lease. */
    public boolean complete(String accountId, String keyHash, String leaseId, int statusCode, String response) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(accountId, keyHash))
                    .updateExpression("SET #state = :done, statusCode = :status, #response = :response REMOVE reviewInput")
                    .conditionExpression("leaseId = :lease")
                    .expressionAttributeNames(Map.of("#state", "state", "#response", "response"))
                    .expressionAttributeValues(Map.of(":done", s(DONE), ":status", n(statusCode), ":response", s(response),
                            ":lease", s(leaseId))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not accept the idempotency response", e);
        }
    }

    /** Gives the key up after a failed attempt, so that a retry can run it again. */
    public void release(String accountId, String keyHash, String leaseId) {
        try {
            dynamo.deleteItem(r -> r.tableName(table).key(key(accountId, keyHash))
                    .conditionExpression("leaseId = :lease AND #state <> :done")
                    .expressionAttributeNames(Map.of("#state", "state"))
                    .expressionAttributeValues(Map.of(":lease", s(leaseId), ":done", s(DONE))));
        } catch (ConditionalCheckFailedException e) {
            // someone else holds it now, or it is done: leave it
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not remove the idempotency record", e);
        }
    }

    private static Map<String, AttributeValue> key(String accountId, String keyHash) {
        return Map.of(AssetItems.PK, s("IDEMPOTENCY#" + accountId + "#" + keyHash), AssetItems.SK, s("IDEMPOTENCY"));
    }
}
