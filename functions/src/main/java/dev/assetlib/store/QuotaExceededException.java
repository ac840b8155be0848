package dev.assetlib.store;

/** An upload refused by one of the account's quotas, naming it with its usage and limit. */
public final class QuotaExceededException extends RuntimeException {
    private final String quota;
    private final long usage;
    private final long requested;
    private final long limit;

    public QuotaExceededException(String quota, long usage, long requested, long limit) {
        super("quota " + quota + " exceeded: " + usage + " in use + " + requested + " requested > limit " + limit);
        this.quota = quota;
        this.usage = usage;
        this.requested = requested;
        this.limit = limit;
    }

    public String quota() {
        return quota;
    }

    public long usage() {
        return usage;
    }

    public long requested() {
        return requested;
    }

    public long limit() {
        return limit;
    }
}
