package dev.assetlib.store;

import static dev.assetlib.store.AssetItems.s;

import dev.assetlib.app.limits.PlanSource;
import dev.assetlib.domain.AccountLimits;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Each account's plan: the deployment's defaults (template parameters) with the account's own
 * overrides, one item {@code pk = ACCOUNT#{account}, sk = PLAN} written by {@code ./api-keys limits}.
 * Read with one GetItem and kept per instance for {@code cacheFor} (default 60 s), so a changed
 * plan takes effect within that time and the hot path pays one read per account per minute.
 */
public final class AccountPlans implements PlanSource {
    static final String SK = "PLAN";
    private static final String OVERRIDES = "limits";

    private record Cached(AccountLimits limits, long until) {
    }

    private final DynamoDbClient dynamo;
    private final String table;
    private final AccountLimits defaults;
    private final Duration cacheFor;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public AccountPlans(DynamoDbClient dynamo, String table, AccountLimits defaults, Duration cacheFor, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.defaults = defaults;
        this.cacheFor = cacheFor;
        this.clock = clock;
    }

    public AccountLimits defaults() {
        return defaults;
    }

    @Override
    public AccountLimits limits(String accountId) {
        long now = clock.millis();
        Cached c = cache.get(accountId);
        if (c != null && c.until() > now) {
            return c.limits();
        }
        AccountLimits limits = defaults.with(overrides(accountId));
        cache.put(accountId, new Cached(limits, now + cacheFor.toMillis()));
        return limits;
    }

    /** The account's own overrides (by field name), none if it has no plan item. */
    public Map<String, Long> overrides(String accountId) {
        try {
            Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(accountId))).item();
            Map<String, Long> overrides = new HashMap<>();
            if (item != null && item.containsKey(OVERRIDES)) {
                item.get(OVERRIDES).m().forEach((k, v) -> overrides.put(k, Long.parseLong(v.n())));
            }
            return overrides;
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not answer the account's plan", e);
        }
    }

    /** Sets some of the account's overrides (validated against the defaults first); answers the plan now in force. */
    public AccountLimits setOverrides(String accountId, Map<String, Long> changes) {
        Map<String, Long> merged = new HashMap<>(overrides(accountId));
        merged.putAll(changes);
        AccountLimits result = defaults.with(merged); // refuses unknown names and bad values before writing
        Map<String, AttributeValue> m = new HashMap<>();
        merged.forEach((k, v) -> m.put(k, AssetItems.n(v)));
        Map<String, AttributeValue> item = new HashMap<>(key(accountId));
        item.put(OVERRIDES, AttributeValue.fromM(m));
        try {
            dynamo.putItem(r -> r.tableName(table).item(item));
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not accept the account's plan", e);
        }
        cache.remove(accountId);
        return result;
    }

    /** Removes the account's overrides: the defaults apply again. */
    public void clearOverrides(String accountId) {
        try {
            dynamo.deleteItem(r -> r.tableName(table).key(key(accountId)));
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not remove the account's plan", e);
        }
        cache.remove(accountId);
    }

    static Map<String, AttributeValue> key(String accountId) {
        return Map.of(AssetItems.PK, s(AssetItems.accountPk(accountId)), AssetItems.SK, s(SK));
    }
}
