package dev.assetlib.review;

/**
 * A reviewer's answer for one asset: still pending, approved, or rejected with a reason.
 * {@code decidedBy} names who decided when the reviewer knows it (a human reviewer's key, for the
 * asset's history); null otherwise.
 */
public sealed interface ReviewDecision {
    record Pending() implements ReviewDecision {
    }

    /** {@code reason}: why, when the reviewer gave one (a person's approval), for the asset's history. */
    record Approved(String decidedBy, String reason) implements ReviewDecision {
        public Approved() {
            this(null, null);
        }
    }

    /** {@code code} is one of {@link dev.assetlib.domain.FailureCode}; {@code reason} is for people. */
    record Rejected(String code, String reason, String decidedBy) implements ReviewDecision {
        public Rejected(String code, String reason) {
            this(code, reason, null);
        }
    }

    ReviewDecision PENDING = new Pending();
    ReviewDecision APPROVED = new Approved();
}
