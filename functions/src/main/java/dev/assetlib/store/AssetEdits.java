package dev.assetlib.store;

import static dev.assetlib.store.AssetItems.BATCH_SIZE;
import static dev.assetlib.store.AssetItems.COMPLETION;
import static dev.assetlib.store.AssetItems.COMPLETION_PENDING;
import static dev.assetlib.store.AssetItems.COMPLETION_SENT;
import static dev.assetlib.store.AssetItems.DELETED_AT;
import static dev.assetlib.store.AssetItems.ERROR_CODE;
import static dev.assetlib.store.AssetItems.ERROR_MESSAGE;
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
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.domain.FailureCode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The owner's edits of an asset: rename and delete, each one version-checked transaction with its
 * history event (see {@link AssetStore}). A delete is soft: a tombstone with a TTL that keeps the
 * history readable for the retention period.
 */
final class AssetEdits {
    private static final int MAX_CHANGE_ATTEMPTS = AssetStore.MAX_CHANGE_ATTEMPTS;
    // The delete's transaction: the asset, its new event, and as many old events' TTLs as fit.
    private static final int EVENTS_IN_DELETE_TRANSACTION = 95;

    private final AssetRecords ops;
    private final String table;

    /** Null: no quotas counted. */
    private final QuotaCounters quotas;

    AssetEdits(AssetRecords ops, QuotaCounters quotas) {
        this.ops = ops;
        this.table = ops.table;
        this.quotas = quotas;
    }

    /** Renames a live asset, recording the rename in its history. Empty when it is missing or deleted. */
    public Optional<Asset> rename(String accountId, String assetId, String newName, Instant now) {
        for (int attempt = 1; attempt <= MAX_CHANGE_ATTEMPTS; attempt++) {
            Map<String, AttributeValue> current = ops.getItem(accountId, assetId);
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
            String condition = AssetRecords.versionCondition(version, values) + " AND attribute_not_exists(#deletedAt)";
            AssetEvent event = new AssetEvent(assetId, version + 1, now, AssetEvent.RENAMED, before.status(), before.status(),
                    Actors.RENAME, "renamed by its owner", null, before.name() == null ? "" : before.name(),
                    newName == null ? "" : newName);
            final String expression = update;
            List<TransactWriteItem> writes = List.of(
                    TransactWriteItem.builder().update(u -> u.tableName(table).key(AssetItems.assetKey(accountId, assetId))
                            .updateExpression(expression).conditionExpression(condition)
                            .expressionAttributeNames(names).expressionAttributeValues(values)).build(),
                    ops.putNew(AssetItems.toItem(accountId, event, null)));
            if (ops.transact(writes, "the rename")) {
                return Optional.of(new Asset(accountId, assetId, before.assetType(), before.url(), newName, before.status(),
                        before.createdAt(), now, before.errorCode(), before.errorMessage(), before.batchId(),
                        before.completionSent(), null, before.media(), before.findings()));
            }
            AssetRecords.pause(attempt);
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
            Map<String, AttributeValue> current = ops.getItem(accountId, assetId);
            if (current == null) {
                return new DeleteResult(DeleteResult.Outcome.NOT_FOUND, null, 0);
            }
            int batchSize = current.containsKey(BATCH_SIZE) ? Integer.parseInt(current.get(BATCH_SIZE).n()) : 1;
            Asset before = AssetItems.fromItem(current);
            if (before.isDeleted()) {
                return new DeleteResult(DeleteResult.Outcome.ALREADY_DELETED, before, batchSize);
            }
            long version = AssetItems.version(current);
            String completion = AssetItems.str(current, COMPLETION);
            // A claimed completion (an Active decision being published) is the asset's one completion:
            // the delete keeps its status, so it never sends a second one.
            boolean owed = !COMPLETION_SENT.equals(completion) && !AssetItems.COMPLETION_CLAIMED.equals(completion);
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
            String condition = AssetRecords.versionCondition(version, values) + " AND attribute_not_exists(#deletedAt)";

            List<Map<String, AttributeValue>> eventKeys = ops.eventKeys(accountId, assetId);
            AssetEvent event = new AssetEvent(assetId, version + 1, now, AssetEvent.DELETED, before.status(), after,
                    Actors.DELETE, message, fail ? FailureCode.DELETED : null, null, null);
            List<TransactWriteItem> writes = new ArrayList<>();
            writes.add(TransactWriteItem.builder().update(u -> u.tableName(table).key(AssetItems.assetKey(accountId, assetId))
                    .updateExpression(update).conditionExpression(condition)
                    .expressionAttributeNames(names).expressionAttributeValues(values)).build());
            writes.add(ops.putNew(AssetItems.toItem(accountId, event, expiresAt)));
            for (Map<String, AttributeValue> key : eventKeys.subList(0, Math.min(eventKeys.size(), EVENTS_IN_DELETE_TRANSACTION))) {
                writes.add(ops.expire(key, expiresAt));
            }
            // Quotas: a deleted asset gives back what it still held (a Failed one gave it back
            // when it failed), in the version-checked delete, so a retried delete never releases twice.
            if (quotas != null && QuotaCounters.counted(current) && before.status() != AssetStatus.Failed) {
                writes.add(quotas.release(accountId, undecided ? 1 : 0, 1, QuotaCounters.countedBytes(current)));
            }
            if (ops.transact(writes, "the delete")) {
                // An asset renamed more than ~95 times: its oldest events get their TTL just after.
                for (Map<String, AttributeValue> key : eventKeys.subList(Math.min(eventKeys.size(), EVENTS_IN_DELETE_TRANSACTION),
                        eventKeys.size())) {
                    ops.transact(List.of(ops.expire(key, expiresAt)), "the history TTL");
                }
                Asset deleted = new Asset(accountId, assetId, before.assetType(), before.url(), before.name(), after,
                        before.createdAt(), now, fail ? FailureCode.DELETED : before.errorCode(),
                        fail ? message : before.errorMessage(), before.batchId(), !owed, now);
                return new DeleteResult(DeleteResult.Outcome.DELETED, deleted, batchSize);
            }
            AssetRecords.pause(attempt);
        }
        throw new StoreUnavailableException("asset " + assetId + " kept changing; delete not written", null);
    }
}
