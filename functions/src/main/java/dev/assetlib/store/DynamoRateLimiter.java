package dev.assetlib.store;

import static dev.assetlib.store.AssetItems.n;
import static dev.assetlib.store.AssetItems.s;

import dev.assetlib.app.limits.RateLimiter;
import dev.assetlib.domain.RouteClass;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Token buckets in the table, one item per account and route class ({@code pk = RATE#{account}},
 * {@code sk = {class}}), shared by every Lambda instance. DynamoDB's update expressions can add
 * but not multiply or take a minimum, so the bucket is kept in the equivalent GCRA form: one
 * number, the "theoretical arrival time" {@code tat} (microseconds). A request at {@code now} is
 * allowed when {@code max(tat, now) + interval <= now + burst}, and then moves {@code tat} there.
 * The two cases of the {@code max} are two conditional UpdateItems:
 * <ul>
 *   <li>busy bucket ({@code now <= tat <= now + burst - interval}): {@code SET tat = tat + interval};</li>
 *   <li>idle bucket (no item, or {@code tat < now}): {@code SET tat = now + interval}.</li>
 * </ul>
 * Each instance remembers the last {@code tat} it saw per bucket and tries the likely case first;
 * a wrong guess fails its condition and returns the item as it was
 * ({@code ReturnValuesOnConditionCheckFailure}), which says whether to try the other case or to
 * refuse. So a request costs one UpdateItem when the guess is right, two when it is wrong, and a
 * refusal costs one. Items expire (TTL) an hour after their last use.
 */
public final class DynamoRateLimiter implements RateLimiter {
    static final String PK_PREFIX = "RATE#";
    private static final String TAT = "tat";
    private static final long MICROS = 1_000_000L;
    private static final int MAX_ATTEMPTS = 4;

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;
    private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();
    private final AtomicLong calls = new AtomicLong();

    public DynamoRateLimiter(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    /** DynamoDB requests made so far (the benchmark's count). */
    public long calls() {
        return calls.get();
    }

    @Override
    public Decision acquire(String account, RouteClass routeClass, int perSecond) {
        long interval = MICROS / perSecond;
        long burst = interval * perSecond; // one second's worth
        Map<String, AttributeValue> key = Map.of(AssetItems.PK, s(PK_PREFIX + account), AssetItems.SK, s(routeClass.id()));
        String bucket = account + "#" + routeClass.id();
        long now = Math.multiplyExact(clock.millis(), 1000L);
        Long guess = lastSeen.get(bucket);
        boolean busy = guess != null && guess >= now;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            long expires = now / MICROS + 3600;
            try {
                UpdateItemResponse r;
                calls.incrementAndGet();
                if (busy) {
                    r = dynamo.updateItem(u -> u.tableName(table).key(key)
                            .updateExpression("SET #tat = #tat + :interval, #exp = :exp")
                            .conditionExpression("#tat BETWEEN :now AND :edge")
                            .expressionAttributeNames(Map.of("#tat", TAT, "#exp", AssetItems.EXPIRES_AT))
                            .expressionAttributeValues(Map.of(":interval", n(interval), ":now", n(now),
                                    ":edge", n(now + burst - interval), ":exp", n(expires)))
                            .returnValues(ReturnValue.UPDATED_NEW)
                            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
                } else {
                    r = dynamo.updateItem(u -> u.tableName(table).key(key)
                            .updateExpression("SET #tat = :next, #exp = :exp")
                            .conditionExpression("attribute_not_exists(#tat) OR #tat < :now")
                            .expressionAttributeNames(Map.of("#tat", TAT, "#exp", AssetItems.EXPIRES_AT))
                            .expressionAttributeValues(Map.of(":next", n(now + interval), ":now", n(now), ":exp", n(expires)))
                            .returnValues(ReturnValue.UPDATED_NEW)
                            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
                }
                long tat = Long.parseLong(r.attributes().get(TAT).n());
                lastSeen.put(bucket, tat);
                return new Decision(true, perSecond, Math.max(0, (now + burst - tat) / interval),
                        ceilSeconds(tat - now), 0);
            } catch (ConditionalCheckFailedException e) {
                Map<String, AttributeValue> old = e.hasItem() ? e.item() : null;
                if (old == null || !old.containsKey(TAT)) {
                    if (!busy) {
                        continue; // a concurrent first use: try again (it now exists)
                    }
                    busy = false;
                    continue;
                }
                long tat = Long.parseLong(old.get(TAT).n());
                lastSeen.put(bucket, tat);
                long edge = now + burst - interval;
                if (tat > edge) {
                    return new Decision(false, perSecond, 0, ceilSeconds(tat - now), Math.max(1, ceilSeconds(tat - edge)));
                }
                busy = tat >= now;
            } catch (SdkException e) {
                throw new StoreUnavailableException("DynamoDB did not answer the rate limit", e);
            }
        }
        // Buckets contended this hard are at their limit anyway.
        return new Decision(false, perSecond, 0, 1, 1);
    }

    private static long ceilSeconds(long micros) {
        return micros <= 0 ? 0 : (micros + MICROS - 1) / MICROS;
    }
}
