package dev.assetlib.store;

import static dev.assetlib.store.AssetItems.COMPLETION;
import static dev.assetlib.store.AssetItems.COMPLETION_PENDING;
import static dev.assetlib.store.AssetItems.COMPLETION_SENT;
import static dev.assetlib.store.AssetItems.DELETED_AT;
import static dev.assetlib.store.AssetItems.ERROR_CODE;
import static dev.assetlib.store.AssetItems.ERROR_MESSAGE;
import static dev.assetlib.store.AssetItems.REVIEW_REF;
import static dev.assetlib.store.AssetItems.STATUS;
import static dev.assetlib.store.AssetItems.STATUS_KEY;
import static dev.assetlib.store.AssetItems.STATUS_TYPE_KEY;
import static dev.assetlib.store.AssetItems.UPDATED_AT;
import static dev.assetlib.store.AssetItems.URL_KEY;
import static dev.assetlib.store.AssetItems.VERSION;
import static dev.assetlib.store.AssetItems.n;
import static dev.assetlib.store.AssetItems.s;

import dev.assetlib.domain.Actors;
import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetEvent;
import dev.assetlib.domain.AssetIds;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.domain.AssetType;
import dev.assetlib.domain.FailureCode;
import dev.assetlib.domain.UploadKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Asset state in DynamoDB. Creation reserves each id with a conditional write (retrying with a new
 * random part on collision); every status change is a conditional write against the status it
 * expects, so terminal states never move and two writers never lose an update.
 *
 * <p>Every change (creation, status change, rename, delete) is one TransactWriteItems: the
 * conditional write of the asset, which also bumps its {@code version}, and the Put of its history
 * event under sequence number {@code version}. The history therefore never misses or invents a
 * change, and orders changes as they were committed. A change reads the asset first and makes its
 * write conditional on the version it read (optimistic locking); when someone else changed the
 * asset in between, it reads again and re-decides.
 *
 * <p>A direct upload's asset is created awaiting its object ({@code upload = AWAITING}); recording
 * the object's arrival is such a change too (history event {@code uploaded}, actor {@code upload}),
 * and so is failing it when the object never came.
 */
public final class AssetStore {
    private static final int MAX_ID_ATTEMPTS = 8;
    static final int MAX_CHANGE_ATTEMPTS = 10;
    /** TransactWriteItems takes at most this many actions. */
    static final int MAX_TRANSACTION_ITEMS = 100;
    /** Items per asset in a creation: id reservation, asset, creation event. */
    static final int ITEMS_PER_ASSET = 3;
    /** Items of a creation that are not per asset: the one {@link CreateGuard} (an idempotency record). */
    static final int GUARD_ITEMS = 1;
    /**
     * Assets one creation may hold, guard or not: (100 - 1) / 3 = 33. Every path that creates
     * assets (the upload routes, ingest messages, upload URLs) is bounded by it, and so are
     * {@code MaxBatchUrls} (template MaxValue, Config) and the ingest consumer.
     */
    public static final int MAX_ASSETS_PER_CREATE = (MAX_TRANSACTION_ITEMS - GUARD_ITEMS) / ITEMS_PER_ASSET;
    /** Existing history events whose TTL is set inside the delete transaction (the rest just after). */
    private static final Set<AssetStatus> REUSABLE = EnumSet.of(AssetStatus.submitted, AssetStatus.Processing, AssetStatus.Active);

    private final DynamoDbClient dynamo;
    private final String table;
    private final AssetIds ids;
    private final AssetTable ops;
    private final AssetEdits edits;

    public AssetStore(DynamoDbClient dynamo, String table, AssetIds ids) {
        this.dynamo = dynamo;
        this.table = table;
        this.ids = ids;
        this.ops = new AssetTable(dynamo, table);
        this.edits = new AssetEdits(ops);
    }

    public String table() {
        return table;
    }

    DynamoDbClient dynamo() {
        return dynamo;
    }

    public List<Asset> createAll(String accountId, List<NewAsset> items, boolean withBatchId, Instant now) {
        return createAll(accountId, items, withBatchId, now, null);
    }

    /**
     * Creates all the assets or none, in one transaction, each under a fresh unique id and with its
     * creation event (actor {@code upload}). The batch id, if wanted, is the first asset's id (unique
     * by the same reservation). A {@code guard}, if given, commits in the same transaction.
     * A {@link NewAsset#directUpload()} asset's url is the S3 location its object will have (known
     * once its id is), and it is marked as awaiting that object.
     */
    public List<Asset> createAll(String accountId, List<NewAsset> items, boolean withBatchId, Instant now, CreateGuard guard) {
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
                String url = item.directUpload() == null ? item.url()
                        : UploadKeys.location(item.directUpload().bucket(), accountId, chosen.get(i));
                Asset asset = new Asset(accountId, chosen.get(i), item.assetType(), url, item.name(),
                        item.initialStatus(), now, now, null, null, batchId, false);
                assets.add(asset);
                writes.add(ops.putNew(AssetItems.idReservation(accountId, asset.assetId(), now)));
                Map<String, AttributeValue> assetItem = AssetItems.toItem(asset, items.size());
                if (item.directUpload() != null) {
                    assetItem.putAll(AssetItems.awaitingUpload(item.directUpload().contentType()));
                    assetItem.remove(URL_KEY); // its own s3:// location: nothing to reuse
                }
                writes.add(ops.putNew(assetItem));
                String reason = item.directUpload() != null ? "upload URL issued: awaiting its object"
                        : batchId != null && items.size() > 1
                        ? "uploaded in a batch of " + items.size() + " (batch " + batchId + ")" : "uploaded";
                writes.add(ops.putNew(AssetItems.toItem(accountId, new AssetEvent(asset.assetId(), 1, now, AssetEvent.CREATED,
                        null, asset.status(), Actors.UPLOAD, reason, null, null, null), null)));
            }
            if (guard != null) {
                writes.add(guard.write(assets));
            }
            try {
                dynamo.transactWriteItems(r -> r.transactItems(writes));
                return assets;
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.cancellationReasons();
                if (guard != null && reasons.size() == writes.size()
                        && "ConditionalCheckFailed".equals(reasons.get(writes.size() - 1).code())) {
                    throw new GuardFailedException("the create guard's condition failed");
                }
                List<Integer> collided = new ArrayList<>();
                for (int i = 0; i < reasons.size() && i < items.size() * ITEMS_PER_ASSET; i++) {
                    if ("ConditionalCheckFailed".equals(reasons.get(i).code())) {
                        collided.add(i / ITEMS_PER_ASSET);
                    }
                }
                boolean conflict = reasons.stream().anyMatch(r -> "TransactionConflict".equals(r.code()));
                if ((collided.isEmpty() && !conflict) || attempt >= MAX_ID_ATTEMPTS) {
                    throw new StoreUnavailableException("could not reserve asset ids: " + e.getMessage(), e);
                }
                for (int index : collided) {
                    chosen.set(index, ids.next(now));
                }
                AssetTable.pause(attempt);
            } catch (SdkException e) {
                throw new StoreUnavailableException("DynamoDB did not accept the new assets", e);
            }
        }
    }

    /** The asset, deleted or not (a tombstone answers with {@link Asset#deletedAt()} set). */
    public Optional<Asset> get(String accountId, String assetId) {
        Map<String, AttributeValue> item = ops.getItem(accountId, assetId);
        return item == null ? Optional.empty() : Optional.of(AssetItems.fromItem(item));
    }

    /** The asset if it exists and is not deleted: what its owner may see. */
    public Optional<Asset> getLive(String accountId, String assetId) {
        return get(accountId, assetId).filter(a -> !a.isDeleted());
    }

    /**
     * The account's assets among {@code assetIds} (tombstones included), by id, in as few
     * BatchGetItem calls as DynamoDB allows (one per 100 ids, plus retries of unprocessed keys).
     */
    public Map<String, Asset> getAll(String accountId, Collection<String> assetIds) {
        List<Map<String, AttributeValue>> keys = assetIds.stream().distinct()
                .map(id -> AssetItems.assetKey(accountId, id)).toList();
        Map<String, Asset> found = new LinkedHashMap<>();
        ops.batchGet(keys).forEach(item -> found.put(item.get("assetId").s(), AssetItems.fromItem(item)));
        return found;
    }

    /**
     * The account's direct-upload assets among {@code assetIds} (tombstones included), by id, with
     * what is known of their objects, in as few BatchGetItem calls as {@link #getAll} makes.
     */
    public Map<String, AssetUpload> getUploads(String accountId, Collection<String> assetIds) {
        List<Map<String, AttributeValue>> keys = assetIds.stream().distinct()
                .map(id -> AssetItems.assetKey(accountId, id)).toList();
        Map<String, AssetUpload> found = new LinkedHashMap<>();
        ops.batchGet(keys).forEach(item -> found.put(item.get("assetId").s(), AssetItems.uploadFromItem(item)));
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

    /** The raw items of the account's assets among {@code assetIds} (tombstones included), in the caller's order. */
    Map<String, Map<String, AttributeValue>> getAllItems(String accountId, Collection<String> assetIds) {
        List<Map<String, AttributeValue>> keys = assetIds.stream().distinct()
                .map(id -> AssetItems.assetKey(accountId, id)).toList();
        Map<String, Map<String, AttributeValue>> found = new HashMap<>();
        ops.batchGet(keys).forEach(item -> found.put(item.get("assetId").s(), item));
        Map<String, Map<String, AttributeValue>> ordered = new LinkedHashMap<>();
        assetIds.forEach(id -> {
            if (found.containsKey(id)) {
                ordered.put(id, found.get(id));
            }
        });
        return ordered;
    }

    /**
     * The newest of the account's not-deleted, not-Failed assets of this exact URL and type, for
     * {@code "reuse": true}. Reads the sparse ByUrl index (eventually consistent: an upload of the
     * same URL within about a second may not be seen yet) and confirms the candidates with a
     * consistent read.
     */
    public Optional<Asset> findReusable(String accountId, AssetType type, String url) {
        try {
            QueryResponse response = dynamo.query(r -> r.tableName(table).indexName(AssetItems.BY_URL)
                    .keyConditionExpression("#k = :k")
                    .expressionAttributeNames(Map.of("#k", URL_KEY))
                    .expressionAttributeValues(Map.of(":k", s(AssetItems.urlKey(accountId, type, url))))
                    .scanIndexForward(false).limit(10));
            List<Map<String, AttributeValue>> keys = response.items().stream()
                    .map(i -> Map.of(AssetItems.PK, i.get(AssetItems.PK), AssetItems.SK, i.get(AssetItems.SK))).toList();
            return ops.batchGet(keys).stream().map(AssetItems::fromItem)
                    .filter(a -> !a.isDeleted() && REUSABLE.contains(a.status()) && a.url().equals(url) && a.assetType() == type)
                    .max(java.util.Comparator.comparing(Asset::createdAt).thenComparing(Asset::assetId));
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not answer", e);
        }
    }

    /**
     * Moves an asset from one of the {@code expected} statuses to {@code to}, recording the change
     * in its history (by {@code actor}: see {@link Actors}) in the same transaction. A move into a
     * terminal status also marks its completion message as owed; a move into Failed takes the asset
     * out of the reuse index. Empty when the asset is gone, deleted, or no longer in an expected
     * status: someone else already moved it, and this writer must not.
     */
    public Optional<Asset> transition(String accountId, String assetId, Set<AssetStatus> expected,
                                      AssetStatus to, String errorCode, String errorMessage, String actor, Instant now) {
        return transition(accountId, assetId, expected, false, to, errorCode, errorMessage, actor, now);
    }

    /**
     * As {@link #transition(String, String, Set, AssetStatus, String, String, String, Instant)}, but
     * only while the asset still awaits its direct upload: the move loses against a concurrent
     * record of the object's arrival, so an object that arrives at the deadline is never failed as
     * "never arrived".
     */
    public Optional<Asset> transitionAwaitingUpload(String accountId, String assetId, Set<AssetStatus> expected,
                                                    AssetStatus to, String errorCode, String errorMessage, String actor,
                                                    Instant now) {
        return transition(accountId, assetId, expected, true, to, errorCode, errorMessage, actor, now);
    }

    private Optional<Asset> transition(String accountId, String assetId, Set<AssetStatus> expected, boolean awaitingUpload,
                                       AssetStatus to, String errorCode, String errorMessage, String actor, Instant now) {
        Actors.requireValid(actor);
        for (int attempt = 1; attempt <= MAX_CHANGE_ATTEMPTS; attempt++) {
            Map<String, AttributeValue> current = ops.getItem(accountId, assetId);
            if (current == null || current.containsKey(DELETED_AT)) {
                return Optional.empty();
            }
            Asset before = AssetItems.fromItem(current);
            if (!expected.contains(before.status())) {
                return Optional.empty();
            }
            if (awaitingUpload && !AssetItems.UPLOAD_AWAITING.equals(AssetItems.str(current, AssetItems.UPLOAD))) {
                return Optional.empty();
            }
            long version = AssetItems.version(current);
            Map<String, String> names = new HashMap<>(Map.of("#status", STATUS, "#updatedAt", UPDATED_AT,
                    "#version", VERSION, "#deletedAt", DELETED_AT, "#statusKey", STATUS_KEY, "#statusTypeKey", STATUS_TYPE_KEY));
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":to", s(to.name()), ":now", n(now.toEpochMilli()),
                    ":next", n(version + 1),
                    ":statusKey", s(AssetItems.statusKey(accountId, to)),
                    ":statusTypeKey", s(AssetItems.statusTypeKey(accountId, to, before.assetType()))));
            StringBuilder update = new StringBuilder("SET #status = :to, #updatedAt = :now, #version = :next, "
                    + "#statusKey = :statusKey, #statusTypeKey = :statusTypeKey");
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
            if (to == AssetStatus.Failed) {
                names.put("#urlKey", URL_KEY);
                update.append(" REMOVE #urlKey");
            }
            List<String> placeholders = new ArrayList<>();
            int i = 0;
            for (AssetStatus status : expected) {
                String p = ":from" + i++;
                placeholders.add(p);
                values.put(p, s(status.name()));
            }
            String condition = AssetTable.versionCondition(version, values) + " AND attribute_not_exists(#deletedAt) AND #status IN ("
                    + String.join(", ", placeholders) + ")";
            if (awaitingUpload) {
                names.put("#upload", AssetItems.UPLOAD);
                values.put(":awaiting", s(AssetItems.UPLOAD_AWAITING));
                condition += " AND #upload = :awaiting";
            }
            String reason = errorMessage != null ? errorMessage : defaultReason(to);
            AssetEvent event = new AssetEvent(assetId, version + 1, now, AssetEvent.STATUS, before.status(), to, actor,
                    reason, errorCode, null, null);
            List<TransactWriteItem> writes = List.of(
                    TransactWriteItem.builder().update(Update.builder().tableName(table)
                            .key(AssetItems.assetKey(accountId, assetId)).updateExpression(update.toString())
                            .conditionExpression(condition).expressionAttributeNames(names)
                            .expressionAttributeValues(values).build()).build(),
                    ops.putNew(AssetItems.toItem(accountId, event, null)));
            if (ops.transact(writes, "the status change")) {
                boolean terminal = to.isTerminal();
                return Optional.of(new Asset(accountId, assetId, before.assetType(), before.url(), before.name(), to,
                        before.createdAt(), now, errorCode != null ? errorCode : before.errorCode(),
                        errorCode != null ? errorMessage : before.errorMessage(), before.batchId(),
                        !terminal && before.completionSent(), null));
            }
            AssetTable.pause(attempt);
        }
        throw new StoreUnavailableException("asset " + assetId + " kept changing; status change not written", null);
    }

    /**
     * Records that the object of a direct upload arrived, with its history event ({@code uploaded},
     * actor {@code upload}), if the asset exists in this account, is not deleted, is still
     * {@code Processing} and still awaits its object. False otherwise (no such asset here, deleted,
     * already received, or already decided): the caller must then start nothing. A duplicate event
     * finds the object already received and changes nothing.
     */
    public boolean recordUpload(String accountId, String assetId, long sizeBytes, Instant now) {
        for (int attempt = 1; attempt <= MAX_CHANGE_ATTEMPTS; attempt++) {
            Map<String, AttributeValue> current = ops.getItem(accountId, assetId);
            if (current == null || current.containsKey(DELETED_AT)
                    || !AssetStatus.Processing.name().equals(AssetItems.str(current, STATUS))
                    || !AssetItems.UPLOAD_AWAITING.equals(AssetItems.str(current, AssetItems.UPLOAD))) {
                return false;
            }
            long version = AssetItems.version(current);
            Map<String, String> names = Map.of("#upload", AssetItems.UPLOAD, "#size", AssetItems.OBJECT_SIZE,
                    "#uploadedAt", AssetItems.UPLOADED_AT, "#updatedAt", UPDATED_AT, "#status", STATUS,
                    "#version", VERSION, "#deletedAt", DELETED_AT);
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":received", s(AssetItems.UPLOAD_RECEIVED),
                    ":awaiting", s(AssetItems.UPLOAD_AWAITING), ":size", n(sizeBytes), ":now", n(now.toEpochMilli()),
                    ":processing", s(AssetStatus.Processing.name()), ":next", n(version + 1)));
            String condition = AssetTable.versionCondition(version, values)
                    + " AND attribute_not_exists(#deletedAt) AND #upload = :awaiting AND #status = :processing";
            AssetEvent event = new AssetEvent(assetId, version + 1, now, AssetEvent.UPLOADED, AssetStatus.Processing,
                    AssetStatus.Processing, Actors.UPLOAD, "object received (" + sizeBytes + " bytes)", null, null, null);
            List<TransactWriteItem> writes = List.of(
                    TransactWriteItem.builder().update(u -> u.tableName(table).key(AssetItems.assetKey(accountId, assetId))
                            .updateExpression("SET #upload = :received, #size = :size, #uploadedAt = :now, "
                                    + "#updatedAt = :now, #version = :next")
                            .conditionExpression(condition).expressionAttributeNames(names)
                            .expressionAttributeValues(values)).build(),
                    ops.putNew(AssetItems.toItem(accountId, event, null)));
            if (ops.transact(writes, "the upload record")) {
                return true;
            }
            AssetTable.pause(attempt);
        }
        throw new StoreUnavailableException("asset " + assetId + " kept changing; upload not recorded", null);
    }

    /** Renames a live asset, recording the rename in its history. Empty when it is missing or deleted. */
    public Optional<Asset> rename(String accountId, String assetId, String newName, Instant now) {
        return edits.rename(accountId, assetId, newName, now);
    }

    /**
     * Soft-deletes an asset, in one transaction: sets {@code deletedAt} and the TTL attribute
     * {@code expiresAt = now + retention} on the asset and on every history event, removes it from
     * every index (lists, reuse), and records the delete in its history. An asset whose completion
     * message has not gone out yet ends {@code Failed} with {@link FailureCode#DELETED}, its
     * completion owed: the caller sends it. An asset whose completion went out keeps its status.
     */
    public DeleteResult delete(String accountId, String assetId, Instant now, Duration retention) {
        return edits.delete(accountId, assetId, now, retention);
    }

    /**
     * The asset's history, oldest first, or empty when the asset is unknown to this account. A
     * deleted asset's history stays readable until its tombstone expires.
     */
    public Optional<List<AssetEvent>> history(String accountId, String assetId, Instant now) {
        Map<String, AttributeValue> current = ops.getItem(accountId, assetId);
        if (current == null || expired(current, now)) {
            return Optional.empty();
        }
        List<AssetEvent> events = new ArrayList<>();
        ops.queryEvents(accountId, assetId, null).forEach(item -> events.add(AssetItems.eventFromItem(item)));
        return Optional.of(events);
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
     * Removes assets that were created but whose review could not be started, with their creation
     * event, so that a refused upload leaves nothing behind. Only assets not changed since their
     * creation are removed.
     */
    public void discardUnstarted(List<Asset> assets) {
        List<TransactWriteItem> writes = new ArrayList<>();
        for (Asset a : assets) {
            writes.add(TransactWriteItem.builder().delete(d -> d.tableName(table)
                    .key(AssetItems.assetKey(a.accountId(), a.assetId()))
                    .conditionExpression("#status = :first AND #version = :one")
                    .expressionAttributeNames(Map.of("#status", STATUS, "#version", VERSION))
                    .expressionAttributeValues(Map.of(":first", s(a.status().name()), ":one", n(1)))).build());
            writes.add(TransactWriteItem.builder().delete(d -> d.tableName(table)
                    .key(AssetItems.idReservationKey(a.assetId()))).build());
            writes.add(TransactWriteItem.builder().delete(d -> d.tableName(table)
                    .key(AssetItems.eventKey(a.accountId(), a.assetId(), 1))).build());
        }
        try {
            dynamo.transactWriteItems(r -> r.transactItems(writes));
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not remove the unstarted assets", e);
        }
    }

    static boolean expired(Map<String, AttributeValue> item, Instant now) {
        return AssetTable.expired(item, now);
    }

    private static String defaultReason(AssetStatus to) {
        return switch (to) {
            case Processing -> "handed to the reviewer";
            case Active -> "approved by the review";
            case Failed -> "failed";
            case submitted -> "submitted";
        };
    }
}
