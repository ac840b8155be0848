package dev.assetlib.app.limits;

import dev.assetlib.domain.AccountLimits;

/** Where an account's plan comes from: the defaults with its overrides (store.AccountPlans). */
public interface PlanSource {
    AccountLimits limits(String accountId);
}
