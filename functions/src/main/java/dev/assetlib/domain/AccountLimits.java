package dev.assetlib.domain;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An account's plan: a rate per second for each {@link RouteClass} (a token bucket whose burst is
 * one second's worth) and its quotas. The defaults come from the template's parameters; an
 * account's overrides (set with {@code ./api-keys limits}) replace single values.
 */
public record AccountLimits(Map<RouteClass, Integer> perSecond, long inReview, long storedAssets, long storedBytes,
                            long uploadsPerDay) {
    /** The names of the plan's fields, as stored in an account's overrides and shown by the usage route. */
    public static final String IN_REVIEW = "inReview";
    public static final String STORED_ASSETS = "storedAssets";
    public static final String STORED_BYTES = "storedBytes";
    public static final String UPLOADS_PER_DAY = "uploadsPerDay";

    /** The vendor's published limits: create/update 30/s, get 100/s, 30 creations in progress. */
    public static final AccountLimits VENDOR_DEFAULTS = new AccountLimits(
            Map.of(RouteClass.UPLOADS, 30, RouteClass.READS, 100, RouteClass.MANAGEMENT, 30, RouteClass.REVIEW, 30),
            30, 100_000, 100L * 1024 * 1024 * 1024, 10_000);

    public AccountLimits {
        EnumMap<RouteClass, Integer> copy = new EnumMap<>(RouteClass.class);
        copy.putAll(perSecond);
        for (RouteClass c : RouteClass.values()) {
            Integer r = copy.get(c);
            if (r == null || r < 1) {
                throw new IllegalArgumentException(c.id() + "PerSecond must be at least 1");
            }
        }
        if (inReview < 0 || storedAssets < 0 || storedBytes < 0 || uploadsPerDay < 0) {
            throw new IllegalArgumentException("quotas are 0 or more");
        }
        perSecond = Map.copyOf(copy);
    }

    public int perSecond(RouteClass c) {
        return perSecond.get(c);
    }

    /** The field name of a class's rate: {@code uploadsPerSecond}, {@code readsPerSecond}, ... */
    public static String rateField(RouteClass c) {
        return c.id() + "PerSecond";
    }

    /** Every field by name, in a stable order (rates first). */
    public Map<String, Long> fields() {
        Map<String, Long> all = new LinkedHashMap<>();
        for (RouteClass c : RouteClass.values()) {
            all.put(rateField(c), (long) perSecond(c));
        }
        all.put(IN_REVIEW, inReview);
        all.put(STORED_ASSETS, storedAssets);
        all.put(STORED_BYTES, storedBytes);
        all.put(UPLOADS_PER_DAY, uploadsPerDay);
        return all;
    }

    /** These limits with some fields replaced (by name, as {@link #fields()} names them); unknown names are refused. */
    public AccountLimits with(Map<String, Long> overrides) {
        Map<String, Long> all = fields();
        for (Map.Entry<String, Long> e : overrides.entrySet()) {
            if (!all.containsKey(e.getKey())) {
                throw new IllegalArgumentException("no limit named " + e.getKey() + ": " + all.keySet());
            }
            all.put(e.getKey(), e.getValue());
        }
        EnumMap<RouteClass, Integer> rates = new EnumMap<>(RouteClass.class);
        for (RouteClass c : RouteClass.values()) {
            long r = all.get(rateField(c));
            if (r > 100_000) {
                throw new IllegalArgumentException(rateField(c) + " is at most 100000");
            }
            rates.put(c, (int) r);
        }
        return new AccountLimits(rates, all.get(IN_REVIEW), all.get(STORED_ASSETS), all.get(STORED_BYTES),
                all.get(UPLOADS_PER_DAY));
    }
}
