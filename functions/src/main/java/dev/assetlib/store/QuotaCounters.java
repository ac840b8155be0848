package dev.assetlib.store;

import static dev.assetlib.store.AssetItems.n;
import static dev.assetlib.store.AssetItems.s;

import dev.assetlib.app.limits.PlanSource;
import dev.assetlib.app.limits.UsageCounters;
import dev.assetlib.domain.AccountLimits;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * An account's quota counters, one item {@code pk = ACCOUNT#{account}, sk = USAGE}: assets in
 * review ({@code submitted}/{@code Processing}), stored assets (not deleted, not Failed), stored
 * bytes, and uploads per UTC day (one attribute per day, {@code uploads20261201}; older days are
 * removed by the next upload). Every change is one action of the transaction that makes the change
 * it counts, so the counters are exact under concurrency and a retried change never counts twice:
 * <ul>
 *   <li>{@link #reserve}: in the creating transaction, adds the new assets with a condition that
 *       every quota holds afterwards (all or nothing: a batch is never half-accepted);</li>
 *   <li>{@link #release}: in the status change that ends an asset, in its delete, and in the
 *       removal of assets whose review could not start;</li>
 *   <li>{@link #storedBytesItem}: stored bytes, once known (a direct upload's object arriving; the
 *       media step when it records an object's facts).</li>
 * </ul>
 * Only assets created while quotas were counted carry {@link #COUNTED} and are ever released, so
 * assets from before never drive a counter below zero.
 */
public final class QuotaCounters implements UsageCounters {
    static final String SK = "USAGE";
    /** On an asset item: its creation was counted (so its end releases). */
    static final String COUNTED = "quotaCounted";
    /** On an asset item: the bytes counted for it in storedBytes (released with it). */
    static final String COUNTED_BYTES = "quotaBytes";
    private static final String DAY_PREFIX = "uploads";
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
    private static final int DAYS_KEPT = 7;

    private final DynamoDbClient dynamo;
    private final String table;
    private final PlanSource plans;

    public QuotaCounters(DynamoDbClient dynamo, String table, PlanSource plans) {
        this.dynamo = dynamo;
        this.table = table;
        this.plans = plans;
    }

    public PlanSource plans() {
        return plans;
    }

    /**
     * The creating transaction's action for {@code count} new assets: adds them to inReview,
     * storedAssets and today's uploads, on condition that none passes its limit and stored bytes
     * are still under theirs. Throws at once if {@code count} alone passes a limit.
     */
    TransactWriteItem reserve(String accountId, int count, Instant now) {
        AccountLimits limits = plans.limits(accountId);
        if (count > Math.min(limits.inReview(), Math.min(limits.storedAssets(), limits.uploadsPerDay()))) {
            throw refusal(accountId, count, now); // over a limit whatever the usage
        }
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Map<String, String> names = new HashMap<>(Map.of("#ir", AccountLimits.IN_REVIEW, "#sa", AccountLimits.STORED_ASSETS,
                "#sb", AccountLimits.STORED_BYTES, "#day", dayAttribute(today)));
        StringBuilder remove = new StringBuilder();
        for (int d = 1; d <= DAYS_KEPT; d++) {
            names.put("#old" + d, dayAttribute(today.minusDays(d)));
            remove.append(d == 1 ? " REMOVE " : ", ").append("#old").append(d);
        }
        Map<String, AttributeValue> values = Map.of(":n", n(count), ":ir", n(limits.inReview() - count),
                ":sa", n(limits.storedAssets() - count), ":day", n(limits.uploadsPerDay() - count),
                ":sb", n(limits.storedBytes()));
        String condition = "(attribute_not_exists(#ir) OR #ir <= :ir) AND (attribute_not_exists(#sa) OR #sa <= :sa)"
                + " AND (attribute_not_exists(#day) OR #day <= :day) AND (attribute_not_exists(#sb) OR #sb < :sb)";
        return TransactWriteItem.builder().update(u -> u.tableName(table).key(key(accountId))
                .updateExpression("ADD #ir :n, #sa :n, #day :n" + remove)
                .conditionExpression(condition).expressionAttributeNames(names).expressionAttributeValues(values)).build();
    }

    /** Which quota refused {@code count} new assets (read after the transaction's condition failed). */
    QuotaExceededException refusal(String accountId, int count, Instant now) {
        AccountLimits limits = plans.limits(accountId);
        Usage u = usage(accountId, now);
        if (u.inReview() + count > limits.inReview()) {
            return new QuotaExceededException("inReview", u.inReview(), count, limits.inReview());
        }
        if (u.storedAssets() + count > limits.storedAssets()) {
            return new QuotaExceededException("storedAssets", u.storedAssets(), count, limits.storedAssets());
        }
        if (u.uploadsToday() + count > limits.uploadsPerDay()) {
            return new QuotaExceededException("uploadsPerDay", u.uploadsToday(), count, limits.uploadsPerDay());
        }
        if (u.storedBytes() >= limits.storedBytes()) {
            return new QuotaExceededException("storedBytes", u.storedBytes(), 0, limits.storedBytes());
        }
        return null; // it changed in between: the caller tries again
    }

    /** The action that gives back what an ending or deleted asset held (each count 0 or more). */
    TransactWriteItem release(String accountId, long inReview, long storedAssets, long storedBytes) {
        return TransactWriteItem.builder().update(u -> u.tableName(table).key(key(accountId))
                .updateExpression("ADD #ir :ir, #sa :sa, #sb :sb")
                .expressionAttributeNames(Map.of("#ir", AccountLimits.IN_REVIEW, "#sa", AccountLimits.STORED_ASSETS,
                        "#sb", AccountLimits.STORED_BYTES))
                .expressionAttributeValues(Map.of(":ir", n(-inReview), ":sa", n(-storedAssets), ":sb", n(-storedBytes))))
                .build();
    }

    /**
     * The action that adds {@code bytes} to storedBytes: for the transaction that records an
     * asset's stored object (which also sets {@link #COUNTED_BYTES} on the asset, so a delete gives
     * them back). The media step's seam: see docs/quotas.md.
     */
    public TransactWriteItem storedBytesItem(String accountId, long bytes) {
        return TransactWriteItem.builder().update(u -> u.tableName(table).key(key(accountId))
                .updateExpression("ADD #sb :b")
                .expressionAttributeNames(Map.of("#sb", AccountLimits.STORED_BYTES))
                .expressionAttributeValues(Map.of(":b", n(bytes)))).build();
    }

    /** The account's usage now (a consistent read). */
    @Override
    public Usage usage(String accountId, Instant now) {
        try {
            Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(accountId)).consistentRead(true)).item();
            String day = dayAttribute(LocalDate.ofInstant(now, ZoneOffset.UTC));
            return new Usage(num(item, AccountLimits.IN_REVIEW), num(item, AccountLimits.STORED_ASSETS),
                    num(item, AccountLimits.STORED_BYTES), num(item, day));
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not answer the account's usage", e);
        }
    }

    private static long num(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item == null ? null : item.get(name);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }

    private static String dayAttribute(LocalDate day) {
        return DAY_PREFIX + DAY.format(day);
    }

    static Map<String, AttributeValue> key(String accountId) {
        return Map.of(AssetItems.PK, s(AssetItems.accountPk(accountId)), AssetItems.SK, s(SK));
    }

    /** What an asset item holds of the quotas, to release when it ends or is deleted. */
    static boolean counted(Map<String, AttributeValue> assetItem) {
        AttributeValue v = assetItem.get(COUNTED);
        return v != null && Boolean.TRUE.equals(v.bool());
    }

    static long countedBytes(Map<String, AttributeValue> assetItem) {
        AttributeValue v = assetItem.get(COUNTED_BYTES);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }
}
