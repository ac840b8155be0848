package dev.assetlib.store;

import dev.assetlib.domain.AssetStatus;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * One status change of one asset, as {@link AssetStore#transition} makes it: from one of the
 * {@link #from expected} statuses to the new one, with the failure code and message when there is
 * one, by an actor ({@link dev.assetlib.domain.Actors}) at a time. Built step by step, so that no
 * call site passes a row of nullable positional arguments:
 *
 * <pre>StatusChange.of(account, assetId).from(UNDECIDED).to(AssetStatus.Failed)
 *         .failing(code, message).by(Actors.REVIEWER).at(now)</pre>
 */
public final class StatusChange {
    private final String accountId;
    private final String assetId;
    private final Set<AssetStatus> expected;
    private final AssetStatus to;
    private final String errorCode;
    private final String errorMessage;
    private final String actor;
    private final Instant at;
    private final boolean onlyWhileAwaitingUpload;
    private final String reason;

    private StatusChange(Builder b) {
        this.accountId = b.accountId;
        this.assetId = b.assetId;
        this.expected = b.expected;
        this.to = Objects.requireNonNull(b.to, "to");
        this.errorCode = b.errorCode;
        this.errorMessage = b.errorMessage;
        this.actor = b.actor;
        this.at = Objects.requireNonNull(b.at, "at");
        this.onlyWhileAwaitingUpload = b.onlyWhileAwaitingUpload;
        this.reason = b.reason;
    }

    public static Builder of(String accountId, String assetId) {
        return new Builder(accountId, assetId);
    }

    /** The steps of a change; {@link #at} (the last) makes it. */
    public static final class Builder {
        private final String accountId;
        private final String assetId;
        private Set<AssetStatus> expected = Set.of();
        private AssetStatus to;
        private String errorCode;
        private String errorMessage;
        private String actor;
        private boolean onlyWhileAwaitingUpload;
        private String reason;

        private Instant at;

        private Builder(String accountId, String assetId) {
            this.accountId = Objects.requireNonNull(accountId, "accountId");
            this.assetId = Objects.requireNonNull(assetId, "assetId");
        }

        /** The statuses the asset must be in for the change to apply. */
        public Builder from(Set<AssetStatus> statuses) {
            this.expected = statuses;
            return this;
        }

        public Builder to(AssetStatus status) {
            this.to = status;
            return this;
        }

        /** The failure's code and message (both null: none, the asset keeps any it had). */
        public Builder failing(String code, String message) {
            this.errorCode = code;
            this.errorMessage = message;
            return this;
        }

        /**
         * Only while the asset still awaits its direct upload: the change loses against a
         * concurrent record of the object's arrival, so an object that arrives at the deadline is
         * never failed as "never arrived".
         */
        public Builder whileAwaitingUpload() {
            this.onlyWhileAwaitingUpload = true;
            return this;
        }

        /** The history's reason when it is not the failure's message (e.g. the approved twin an asset took its decision from). */
        public Builder because(String why) {
            this.reason = why;
            return this;
        }

        public Builder by(String actorName) {
            this.actor = actorName;
            return this;
        }

        public StatusChange at(Instant time) {
            this.at = time;
            return new StatusChange(this);
        }
    }

    public String accountId() {
        return accountId;
    }

    public String assetId() {
        return assetId;
    }

    public Set<AssetStatus> expected() {
        return expected;
    }

    public AssetStatus to() {
        return to;
    }

    public String errorCode() {
        return errorCode;
    }

    public String errorMessage() {
        return errorMessage;
    }

    public String actor() {
        return actor;
    }

    public Instant at() {
        return at;
    }

    /** The history's reason given with {@code because}, or null. */
    public String reason() {
        return reason;
    }

    public boolean onlyWhileAwaitingUpload() {
        return onlyWhileAwaitingUpload;
    }
}
