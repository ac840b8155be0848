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

/** The reviewer's reference on each asset it accepted: recorded once, read back on a retried submission. */
final class ReviewRefs {
    private final DynamoDbClient dynamo;
    private final String table;
    private final AssetRecords ops;

    ReviewRefs(DynamoDbClient dynamo, String table, AssetRecords ops) {
        this.dynamo = dynamo;
        this.table = table;
        this.ops = ops;
    }

    /**
     * The reviewer references already recorded for these assets, by asset id (one BatchGetItem per
     * 100 ids). A retried submission reads them back instead of handing the asset over again.
     */
    Map<String, String> reviewRefs(String accountId, Collection<String> assetIds) {
        Map<String, String> refs = new LinkedHashMap<>();
        ops.getAllItems(accountId, assetIds).forEach((id, item) -> {
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
    Map<String, String> recordReviewRefs(String accountId, String reviewer, Map<String, String> refs, Instant now) {
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

}
