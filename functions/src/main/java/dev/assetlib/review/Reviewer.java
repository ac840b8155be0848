package dev.assetlib.review;

import java.util.List;
import java.util.Map;

/**
 * The reviewer port. A reviewer is remote in general: it is handed assets once, answers with a
 * reference for each, and is later asked by reference, all pending assets of a batch in one call.
 * Both calls throw {@link ReviewerUnavailableException} for transient failures.
 */
public interface Reviewer {
    /** A short name for logs and configuration ({@code simulated}, ...). */
    String name();

    /** Hands the assets to the reviewer; an outcome for every asset id given. */
    Map<String, SubmitOutcome> submit(List<ReviewItem> items);

    /**
     * The current decision for every ticket, by asset id. An asset left out of the answer is treated as
     * pending (asked again next round), so a reviewer that could answer only part of a batch returns
     * that part.
     */
    Map<String, ReviewDecision> check(List<ReviewTicket> tickets);

    /**
     * The workflow stopped waiting for these assets (deadline passed, or the review failed): a reviewer
     * that keeps its own queue may drop them. Best effort; the default does nothing.
     */
    default void withdraw(String accountId, List<ReviewTicket> tickets) {
    }
}
