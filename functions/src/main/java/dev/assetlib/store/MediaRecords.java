package dev.assetlib.store;

import static dev.assetlib.store.AssetItems.DELETED_AT;
import static dev.assetlib.store.AssetItems.STATUS;
import static dev.assetlib.store.AssetItems.UPDATED_AT;
import static dev.assetlib.store.AssetItems.VERSION;
import static dev.assetlib.store.AssetItems.n;
import static dev.assetlib.store.AssetItems.s;

import dev.assetlib.domain.Actors;
import dev.assetlib.domain.AssetEvent;
import dev.assetlib.domain.AssetMedia;
import dev.assetlib.domain.AssetStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The media step's writes: the facts on the asset (with a {@code media} history event), and the
 * account's approved-bytes marker {@code ACCOUNT#{acct} / SHA#{sha256}} written when an asset with
 * media becomes Active, so identical bytes are reviewed once (a keyed read, never an index).
 */
final class MediaRecords {
    static final String SHA_PREFIX = "SHA#";
    private final DynamoDbClient dynamo;
    private final String table;
    private final AssetRecords ops;
    private final QuotaCounters quotas;

    /** {@code quotas}: the stored copy's bytes are counted in storedBytes (null: no quotas). */
    MediaRecords(DynamoDbClient dynamo, String table, AssetRecords ops, QuotaCounters quotas) {
        this.dynamo = dynamo;
        this.table = table;
        this.ops = ops;
        this.quotas = quotas;
    }

    static Map<String, AttributeValue> shaKey(String accountId, String sha256) {
        return Map.of(AssetItems.PK, s(AssetItems.accountPk(accountId)), AssetItems.SK, s(SHA_PREFIX + sha256));
    }

    /**
     * Records the accepted media on the asset while it is undecided and not deleted; false if it is
     * gone, decided, or already has its media (a retried step: nothing written twice). A counted
     * asset's stored copy is counted in storedBytes in the same version-checked transaction: its
     * {@code quotaBytes} becomes the copy's size and the counter gets the difference (a direct
     * upload's object was counted when it arrived: the same bytes add nothing), so the end or
     * delete that releases {@code quotaBytes} gives back exactly what was counted.
     */
    boolean recordMedia(String accountId, String assetId, AssetMedia media, Instant now) {
        for (int attempt = 1; attempt <= AssetStore.MAX_CHANGE_ATTEMPTS; attempt++) {
            Map<String, AttributeValue> current = ops.getItem(accountId, assetId);
            if (current == null || current.containsKey(DELETED_AT) || current.containsKey(AssetItems.MEDIA)) {
                return false;
            }
            AssetStatus status = AssetStatus.valueOf(AssetItems.str(current, STATUS));
            if (status.isTerminal()) {
                return false;
            }
            long version = AssetItems.version(current);
            Map<String, String> names = new HashMap<>(Map.of("#media", AssetItems.MEDIA, "#updatedAt", UPDATED_AT,
                    "#version", VERSION, "#deletedAt", DELETED_AT, "#status", STATUS));
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":media", AssetItems.mediaToItem(media),
                    ":now", n(now.toEpochMilli()), ":next", n(version + 1), ":status", s(status.name())));
            String condition = AssetRecords.versionCondition(version, values)
                    + " AND attribute_not_exists(#deletedAt) AND attribute_not_exists(#media) AND #status = :status";
            AssetEvent event = new AssetEvent(assetId, version + 1, now, AssetEvent.MEDIA, status, status, Actors.MEDIA,
                    "media checked: " + describe(media), null, null, null);
            boolean countBytes = quotas != null && QuotaCounters.counted(current);
            long addedBytes = countBytes ? media.bytes() - QuotaCounters.countedBytes(current) : 0;
            String update = "SET #media = :media, #updatedAt = :now, #version = :next";
            if (countBytes) {
                names.put("#quotaBytes", QuotaCounters.COUNTED_BYTES);
                values.put(":quotaBytes", n(media.bytes()));
                update += ", #quotaBytes = :quotaBytes";
            }
            String expression = update;
            List<TransactWriteItem> writes = new ArrayList<>(List.of(
                    TransactWriteItem.builder().update(u -> u.tableName(table).key(AssetItems.assetKey(accountId, assetId))
                            .updateExpression(expression)
                            .conditionExpression(condition).expressionAttributeNames(names)
                            .expressionAttributeValues(values)).build(),
                    ops.putNew(AssetItems.toItem(accountId, event, null))));
            if (addedBytes != 0) {
                writes.add(quotas.storedBytesItem(accountId, addedBytes));
            }
            if (ops.transact(writes, "the media record")) {
                return true;
            }
            AssetRecords.pause(attempt);
        }
        throw new StoreUnavailableException("asset " + assetId + " kept changing; media not recorded", null);
    }

    /** The asset whose identical bytes (same SHA-256) were approved in this account, if any. */
    Optional<String> approvedTwin(String accountId, String sha256) {
        try {
            var item = dynamo.getItem(r -> r.tableName(table).key(shaKey(accountId, sha256)).consistentRead(true)).item();
            return item == null || item.isEmpty() ? Optional.empty() : Optional.ofNullable(AssetItems.str(item, "assetId"));
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not answer", e);
        }
    }

    /**
     * Marks these bytes approved in the account, naming this asset: the latest approval wins, so a
     * marker whose asset was deleted since is replaced by the next approval of the same bytes.
     */
    void markApproved(String accountId, String sha256, String assetId, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(shaKey(accountId, sha256));
        item.put("itemType", s("SHA"));
        item.put("assetId", s(assetId));
        item.put("approvedAt", n(now.toEpochMilli()));
        try {
            dynamo.putItem(r -> r.tableName(table).item(item));
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not accept the approved-bytes marker", e);
        }
    }

    /** Drops the marker when it names this asset (the asset was deleted: its decision no longer stands). */
    void unmarkApproved(String accountId, String sha256, String assetId) {
        try {
            dynamo.deleteItem(r -> r.tableName(table).key(shaKey(accountId, sha256))
                    .conditionExpression("assetId = :id").expressionAttributeValues(Map.of(":id", s(assetId))));
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException notOurs) {
            // another asset's marker, or none
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not accept the marker's removal", e);
        }
    }

    static String describe(AssetMedia m) {
        StringBuilder b = new StringBuilder(m.format()).append(", ").append(m.bytes()).append(" bytes");
        if (m.width() != null && m.height() != null) {
            b.append(", ").append(m.width()).append('x').append(m.height()).append(" px");
        }
        if (m.durationMs() != null) {
            b.append(", ").append(m.durationMs()).append(" ms");
        }
        if (m.fps() != null) {
            b.append(", ").append(String.format(java.util.Locale.ROOT, "%.2f", m.fps())).append(" fps");
        }
        if (m.sha256() != null) {
            b.append(", sha256 ").append(m.sha256());
        }
        return b.toString();
    }
}
