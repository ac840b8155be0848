package dev.assetlib.app.limits;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.domain.AccountLimits;
import dev.assetlib.json.JsonCodec;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** {@code GET /kyyVideo2/usage}: the account's plan and what it uses now (docs/quotas.md). */
public final class UsageReport {
    private final PlanSource plans;
    private final UsageCounters counters;
    private final boolean enforced;
    private final Clock clock;

    public UsageReport(PlanSource plans, UsageCounters counters, boolean enforced, Clock clock) {
        this.plans = plans;
        this.counters = counters;
        this.enforced = enforced;
        this.clock = clock;
    }

    public ObjectNode usage(String accountId) {
        AccountLimits limits = plans.limits(accountId);
        UsageCounters.Usage u = counters.usage(accountId, clock.instant());
        ObjectNode data = JsonCodec.object();
        data.put("accountId", accountId);
        data.put("enforced", enforced);
        ObjectNode l = data.putObject("limits");
        limits.fields().forEach(l::put);
        ObjectNode used = data.putObject("usage");
        used.put(AccountLimits.IN_REVIEW, u.inReview());
        used.put(AccountLimits.STORED_ASSETS, u.storedAssets());
        used.put(AccountLimits.STORED_BYTES, u.storedBytes());
        used.put("uploadsToday", u.uploadsToday());
        data.put("day", LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toString());
        return data;
    }
}
