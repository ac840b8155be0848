package dev.assetlib.app.limits;

import java.time.Instant;

/** The quota counters port: what an account uses now (store.QuotaCounters). */
public interface UsageCounters {
    Usage usage(String accountId, Instant now);

    /** Assets in review, stored assets, stored bytes, and assets created on the UTC day of {@code now}. */
    record Usage(long inReview, long storedAssets, long storedBytes, long uploadsToday) {
    }
}
