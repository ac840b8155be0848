package dev.assetlib.review;

/** What became of one asset handed to the reviewer: accepted under a reference, or refused at once. */
public sealed interface SubmitOutcome {
    record Accepted(String reviewRef) implements SubmitOutcome {
    }

    record Refused(String code, String reason) implements SubmitOutcome {
    }
}
