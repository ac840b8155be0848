package dev.assetlib.store;

import static dev.assetlib.store.AssetItems.COMPLETION;
import static dev.assetlib.store.AssetItems.COMPLETION_PENDING;
import static dev.assetlib.store.AssetItems.COMPLETION_SENT;
import static dev.assetlib.store.AssetItems.ERROR_CODE;
import static dev.assetlib.store.AssetItems.ERROR_MESSAGE;
import static dev.assetlib.store.AssetItems.STATUS;
import static dev.assetlib.store.AssetItems.UPDATED_AT;
import static dev.assetlib.store.AssetItems.n;
import static dev.assetlib.store.AssetItems.s;

import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetIds;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.domain.UploadKeys;
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
        return createAll(accountId, items, withBatchId, now, null);
    }

    /**
     * As {@link #createAll(String, List, boolean, Instant)}, with the guard's item written in the
     * same transaction, only if absent: throws {@link DuplicateCreationException} (creating nothing)
     * when it exists. The guard is built from the assets about to be created.
     */
    public List<Asset> createAll(String accountId, List<NewAsset> items, boolean withBatchId, Instant now,
                                 java.util.function.Function<List<Asset>, CreationGuard> guard) {
        int max = guard == null ? MAX_ASSETS_PER_CREATE : MAX_ASSETS_PER_CREATE - 1; // the guard is one more action
        if (items.isEmpty() || items.size() > max) {
            throw new IllegalArgumentException("create 1 to " + max + " assets at a time");
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
                String url = item.directUpload() == null ? item.url()
                        : UploadKeys.location(item.directUpload().bucket(), accountId, chosen.get(i));
                Asset asset = new Asset(accountId, chosen.get(i), item.assetType(), url, item.name(),
                        item.initialStatus(), now, now, null, null, batchId, false);
                assets.add(asset);
                writes.add(reserve(AssetItems.idReservation(accountId, asset.assetId(), now)));
                Map<String, AttributeValue> assetItem = AssetItems.toItem(asset);
                if (item.directUpload() != null) {
                    assetItem.putAll(AssetItems.awaitingUpload(item.directUpload().contentType()));
                }
                writes.add(reserve(assetItem));
            }
            if (guard != null) {
                writes.add(reserve(guard.apply(assets).item()));
            }
            try {
                dynamo.transactWriteItems(r -> r.transactItems(writes));
                return assets;
            } catch (TransactionCanceledException e) {
                List<Integer> collided = collidedIndexes(e.cancellationReasons());
                if (guard != null && collided.contains(writes.size() - 1)) {
                    throw new DuplicateCreationException("the guard item exists: these assets were created before");
                }
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
        batchGet(accountId, assetIds).forEach(item -> found.put(item.get("assetId").s(), AssetItems.fromItem(item)));
        return found;
    }

    /** The account's direct-upload assets among {@code assetIds}, by id, with what is known of their objects. */
    public Map<String, AssetUpload> getUploads(String accountId, Collection<String> assetIds) {
        Map<String, AssetUpload> found = new LinkedHashMap<>();
        batchGet(accountId, assetIds).forEach(item -> found.put(item.get("assetId").s(), AssetItems.uploadFromItem(item)));
        return found;
    }

    private List<Map<String, AttributeValue>> batchGet(String accountId, Collection<String> assetIds) {
        List<Map<String, AttributeValue>> found = new ArrayList<>();
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
                    found.addAll(response.responses().getOrDefault(table, List.of()));
                    request = response.unprocessedKeys();
                }
            }
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not answer", e);
        }
        return found;
    }

    /**
     * Moves an asset from one of the {@code expected} statuses to {@code to}. A move into a terminal
     * status also marks its completion message as owed. Empty when the asset is gone or no longer in
     * an expected status: someone else already moved it, and this writer must not.
     */
    public Optional<Asset> transition(String accountId, String assetId, Set<AssetStatus> expected,
                                      AssetStatus to, String errorCode, String errorMessage, Instant now) {
        return transition(accountId, assetId, expected, false, to, errorCode, errorMessage, now);
    }

    /**
     * As {@link #transition(String, String, Set, AssetStatus, String, String, Instant)}, but only while
     * the asset still awaits its direct upload: the move loses against a concurrent ObjectCreated
     * record, so an object that arrives at the deadline is never failed as "never arrived".
     */
    public Optional<Asset> transitionAwaitingUpload(String accountId, String assetId, Set<AssetStatus> expected,
                                                    AssetStatus to, String errorCode, String errorMessage, Instant now) {
        return transition(accountId, assetId, expected, true, to, errorCode, errorMessage, now);
    }

    /**
     * Records that the object of a direct upload arrived, if the asset exists in this account, is
     * still {@code Processing} and still awaits its object. False otherwise (no such asset here,
     * already received, or already decided): the caller must then start nothing. A duplicate event
     * finds the object already received and changes nothing.
     */
    public boolean recordUpload(String accountId, String assetId, long sizeBytes, Instant now) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(AssetItems.assetKey(accountId, assetId))
                    .updateExpression("SET #upload = :received, #size = :size, #uploadedAt = :now, #updatedAt = :now")
                    .conditionExpression("attribute_exists(pk) AND #upload = :awaiting AND #status = :processing")
                    .expressionAttributeNames(Map.of("#upload", AssetItems.UPLOAD, "#size", AssetItems.OBJECT_SIZE,
                            "#uploadedAt", AssetItems.UPLOADED_AT, "#updatedAt", UPDATED_AT, "#status", STATUS))
                    .expressionAttributeValues(Map.of(":received", s(AssetItems.UPLOAD_RECEIVED),
                            ":awaiting", s(AssetItems.UPLOAD_AWAITING), ":size", n(sizeBytes),
                            ":now", n(now.toEpochMilli()), ":processing", s(AssetStatus.Processing.name()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not accept the upload record", e);
        }
    }

    private Optional<Asset> transition(String accountId, String assetId, Set<AssetStatus> expected, boolean awaitingUpload,
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
        if (awaitingUpload) {
            names.put("#upload", AssetItems.UPLOAD);
            values.put(":awaiting", s(AssetItems.UPLOAD_AWAITING));
            condition += " AND #upload = :awaiting";
        }
        final String finalCondition = condition;
        try {
            var response = dynamo.updateItem(r -> r.tableName(table).key(AssetItems.assetKey(accountId, assetId))
                    .updateExpression(update.toString()).conditionExpression(finalCondition)
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
        discardUnstarted(assets, null);
    }

    /** As {@link #discardUnstarted(List)}, removing the guard item written with the assets in the same transaction. */
    public void discardUnstarted(List<Asset> assets, CreationGuard guard) {
        List<TransactWriteItem> writes = new ArrayList<>();
        if (guard != null) {
            writes.add(TransactWriteItem.builder().delete(d -> d.tableName(table).key(guard.key())).build());
        }
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
