package dev.assetlib.store;

import static dev.assetlib.store.AssetItems.COMPLETION;
import static dev.assetlib.store.AssetItems.COMPLETION_PENDING;
import static dev.assetlib.store.AssetItems.COMPLETION_SENT;
import static dev.assetlib.store.AssetItems.ERROR_CODE;
import static dev.assetlib.store.AssetItems.ERROR_MESSAGE;
import static dev.assetlib.store.AssetItems.REVIEW_REF;
import static dev.assetlib.store.AssetItems.STATUS;
import static dev.assetlib.store.AssetItems.UPDATED_AT;
import static dev.assetlib.store.AssetItems.n;
import static dev.assetlib.store.AssetItems.s;

import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetIds;
import dev.assetlib.domain.AssetStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Asset state in DynamoDB. Creation reserves each id with a conditional write (retrying with a new
 * random part on collision); every status change is a conditional write against the status it
 * expects, so terminal states never move and two writers never lose an update.
 */
public final class AssetStore {
    private static final int MAX_ID_ATTEMPTS = 8;
    // TransactWriteItems takes at most 100 actions; each asset needs two (reservation + asset).
    static final int MAX_ASSETS_PER_CREATE = 50;

    private final DynamoDbClient dynamo;
    private final String table;
    private final AssetIds ids;

    public AssetStore(DynamoDbClient dynamo, String table, AssetIds ids) {
        this.dynamo = dynamo;
        this.table = table;
        this.ids = ids;
    }

    /**
     * Creates all the assets or none, in one transaction, each under a fresh unique id. The
     * batch id, if wanted, is the first asset's id (unique by the same reservation).
     */
    public List<Asset> createAll(String accountId, List<NewAsset> items, boolean withBatchId, Instant now) {
        if (items.isEmpty() || items.size() > MAX_ASSETS_PER_CREATE) {
            throw new IllegalArgumentException("create 1 to " + MAX_ASSETS_PER_CREATE + " assets at a time");
        }
        List<String> chosen = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            chosen.add(ids.next(now));
        }
        for (int attempt = 1; ; attempt++) {
            String batchId = withBatchId ? chosen.get(0) : null;
            List<Asset> assets = new ArrayList<>();
            List<TransactWriteItem> writes = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                NewAsset item = items.get(i);
                Asset asset = new Asset(accountId, chosen.get(i), item.assetType(), item.url(), item.name(),
                        item.initialStatus(), now, now, null, null, batchId, false);
                assets.add(asset);
                writes.add(reserve(AssetItems.idReservation(accountId, asset.assetId(), now)));
                writes.add(reserve(AssetItems.toItem(asset)));
            }
            try {
                dynamo.transactWriteItems(r -> r.transactItems(writes));
                return assets;
            } catch (TransactionCanceledException e) {
                List<Integer> collided = collidedIndexes(e.cancellationReasons());
                if (collided.isEmpty() || attempt >= MAX_ID_ATTEMPTS) {
                    throw new StoreUnavailableException("could not reserve asset ids: " + e.getMessage(), e);
                }
                for (int index : collided) {
                    chosen.set(index / 2, ids.next(now));
                }
            } catch (SdkException e) {
                throw new StoreUnavailableException("DynamoDB did not accept the new assets", e);
            }
        }
    }

    public Optional<Asset> get(String accountId, String assetId) {
        try {
            var item = dynamo.getItem(r -> r.tableName(table)
                    .key(AssetItems.assetKey(accountId, assetId)).consistentRead(true)).item();
            return item == null || item.isEmpty() ? Optional.empty() : Optional.of(AssetItems.fromItem(item));
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not answer", e);
        }
    }

    /** The account's assets among {@code assetIds}, by id, in as few BatchGetItem calls as DynamoDB allows. */
    public Map<String, Asset> getAll(String accountId, Collection<String> assetIds) {
        Map<String, Asset> found = new LinkedHashMap<>();
        getAllItems(accountId, assetIds).forEach((id, item) -> found.put(id, AssetItems.fromItem(item)));
        return found;
    }

    /**
     * The reviewer references already recorded for these assets, by asset id (one BatchGetItem per
     * 100 ids). A retried submission reads them back instead of handing the asset over again.
     */
    public Map<String, String> reviewRefs(String accountId, Collection<String> assetIds) {
        Map<String, String> refs = new LinkedHashMap<>();
        getAllItems(accountId, assetIds).forEach((id, item) -> {
            AttributeValue ref = item.get(REVIEW_REF);
            if (ref != null && ref.s() != null) {
                refs.put(id, ref.s());
            }
        });
        return refs;
    }

    /**
     * Records the reviewer's reference on each asset, unless one is already there: a conditional write
     * ({@code attribute_not_exists(reviewRef) OR reviewRef = :ref}), all assets in one transaction so a
     * crash never leaves half a batch recorded. Answers the reference each asset holds afterwards,
     * which is the one already recorded when an earlier attempt got there first; assets that no longer
     * exist are left out.
     */
    public Map<String, String> recordReviewRefs(String accountId, String reviewer, Map<String, String> refs, Instant now) {
        if (refs.isEmpty()) {
            return Map.of();
        }
        List<Map.Entry<String, String>> entries = new ArrayList<>(refs.entrySet());
        Map<String, String> recorded = new LinkedHashMap<>();
        try {
            for (int from = 0; from < entries.size(); from += 100) {
                List<Map.Entry<String, String>> chunk = entries.subList(from, Math.min(entries.size(), from + 100));
                List<TransactWriteItem> writes = chunk.stream()
                        .map(e -> TransactWriteItem.builder().update(u -> u.tableName(table)
                                .key(AssetItems.assetKey(accountId, e.getKey()))
                                .updateExpression("SET #ref = :ref, #reviewer = :reviewer, #refAt = :now")
                                .conditionExpression("attribute_exists(pk) AND (attribute_not_exists(#ref) OR #ref = :ref)")
                                .expressionAttributeNames(refNames())
                                .expressionAttributeValues(Map.of(":ref", s(e.getValue()), ":reviewer", s(reviewer),
                                        ":now", n(now.toEpochMilli())))).build())
                        .toList();
                try {
                    dynamo.transactWriteItems(r -> r.transactItems(writes));
                    chunk.forEach(e -> recorded.put(e.getKey(), e.getValue()));
                } catch (TransactionCanceledException e) {
                    // Some asset already holds another reference, or is gone: settle each on its own.
                    chunk.forEach(entry -> recordOne(accountId, reviewer, entry.getKey(), entry.getValue(), now)
                            .ifPresent(ref -> recorded.put(entry.getKey(), ref)));
                }
            }
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not accept the reviewer references", e);
        }
        return recorded;
    }

    private Optional<String> recordOne(String accountId, String reviewer, String assetId, String ref, Instant now) {
        try {
            dynamo.updateItem(u -> u.tableName(table).key(AssetItems.assetKey(accountId, assetId))
                    .updateExpression("SET #ref = :ref, #reviewer = :reviewer, #refAt = :now")
                    .conditionExpression("attribute_exists(pk) AND (attribute_not_exists(#ref) OR #ref = :ref)")
                    .expressionAttributeNames(refNames())
                    .expressionAttributeValues(Map.of(":ref", s(ref), ":reviewer", s(reviewer), ":now", n(now.toEpochMilli()))));
            return Optional.of(ref);
        } catch (ConditionalCheckFailedException e) {
            return Optional.ofNullable(reviewRefs(accountId, List.of(assetId)).get(assetId));
        }
    }

    private static Map<String, String> refNames() {
        return Map.of("#ref", REVIEW_REF, "#reviewer", AssetItems.REVIEWER, "#refAt", AssetItems.REVIEW_REF_AT);
    }

    Map<String, Map<String, AttributeValue>> getAllItems(String accountId, Collection<String> assetIds) {
        Map<String, Map<String, AttributeValue>> found = new LinkedHashMap<>();
        List<Map<String, AttributeValue>> keys = assetIds.stream().distinct()
                .map(id -> AssetItems.assetKey(accountId, id)).toList();
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
                    response.responses().getOrDefault(table, List.of())
                            .forEach(item -> found.put(item.get("assetId").s(), item));
                    request = response.unprocessedKeys();
                }
            }
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not answer", e);
        }
        // BatchGetItem answers in no particular order: give the caller's order back.
        Map<String, Map<String, AttributeValue>> ordered = new LinkedHashMap<>();
        assetIds.forEach(id -> {
            if (found.containsKey(id)) {
                ordered.put(id, found.get(id));
            }
        });
        return ordered;
    }

    /**
     * Moves an asset from one of the {@code expected} statuses to {@code to}. A move into a terminal
     * status also marks its completion message as owed. Empty when the asset is gone or no longer in
     * an expected status: someone else already moved it, and this writer must not.
     */
    public Optional<Asset> transition(String accountId, String assetId, Set<AssetStatus> expected,
                                      AssetStatus to, String errorCode, String errorMessage, Instant now) {
        Map<String, String> names = new HashMap<>(Map.of("#status", STATUS, "#updatedAt", UPDATED_AT));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":to", s(to.name()), ":now", n(now.toEpochMilli())));
        StringBuilder update = new StringBuilder("SET #status = :to, #updatedAt = :now");
        if (to.isTerminal()) {
            names.put("#completion", COMPLETION);
            values.put(":pending", s(COMPLETION_PENDING));
            update.append(", #completion = :pending");
        }
        if (errorCode != null) {
            names.put("#errorCode", ERROR_CODE);
            names.put("#errorMessage", ERROR_MESSAGE);
            values.put(":code", s(errorCode));
            values.put(":message", s(errorMessage));
            update.append(", #errorCode = :code, #errorMessage = :message");
        }
        List<String> placeholders = new ArrayList<>();
        int i = 0;
        for (AssetStatus status : expected) {
            String p = ":from" + i++;
            placeholders.add(p);
            values.put(p, s(status.name()));
        }
        String condition = "attribute_exists(pk) AND #status IN (" + String.join(", ", placeholders) + ")";
        try {
            var response = dynamo.updateItem(r -> r.tableName(table).key(AssetItems.assetKey(accountId, assetId))
                    .updateExpression(update.toString()).conditionExpression(condition)
                    .expressionAttributeNames(names).expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW));
            return Optional.of(AssetItems.fromItem(response.attributes()));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not accept the status change", e);
        }
    }

    /** Records that the asset's completion message went out; false if it was already recorded. */
    public boolean markCompletionSent(String accountId, String assetId) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(AssetItems.assetKey(accountId, assetId))
                    .updateExpression("SET #completion = :sent")
                    .conditionExpression("#completion = :pending")
                    .expressionAttributeNames(Map.of("#completion", COMPLETION))
                    .expressionAttributeValues(Map.of(":sent", s(COMPLETION_SENT), ":pending", s(COMPLETION_PENDING))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not accept the completion mark", e);
        }
    }

    /**
     * Removes assets that were created but whose review could not be started, so that a refused
     * upload leaves nothing behind. Only assets still in their first status are removed.
     */
    public void discardUnstarted(List<Asset> assets) {
        List<TransactWriteItem> writes = new ArrayList<>();
        for (Asset a : assets) {
            writes.add(TransactWriteItem.builder().delete(d -> d.tableName(table)
                    .key(AssetItems.assetKey(a.accountId(), a.assetId()))
                    .conditionExpression("#status = :first")
                    .expressionAttributeNames(Map.of("#status", STATUS))
                    .expressionAttributeValues(Map.of(":first", s(a.status().name())))).build());
            writes.add(TransactWriteItem.builder().delete(d -> d.tableName(table)
                    .key(AssetItems.idReservationKey(a.assetId()))).build());
        }
        try {
            dynamo.transactWriteItems(r -> r.transactItems(writes));
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not remove the unstarted assets", e);
        }
    }

    private TransactWriteItem reserve(Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                .conditionExpression("attribute_not_exists(pk)").build()).build();
    }

    private static List<Integer> collidedIndexes(List<CancellationReason> reasons) {
        List<Integer> collided = new ArrayList<>();
        for (int i = 0; i < reasons.size(); i++) {
            if ("ConditionalCheckFailed".equals(reasons.get(i).code())) {
                collided.add(i);
            }
        }
        return collided;
    }

    private static void sleepBeforeRetry(int round) {
        try {
            Thread.sleep(Math.min(1000L, 25L << Math.min(round, 6)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted", null);
        }
    }
}
