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
 * Status changes of assets, each a version-checked transaction with its history event: the
 * reviewer's and the deadline's moves ({@link StatusChange}), a direct upload's object arriving,
 * and the mark that an asset's completion message went out.
 */
final class StatusTransitions {
    private final DynamoDbClient dynamo;
    private final String table;
    private final AssetRecords ops;

    /** Null: no quotas counted. */
    private final QuotaCounters quotas;

    StatusTransitions(DynamoDbClient dynamo, String table, AssetRecords ops, QuotaCounters quotas) {
        this.dynamo = dynamo;
        this.table = table;
        this.ops = ops;
        this.quotas = quotas;
    }

    /**
     * Moves an asset from one of the change's expected statuses to its new one, recording the
     * change in its history (by its actor: see {@link Actors}) in the same transaction. A move into
     * a terminal status also marks its completion message as owed; a move into Failed takes the
     * asset out of the reuse index. Empty when the asset is gone, deleted, or no longer in an
     * expected status (or, {@link StatusChange#whileAwaitingUpload()}, no longer awaiting its
     * object): someone else already moved it, and this writer must not.
     */
    Optional<Asset> transition(StatusChange change) {
        String accountId = change.accountId();
        String assetId = change.assetId();
        Set<AssetStatus> expected = change.expected();
        boolean awaitingUpload = change.onlyWhileAwaitingUpload();
        AssetStatus to = change.to();
        String errorCode = change.errorCode();
        String errorMessage = change.errorMessage();
        String actor = change.actor();
        Instant now = change.at();
        Actors.requireValid(actor);
        for (int attempt = 1; attempt <= AssetStore.MAX_CHANGE_ATTEMPTS; attempt++) {
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
            String condition = AssetRecords.versionCondition(version, values) + " AND attribute_not_exists(#deletedAt) AND #status IN ("
                    + String.join(", ", placeholders) + ")";
            if (awaitingUpload) {
                names.put("#upload", AssetItems.UPLOAD);
                values.put(":awaiting", s(AssetItems.UPLOAD_AWAITING));
                condition += " AND #upload = :awaiting";
            }
            String reason = change.reason() != null ? change.reason() : errorMessage != null ? errorMessage : defaultReason(to);
            AssetEvent event = new AssetEvent(assetId, version + 1, now, AssetEvent.STATUS, before.status(), to, actor,
                    reason, errorCode, null, null);
            List<TransactWriteItem> writes = new ArrayList<>(List.of(
                    TransactWriteItem.builder().update(Update.builder().tableName(table)
                            .key(AssetItems.assetKey(accountId, assetId)).updateExpression(update.toString())
                            .conditionExpression(condition).expressionAttributeNames(names)
                            .expressionAttributeValues(values).build()).build(),
                    ops.putNew(AssetItems.toItem(accountId, event, null))));
            // Quotas: an asset that ends leaves inReview (and, Failed, storedAssets and its bytes), in this
            // version-checked transaction, so a retried change never releases twice.
            if (quotas != null && QuotaCounters.counted(current) && to.isTerminal() && !before.status().isTerminal()) {
                boolean failed = to == AssetStatus.Failed;
                writes.add(quotas.release(accountId, 1, failed ? 1 : 0, failed ? QuotaCounters.countedBytes(current) : 0));
            }
            if (ops.transact(writes, "the status change")) {
                boolean terminal = to.isTerminal();
                return Optional.of(new Asset(accountId, assetId, before.assetType(), before.url(), before.name(), to,
                        before.createdAt(), now, errorCode != null ? errorCode : before.errorCode(),
                        errorCode != null ? errorMessage : before.errorMessage(), before.batchId(),
                        !terminal && before.completionSent(), null, before.media(), before.findings()));
            }
            AssetRecords.pause(attempt);
        }
        throw new StoreUnavailableException("asset " + assetId + " kept changing; status change not written", null);
    }

    /**
     * Records that the object of a direct upload arrived, with its history event ({@code uploaded},
     * actor {@code upload}), if the asset exists in this account, is not deleted, is still
     * {@code Processing} and still awaits its object. False otherwise (no such asset here, deleted,
     * already received, or already decided): the caller must then start nothing. A duplicate event,
     * or the event of a later PUT to the same key, finds the object already received and changes
     * nothing: the ETag and version id recorded are the first event's. Either may be null.
     */
    boolean recordUpload(String accountId, String assetId, long sizeBytes, String eTag, String versionId, Instant now) {
        for (int attempt = 1; attempt <= AssetStore.MAX_CHANGE_ATTEMPTS; attempt++) {
            Map<String, AttributeValue> current = ops.getItem(accountId, assetId);
            if (current == null || current.containsKey(DELETED_AT)
                    || !AssetStatus.Processing.name().equals(AssetItems.str(current, STATUS))
                    || !AssetItems.UPLOAD_AWAITING.equals(AssetItems.str(current, AssetItems.UPLOAD))) {
                return false;
            }
            long version = AssetItems.version(current);
            Map<String, String> names = new HashMap<>(Map.of("#upload", AssetItems.UPLOAD, "#size", AssetItems.OBJECT_SIZE,
                    "#uploadedAt", AssetItems.UPLOADED_AT, "#updatedAt", UPDATED_AT, "#status", STATUS,
                    "#version", VERSION, "#deletedAt", DELETED_AT));
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":received", s(AssetItems.UPLOAD_RECEIVED),
                    ":awaiting", s(AssetItems.UPLOAD_AWAITING), ":size", n(sizeBytes), ":now", n(now.toEpochMilli()),
                    ":processing", s(AssetStatus.Processing.name()), ":next", n(version + 1)));
            String condition = AssetRecords.versionCondition(version, values)
                    + " AND attribute_not_exists(#deletedAt) AND #upload = :awaiting AND #status = :processing";
            StringBuilder pinned = new StringBuilder();
            if (eTag != null && !eTag.isEmpty()) {
                names.put("#eTag", AssetItems.OBJECT_ETAG);
                values.put(":eTag", s(eTag));
                pinned.append(", #eTag = :eTag");
            }
            if (versionId != null && !versionId.isEmpty()) {
                names.put("#versionId", AssetItems.OBJECT_VERSION_ID);
                values.put(":versionId", s(versionId));
                pinned.append(", #versionId = :versionId");
            }
            AssetEvent event = new AssetEvent(assetId, version + 1, now, AssetEvent.UPLOADED, AssetStatus.Processing,
                    AssetStatus.Processing, Actors.UPLOAD, "object received (" + sizeBytes + " bytes)", null, null, null);
            // Quotas: a counted asset's object adds its bytes to storedBytes (and remembers them, for its release).
            boolean countBytes = quotas != null && QuotaCounters.counted(current);
            Map<String, String> allNames = new HashMap<>(names);
            String set = "SET #upload = :received, #size = :size, #uploadedAt = :now, #updatedAt = :now, #version = :next" + pinned;
            if (countBytes) {
                allNames.put("#quotaBytes", QuotaCounters.COUNTED_BYTES);
                set += ", #quotaBytes = :size";
            }
            String expression = set;
            List<TransactWriteItem> writes = new ArrayList<>(List.of(
                    TransactWriteItem.builder().update(u -> u.tableName(table).key(AssetItems.assetKey(accountId, assetId))
                            .updateExpression(expression)
                            .conditionExpression(condition).expressionAttributeNames(allNames)
                            .expressionAttributeValues(values)).build(),
                    ops.putNew(AssetItems.toItem(accountId, event, null))));
            if (countBytes) {
                writes.add(quotas.storedBytesItem(accountId, sizeBytes));
            }
            if (ops.transact(writes, "the upload record")) {
                return true;
            }
            AssetRecords.pause(attempt);
        }
        throw new StoreUnavailableException("asset " + assetId + " kept changing; upload not recorded", null);
    }

    /**
     * The one conditional decision between a review's Active completion and a delete: the claim
     * succeeds only if no delete came first ({@code deletedAt} absent while the completion is owed),
     * and a delete that comes after it keeps the status Active (see AssetEdits.delete).
     */
    boolean claimActiveCompletion(String accountId, String assetId) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(AssetItems.assetKey(accountId, assetId))
                    .updateExpression("SET #completion = :claimed")
                    .conditionExpression("#status = :active AND ((#completion = :pending AND attribute_not_exists(#deletedAt))"
                            + " OR #completion = :claimed)")
                    .expressionAttributeNames(Map.of("#completion", COMPLETION, "#status", STATUS, "#deletedAt", DELETED_AT))
                    .expressionAttributeValues(Map.of(":claimed", s(AssetItems.COMPLETION_CLAIMED),
                            ":pending", s(COMPLETION_PENDING), ":active", s(AssetStatus.Active.name()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not accept the completion claim", e);
        }
    }

    /** Records that the asset's completion message went out; false if it was already recorded. */
    boolean markCompletionSent(String accountId, String assetId) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(AssetItems.assetKey(accountId, assetId))
                    .updateExpression("SET #completion = :sent")
                    .conditionExpression("#completion IN (:pending, :claimed)")
                    .expressionAttributeNames(Map.of("#completion", COMPLETION))
                    .expressionAttributeValues(Map.of(":sent", s(COMPLETION_SENT), ":pending", s(COMPLETION_PENDING),
                            ":claimed", s(AssetItems.COMPLETION_CLAIMED))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not accept the completion mark", e);
        }
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
