package dev.assetlib.store;

import static dev.assetlib.store.AssetItems.BATCH_SIZE;
import static dev.assetlib.store.AssetItems.COMPLETION;
import static dev.assetlib.store.AssetItems.COMPLETION_PENDING;
import static dev.assetlib.store.AssetItems.COMPLETION_SENT;
import static dev.assetlib.store.AssetItems.DELETED_AT;
import static dev.assetlib.store.AssetItems.ERROR_CODE;
import static dev.assetlib.store.AssetItems.ERROR_MESSAGE;
import static dev.assetlib.store.AssetItems.REVIEW_REF;
import static dev.assetlib.store.AssetItems.EXPIRES_AT;
import static dev.assetlib.store.AssetItems.LIST_SK;
import static dev.assetlib.store.AssetItems.STATUS;
import static dev.assetlib.store.AssetItems.STATUS_KEY;
import static dev.assetlib.store.AssetItems.STATUS_TYPE_KEY;
import static dev.assetlib.store.AssetItems.TYPE_KEY;
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
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
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
 */
public final class AssetStore {
    private static final int MAX_ID_ATTEMPTS = 8;
    private static final int MAX_CHANGE_ATTEMPTS = 10;
    /** Items per asset in a creation: id reservation, asset, creation event. */
    static final int ITEMS_PER_ASSET = 3;
    /** TransactWriteItems takes at most 100 actions: 3 per asset and one for a {@link CreateGuard}. */
    public static final int MAX_ASSETS_PER_CREATE = (100 - 1) / ITEMS_PER_ASSET;
    /** Existing history events whose TTL is set inside the delete transaction (the rest just after). */
    private static final int EVENTS_IN_DELETE_TRANSACTION = 95;
    private static final Set<AssetStatus> REUSABLE = EnumSet.of(AssetStatus.submitted, AssetStatus.Processing, AssetStatus.Active);

    private final DynamoDbClient dynamo;
    private final String table;
    private final AssetIds ids;

    public AssetStore(DynamoDbClient dynamo, String table, AssetIds ids) {
        this.dynamo = dynamo;
        this.table = table;
        this.ids = ids;
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
                Asset asset = new Asset(accountId, chosen.get(i), item.assetType(), item.url(), item.name(),
                        item.initialStatus(), now, now, null, null, batchId, false);
                assets.add(asset);
                writes.add(putNew(AssetItems.idReservation(accountId, asset.assetId(), now)));
                writes.add(putNew(AssetItems.toItem(asset, items.size())));
                String reason = batchId != null && items.size() > 1
                        ? "uploaded in a batch of " + items.size() + " (batch " + batchId + ")" : "uploaded";
                writes.add(putNew(AssetItems.toItem(accountId, new AssetEvent(asset.assetId(), 1, now, AssetEvent.CREATED,
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
                pause(attempt);
            } catch (SdkException e) {
                throw new StoreUnavailableException("DynamoDB did not accept the new assets", e);
            }
        }
    }

    /** The asset, deleted or not (a tombstone answers with {@link Asset#deletedAt()} set). */
    public Optional<Asset> get(String accountId, String assetId) {
        Map<String, AttributeValue> item = getItem(accountId, assetId);
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
        batchGet(keys).forEach(item -> found.put(item.get("assetId").s(), AssetItems.fromItem(item)));
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
        batchGet(keys).forEach(item -> found.put(item.get("assetId").s(), item));
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
            return batchGet(keys).stream().map(AssetItems::fromItem)
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
        Actors.requireValid(actor);
        for (int attempt = 1; attempt <= MAX_CHANGE_ATTEMPTS; attempt++) {
            Map<String, AttributeValue> current = getItem(accountId, assetId);
            if (current == null || current.containsKey(DELETED_AT)) {
                return Optional.empty();
            }
            Asset before = AssetItems.fromItem(current);
            if (!expected.contains(before.status())) {
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
            String condition = versionCondition(version, values) + " AND attribute_not_exists(#deletedAt) AND #status IN ("
                    + String.join(", ", placeholders) + ")";
            String reason = errorMessage != null ? errorMessage : defaultReason(to);
            AssetEvent event = new AssetEvent(assetId, version + 1, now, AssetEvent.STATUS, before.status(), to, actor,
                    reason, errorCode, null, null);
            List<TransactWriteItem> writes = List.of(
                    TransactWriteItem.builder().update(Update.builder().tableName(table)
                            .key(AssetItems.assetKey(accountId, assetId)).updateExpression(update.toString())
                            .conditionExpression(condition).expressionAttributeNames(names)
                            .expressionAttributeValues(values).build()).build(),
                    putNew(AssetItems.toItem(accountId, event, null)));
            if (transact(writes, "the status change")) {
                boolean terminal = to.isTerminal();
                return Optional.of(new Asset(accountId, assetId, before.assetType(), before.url(), before.name(), to,
                        before.createdAt(), now, errorCode != null ? errorCode : before.errorCode(),
                        errorCode != null ? errorMessage : before.errorMessage(), before.batchId(),
                        !terminal && before.completionSent(), null));
            }
            pause(attempt);
        }
        throw new StoreUnavailableException("asset " + assetId + " kept changing; status change not written", null);
    }

    /** Renames a live asset, recording the rename in its history. Empty when it is missing or deleted. */
    public Optional<Asset> rename(String accountId, String assetId, String newName, Instant now) {
        for (int attempt = 1; attempt <= MAX_CHANGE_ATTEMPTS; attempt++) {
            Map<String, AttributeValue> current = getItem(accountId, assetId);
            if (current == null || current.containsKey(DELETED_AT)) {
                return Optional.empty();
            }
            Asset before = AssetItems.fromItem(current);
            long version = AssetItems.version(current);
            Map<String, String> names = new HashMap<>(Map.of("#name", "name", "#updatedAt", UPDATED_AT,
                    "#version", VERSION, "#deletedAt", DELETED_AT));
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":now", n(now.toEpochMilli()), ":next", n(version + 1)));
            String update = "SET #updatedAt = :now, #version = :next";
            if (newName == null) {
                update += " REMOVE #name";
            } else {
                values.put(":name", s(newName));
                update = "SET #name = :name, #updatedAt = :now, #version = :next";
            }
            String condition = versionCondition(version, values) + " AND attribute_not_exists(#deletedAt)";
            AssetEvent event = new AssetEvent(assetId, version + 1, now, AssetEvent.RENAMED, before.status(), before.status(),
                    Actors.RENAME, "renamed by its owner", null, before.name() == null ? "" : before.name(),
                    newName == null ? "" : newName);
            final String expression = update;
            List<TransactWriteItem> writes = List.of(
                    TransactWriteItem.builder().update(u -> u.tableName(table).key(AssetItems.assetKey(accountId, assetId))
                            .updateExpression(expression).conditionExpression(condition)
                            .expressionAttributeNames(names).expressionAttributeValues(values)).build(),
                    putNew(AssetItems.toItem(accountId, event, null)));
            if (transact(writes, "the rename")) {
                return Optional.of(new Asset(accountId, assetId, before.assetType(), before.url(), newName, before.status(),
                        before.createdAt(), now, before.errorCode(), before.errorMessage(), before.batchId(),
                        before.completionSent(), null));
            }
            pause(attempt);
        }
        throw new StoreUnavailableException("asset " + assetId + " kept changing; rename not written", null);
    }

    /**
     * Soft-deletes an asset, in one transaction: sets {@code deletedAt} and the TTL attribute
     * {@code expiresAt = now + retention} on the asset and on every history event, removes it from
     * every index (lists, reuse), and records the delete in its history. An asset whose completion
     * message has not gone out yet (under review, or decided a moment ago) ends {@code Failed} with
     * {@link FailureCode#DELETED}, its completion owed: the caller sends it. An asset whose
     * completion went out keeps its status.
     */
    public DeleteResult delete(String accountId, String assetId, Instant now, Duration retention) {
        long expiresAt = now.plus(retention).getEpochSecond();
        for (int attempt = 1; attempt <= MAX_CHANGE_ATTEMPTS; attempt++) {
            Map<String, AttributeValue> current = getItem(accountId, assetId);
            if (current == null) {
                return new DeleteResult(DeleteResult.Outcome.NOT_FOUND, null, 0);
            }
            int batchSize = current.containsKey(BATCH_SIZE) ? Integer.parseInt(current.get(BATCH_SIZE).n()) : 1;
            Asset before = AssetItems.fromItem(current);
            if (before.isDeleted()) {
                return new DeleteResult(DeleteResult.Outcome.ALREADY_DELETED, before, batchSize);
            }
            long version = AssetItems.version(current);
            boolean owed = !COMPLETION_SENT.equals(AssetItems.str(current, COMPLETION));
            boolean undecided = !before.status().isTerminal();
            // A Failed asset whose completion is still owed keeps its own reason; anything else that
            // still owes its completion ends Failed/DELETED (deletion is the one exception to
            // "terminal never moves", as the contract says).
            boolean fail = owed && before.status() != AssetStatus.Failed;
            AssetStatus after = owed ? AssetStatus.Failed : before.status();
            String message = undecided ? "deleted by its owner before its review ended" : "deleted by its owner";

            Map<String, String> names = new HashMap<>(Map.of("#version", VERSION, "#deletedAt", DELETED_AT,
                    "#expiresAt", EXPIRES_AT, "#updatedAt", UPDATED_AT, "#listSk", LIST_SK, "#urlKey", URL_KEY,
                    "#statusKey", STATUS_KEY, "#typeKey", TYPE_KEY, "#statusTypeKey", STATUS_TYPE_KEY));
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":now", n(now.toEpochMilli()),
                    ":expires", n(expiresAt), ":next", n(version + 1)));
            StringBuilder set = new StringBuilder("SET #deletedAt = :now, #expiresAt = :expires, #updatedAt = :now, #version = :next");
            if (fail) {
                names.putAll(Map.of("#status", STATUS, "#completion", COMPLETION, "#errorCode", ERROR_CODE,
                        "#errorMessage", ERROR_MESSAGE));
                values.putAll(Map.of(":failed", s(AssetStatus.Failed.name()), ":pending", s(COMPLETION_PENDING),
                        ":code", s(FailureCode.DELETED), ":message", s(message)));
                set.append(", #status = :failed, #completion = :pending, #errorCode = :code, #errorMessage = :message");
            }
            String update = set + " REMOVE #listSk, #urlKey, #statusKey, #typeKey, #statusTypeKey";
            String condition = versionCondition(version, values) + " AND attribute_not_exists(#deletedAt)";

            List<Map<String, AttributeValue>> eventKeys = eventKeys(accountId, assetId);
            AssetEvent event = new AssetEvent(assetId, version + 1, now, AssetEvent.DELETED, before.status(), after,
                    Actors.DELETE, message, fail ? FailureCode.DELETED : null, null, null);
            List<TransactWriteItem> writes = new ArrayList<>();
            writes.add(TransactWriteItem.builder().update(u -> u.tableName(table).key(AssetItems.assetKey(accountId, assetId))
                    .updateExpression(update).conditionExpression(condition)
                    .expressionAttributeNames(names).expressionAttributeValues(values)).build());
            writes.add(putNew(AssetItems.toItem(accountId, event, expiresAt)));
            for (Map<String, AttributeValue> key : eventKeys.subList(0, Math.min(eventKeys.size(), EVENTS_IN_DELETE_TRANSACTION))) {
                writes.add(expire(key, expiresAt));
            }
            if (transact(writes, "the delete")) {
                // An asset renamed more than ~95 times: its oldest events get their TTL just after.
                for (Map<String, AttributeValue> key : eventKeys.subList(Math.min(eventKeys.size(), EVENTS_IN_DELETE_TRANSACTION),
                        eventKeys.size())) {
                    transact(List.of(expire(key, expiresAt)), "the history TTL");
                }
                Asset deleted = new Asset(accountId, assetId, before.assetType(), before.url(), before.name(), after,
                        before.createdAt(), now, fail ? FailureCode.DELETED : before.errorCode(),
                        fail ? message : before.errorMessage(), before.batchId(), !owed, now);
                return new DeleteResult(DeleteResult.Outcome.DELETED, deleted, batchSize);
            }
            pause(attempt);
        }
        throw new StoreUnavailableException("asset " + assetId + " kept changing; delete not written", null);
    }

    /**
     * The asset's history, oldest first, or empty when the asset is unknown to this account. A
     * deleted asset's history stays readable until its tombstone expires.
     */
    public Optional<List<AssetEvent>> history(String accountId, String assetId, Instant now) {
        Map<String, AttributeValue> current = getItem(accountId, assetId);
        if (current == null || expired(current, now)) {
            return Optional.empty();
        }
        List<AssetEvent> events = new ArrayList<>();
        queryEvents(accountId, assetId, null).forEach(item -> events.add(AssetItems.eventFromItem(item)));
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
        // TTL deletes expired items within days, not at once: until then they count as gone.
        AttributeValue expires = item.get(EXPIRES_AT);
        return expires != null && Long.parseLong(expires.n()) <= now.getEpochSecond();
    }

    private Map<String, AttributeValue> getItem(String accountId, String assetId) {
        try {
            var item = dynamo.getItem(r -> r.tableName(table)
                    .key(AssetItems.assetKey(accountId, assetId)).consistentRead(true)).item();
            return item == null || item.isEmpty() ? null : item;
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not answer", e);
        }
    }

    private List<Map<String, AttributeValue>> batchGet(List<Map<String, AttributeValue>> keys) {
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

    private List<Map<String, AttributeValue>> eventKeys(String accountId, String assetId) {
        return queryEvents(accountId, assetId, "pk, sk").stream()
                .map(i -> Map.of(AssetItems.PK, i.get(AssetItems.PK), AssetItems.SK, i.get(AssetItems.SK))).toList();
    }

    private List<Map<String, AttributeValue>> queryEvents(String accountId, String assetId, String projection) {
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

    private TransactWriteItem expire(Map<String, AttributeValue> key, long expiresAt) {
        return TransactWriteItem.builder().update(u -> u.tableName(table).key(key)
                .updateExpression("SET #expiresAt = :expires").conditionExpression("attribute_exists(pk)")
                .expressionAttributeNames(Map.of("#expiresAt", EXPIRES_AT))
                .expressionAttributeValues(Map.of(":expires", n(expiresAt)))).build();
    }

    /** Items written before versions existed have none: they count as version 0. */
    private static String versionCondition(long version, Map<String, AttributeValue> values) {
        if (version == 0) {
            return "attribute_exists(pk) AND attribute_not_exists(#version)";
        }
        values.put(":version", n(version));
        return "#version = :version";
    }

    private static String defaultReason(AssetStatus to) {
        return switch (to) {
            case Processing -> "handed to the reviewer";
            case Active -> "approved by the review";
            case Failed -> "failed";
            case submitted -> "submitted";
        };
    }

    /**
     * Runs a transaction; false when a condition failed or a concurrent transaction conflicted (the
     * caller re-reads and decides again), a StoreUnavailableException for anything else.
     */
    private boolean transact(List<TransactWriteItem> writes, String what) {
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

    private TransactWriteItem putNew(Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                .conditionExpression("attribute_not_exists(pk)").build()).build();
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(5, 10L + 20L * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted", null);
        }
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
