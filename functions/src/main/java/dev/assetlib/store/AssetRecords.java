package dev.assetlib.store;

import static dev.assetlib.store.AssetItems.EXPIRES_AT;
import static dev.assetlib.store.AssetItems.n;
import static dev.assetlib.store.AssetItems.s;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The assets table's shared mechanics for the store's classes: consistent reads, batched reads
 * with retries of unprocessed keys, history event queries, and transactions whose condition
 * failures mean "someone changed it: read again and re-decide".
 */
final class AssetRecords {
    final DynamoDbClient dynamo;
    final String table;

    AssetRecords(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    static boolean expired(Map<String, AttributeValue> item, Instant now) {
        // TTL deletes expired items within days, not at once: until then they count as gone.
        AttributeValue expires = item.get(EXPIRES_AT);
        return expires != null && Long.parseLong(expires.n()) <= now.getEpochSecond();
    }

    Map<String, AttributeValue> getItem(String accountId, String assetId) {
        try {
            var item = dynamo.getItem(r -> r.tableName(table)
                    .key(AssetItems.assetKey(accountId, assetId)).consistentRead(true)).item();
            return item == null || item.isEmpty() ? null : item;
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not answer", e);
        }
    }

    List<Map<String, AttributeValue>> batchGet(List<Map<String, AttributeValue>> keys) {
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        try {
            for (int from = 0; from < keys.size(); from += 100) {
                Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder()
                        .keys(keys.subList(from, Math.min(keys.size(), from + 100))).consistentRead(true).build());
                for (int round = 0; !request.isEmpty(); round++) {
                    if (round > 0) {
                        sleepBeforeRetry(round);
                    }
                    final Map<String, KeysAndAttributes> current = request;
                    BatchGetItemResponse response = dynamo.batchGetItem(r -> r.requestItems(current));
                    found.addAll(response.responses().getOrDefault(table, List.of()));
                    request = response.unprocessedKeys();
                }
            }
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not answer", e);
        }
        return found;
    }

    List<Map<String, AttributeValue>> eventKeys(String accountId, String assetId) {
        return queryEvents(accountId, assetId, "pk, sk").stream()
                .map(i -> Map.of(AssetItems.PK, i.get(AssetItems.PK), AssetItems.SK, i.get(AssetItems.SK))).toList();
    }

    List<Map<String, AttributeValue>> queryEvents(String accountId, String assetId, String projection) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        try {
            do {
                QueryRequest.Builder q = QueryRequest.builder().tableName(table)
                        .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                        .expressionAttributeValues(Map.of(":pk", s(AssetItems.accountPk(accountId)),
                                ":prefix", s(AssetItems.eventPrefix(assetId))))
                        .consistentRead(true);
                if (projection != null) {
                    q.projectionExpression(projection);
                }
                if (start != null) {
                    q.exclusiveStartKey(start);
                }
                QueryResponse response = dynamo.query(q.build());
                items.addAll(response.items());
                start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                        ? response.lastEvaluatedKey() : null;
            } while (start != null);
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not answer", e);
        }
        return items;
    }

    TransactWriteItem expire(Map<String, AttributeValue> key, long expiresAt) {
        return TransactWriteItem.builder().update(u -> u.tableName(table).key(key)
                .updateExpression("SET #expiresAt = :expires").conditionExpression("attribute_exists(pk)")
                .expressionAttributeNames(Map.of("#expiresAt", EXPIRES_AT))
                .expressionAttributeValues(Map.of(":expires", n(expiresAt)))).build();
    }

    /** Items written before versions existed have none: they count as version 0. */
    static String versionCondition(long version, Map<String, AttributeValue> values) {
        if (version == 0) {
            return "attribute_exists(pk) AND attribute_not_exists(#version)";
        }
        values.put(":version", n(version));
        return "#version = :version";
    }

    /**
     * Runs a transaction; false when a condition failed or a concurrent transaction conflicted (the
     * caller re-reads and decides again), a StoreUnavailableException for anything else.
     */
    boolean transact(List<TransactWriteItem> writes, String what) {
        try {
            dynamo.transactWriteItems(r -> r.transactItems(writes));
            return true;
        } catch (TransactionCanceledException e) {
            boolean retryable = e.hasCancellationReasons() && e.cancellationReasons().stream()
                    .allMatch(r -> r.code() == null || "None".equals(r.code()) || "ConditionalCheckFailed".equals(r.code())
                            || "TransactionConflict".equals(r.code()));
            if (retryable) {
                return false;
            }
            throw new StoreUnavailableException("DynamoDB did not accept " + what + ": " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not accept " + what, e);
        }
    }

    TransactWriteItem putNew(Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                .conditionExpression("attribute_not_exists(pk)").build()).build();
    }

    static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(5, 10L + 20L * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted", null);
        }
    }

    static void sleepBeforeRetry(int round) {
        try {
            Thread.sleep(Math.min(1000L, 25L << Math.min(round, 6)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted", null);
        }
    }

    /** The raw items of the account's assets among {@code assetIds} (tombstones included), in the caller's order. */
    Map<String, Map<String, AttributeValue>> getAllItems(String accountId, Collection<String> assetIds) {
        List<Map<String, AttributeValue>> keys = assetIds.stream().distinct()
                .map(id -> AssetItems.assetKey(accountId, id)).toList();
        Map<String, Map<String, AttributeValue>> found = new HashMap<>();
        batchGet(keys).forEach(item -> found.put(item.get("assetId").s(), item));
        Map<String, Map<String, AttributeValue>> ordered = new LinkedHashMap<>();
        assetIds.forEach(id -> {
            if (found.containsKey(id)) {
                ordered.put(id, found.get(id));
            }
        });
        return ordered;
    }
}
