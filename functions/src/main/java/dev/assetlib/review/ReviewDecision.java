package dev.assetlib.review;

/** A reviewer's answer for one asset: still pending, approved, or rejected with a reason. */
public sealed interface ReviewDecision {
    record Pending() implements ReviewDecision {
    }

    record Approved() implements ReviewDecision {
    }

    /** {@code code} is one of {@link dev.assetlib.domain.FailureCode}; {@code reason} is for people. */
    record Rejected(String code, String reason) implements ReviewDecision {
    }

    ReviewDecision PENDING = new Pending();
    ReviewDecision APPROVED = new Approved();
}
