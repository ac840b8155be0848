package dev.assetlib.store;

import static dev.assetlib.store.AssetItems.DELETED_AT;
import static dev.assetlib.store.AssetItems.STATUS;
import static dev.assetlib.store.AssetItems.UPDATED_AT;
import static dev.assetlib.store.AssetItems.VERSION;
import static dev.assetlib.store.AssetItems.n;
import static dev.assetlib.store.AssetItems.s;

import dev.assetlib.domain.Actors;
import dev.assetlib.domain.AssetEvent;
import dev.assetlib.domain.AssetStatus;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * An automated review's findings on the asset ({@code findings}, a JSON object as text) with a
 * {@code findings} history event naming the actor and what decided, in one transaction; written
 * once (a retried round finds them there and writes nothing).
 */
final class ReviewFindings {
    /** DynamoDB items hold 400 KB: findings are kept well below (the reviewer trims its lists). */
    static final int MAX_CHARS = 64 * 1024;
    private final String table;
    private final AssetRecords ops;

    ReviewFindings(String table, AssetRecords ops) {
        this.table = table;
        this.ops = ops;
    }

    boolean record(String accountId, String assetId, String findingsJson, String actor, String summary, Instant now) {
        Actors.requireValid(actor);
        if (findingsJson.length() > MAX_CHARS) {
            throw new IllegalArgumentException("findings of " + findingsJson.length() + " characters: at most " + MAX_CHARS);
        }
        for (int attempt = 1; attempt <= AssetStore.MAX_CHANGE_ATTEMPTS; attempt++) {
            Map<String, AttributeValue> current = ops.getItem(accountId, assetId);
            if (current == null || current.containsKey(DELETED_AT) || current.containsKey(AssetItems.FINDINGS)) {
                return false;
            }
            AssetStatus status = AssetStatus.valueOf(AssetItems.str(current, STATUS));
            if (status.isTerminal()) {
                return false;
            }
            long version = AssetItems.version(current);
            Map<String, String> names = Map.of("#findings", AssetItems.FINDINGS, "#updatedAt", UPDATED_AT,
                    "#version", VERSION, "#deletedAt", DELETED_AT, "#status", STATUS);
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":findings", s(findingsJson),
                    ":now", n(now.toEpochMilli()), ":next", n(version + 1), ":status", s(status.name())));
            String condition = AssetRecords.versionCondition(version, values)
                    + " AND attribute_not_exists(#deletedAt) AND attribute_not_exists(#findings) AND #status = :status";
            AssetEvent event = new AssetEvent(assetId, version + 1, now, AssetEvent.FINDINGS, status, status, actor,
                    summary, null, null, null);
            List<TransactWriteItem> writes = List.of(
                    TransactWriteItem.builder().update(u -> u.tableName(table).key(AssetItems.assetKey(accountId, assetId))
                            .updateExpression("SET #findings = :findings, #updatedAt = :now, #version = :next")
                            .conditionExpression(condition).expressionAttributeNames(names)
                            .expressionAttributeValues(values)).build(),
                    ops.putNew(AssetItems.toItem(accountId, event, null)));
            if (ops.transact(writes, "the review findings")) {
                return true;
            }
            AssetRecords.pause(attempt);
        }
        throw new StoreUnavailableException("asset " + assetId + " kept changing; findings not recorded", null);
    }
}
