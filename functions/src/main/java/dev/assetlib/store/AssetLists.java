package dev.assetlib.store;

import static dev.assetlib.store.AssetItems.LIST_SK;
import static dev.assetlib.store.AssetItems.s;

import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.domain.AssetType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Lists an account's assets, newest first, from the sparse list indexes: never a Scan, and never
 * a read outside the account's own index partition. Each status/type combination has its own
 * index partition (ByCreated, ByStatus, ByType, ByStatusType), and createdAfter/createdBefore are
 * key conditions on the shared sort key, so those filters read only matching assets.
 *
 * <p>{@code namePrefix} is the one filter that is not a key: it is a FilterExpression over the
 * chosen index partition. DynamoDB charges for every item it reads before filtering, so a prefix
 * that matches few assets of a large account costs up to {@link #MAX_EVALUATED} items read per
 * request; when that budget is spent the page returns what it found (possibly nothing) with a
 * position to continue from.
 */
public final class AssetLists {
    public static final int MAX_EVALUATED = 1000;
    private static final Pattern POSITION = Pattern.compile("\\d{15}#asset-\\d{14}-[a-z0-9]{5}");
    private static final String MAX_MILLIS = "999999999999999";

    private final DynamoDbClient dynamo;
    private final String table;

    public AssetLists(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /**
     * What to list. Bounds are exclusive ({@code createdAt > createdAfter}, {@code createdAt <
     * createdBefore}) at millisecond precision; {@code after} is a position from a previous page.
     */
    public record Query(String accountId, AssetStatus status, AssetType type, String namePrefix,
                        Instant createdAfter, Instant createdBefore, int limit, String after) {
    }

    /** A page; {@code next} is the position to continue from, null on the last page. */
    public record Page(List<Asset> items, String next) {
    }

    public static boolean isPosition(String text) {
        return text != null && POSITION.matcher(text).matches();
    }

    public Page list(Query q) {
        if (q.limit() < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        String lo = q.createdAfter() == null ? pad(0) : pad(Math.addExact(q.createdAfter().toEpochMilli(), 1));
        String hi = q.createdBefore() == null ? MAX_MILLIS + "$" : pad(ceilMillis(q.createdBefore()) - 1) + "$";
        if (q.createdBefore() != null && ceilMillis(q.createdBefore()) - 1 < 0 || lo.compareTo(hi) > 0) {
            return new Page(List.of(), null);
        }
        String indexName;
        String hashAttribute;
        String hashValue;
        if (q.status() != null && q.type() != null) {
            indexName = AssetItems.BY_STATUS_TYPE;
            hashAttribute = AssetItems.STATUS_TYPE_KEY;
            hashValue = AssetItems.statusTypeKey(q.accountId(), q.status(), q.type());
        } else if (q.status() != null) {
            indexName = AssetItems.BY_STATUS;
            hashAttribute = AssetItems.STATUS_KEY;
            hashValue = AssetItems.statusKey(q.accountId(), q.status());
        } else if (q.type() != null) {
            indexName = AssetItems.BY_TYPE;
            hashAttribute = AssetItems.TYPE_KEY;
            hashValue = AssetItems.typeKey(q.accountId(), q.type());
        } else {
            indexName = AssetItems.BY_CREATED;
            hashAttribute = AssetItems.PK;
            hashValue = AssetItems.accountPk(q.accountId());
        }
        Map<String, String> names = new HashMap<>(Map.of("#h", hashAttribute, "#sk", LIST_SK));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":h", s(hashValue), ":lo", s(lo), ":hi", s(hi)));
        boolean filtered = q.namePrefix() != null;
        if (filtered) {
            names.put("#name", "name");
            values.put(":prefix", s(q.namePrefix()));
        }

        List<Asset> items = new ArrayList<>();
        String position = q.after();
        int evaluated = 0;
        try {
            while (true) {
                int want = q.limit() - items.size() + 1;
                int pageLimit = filtered ? Math.min(Math.max(want, 100), MAX_EVALUATED - evaluated) : want;
                QueryRequest.Builder request = QueryRequest.builder().tableName(table).indexName(indexName)
                        .keyConditionExpression("#h = :h AND #sk BETWEEN :lo AND :hi")
                        .expressionAttributeNames(names).expressionAttributeValues(values)
                        .scanIndexForward(false).limit(pageLimit);
                if (filtered) {
                    request.filterExpression("begins_with(#name, :prefix)");
                }
                if (position != null) {
                    request.exclusiveStartKey(startKey(q.accountId(), hashAttribute, hashValue, position));
                }
                QueryResponse response = dynamo.query(request.build());
                evaluated += response.scannedCount();
                for (Map<String, AttributeValue> item : response.items()) {
                    if (items.size() == q.limit()) {
                        // one more match exists beyond this page
                        return new Page(items, positionOf(items.get(items.size() - 1)));
                    }
                    items.add(AssetItems.fromItem(item));
                }
                if (!response.hasLastEvaluatedKey() || response.lastEvaluatedKey().isEmpty()) {
                    return new Page(items, null);
                }
                position = response.lastEvaluatedKey().get(LIST_SK).s();
                if (filtered && evaluated >= MAX_EVALUATED) {
                    return new Page(items, items.size() == q.limit() ? positionOf(items.get(items.size() - 1)) : position);
                }
            }
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not answer", e);
        }
    }

    private static String positionOf(Asset a) {
        return AssetItems.listSk(a.createdAt(), a.assetId());
    }

    private static Map<String, AttributeValue> startKey(String accountId, String hashAttribute, String hashValue, String position) {
        String assetId = position.substring(position.indexOf('#') + 1);
        Map<String, AttributeValue> key = new HashMap<>(AssetItems.assetKey(accountId, assetId));
        key.put(LIST_SK, s(position));
        key.put(hashAttribute, s(hashValue));
        return key;
    }

    private static long ceilMillis(Instant t) {
        long ms = t.toEpochMilli();
        return t.getNano() % 1_000_000 == 0 ? ms : ms + 1;
    }

    private static String pad(long millis) {
        return String.format("%015d", millis);
    }
}
