package dev.assetlib.review.human;

import dev.assetlib.domain.Actors;
import dev.assetlib.domain.FailureCode;
import dev.assetlib.review.ReviewDecision;
import dev.assetlib.review.ReviewItem;
import dev.assetlib.review.ReviewTicket;
import dev.assetlib.review.Reviewer;
import dev.assetlib.review.SubmitOutcome;
import dev.assetlib.store.HumanReviewStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A reviewer that is a person: {@link #submit} puts the assets in their account's human review queue
 * ({@code GET /kyyReactApiServer/review/pending}); a reviewer key of that account decides with
 * {@code POST /kyyReactApiServer/review/{assetId}}; {@link #check} reads the recorded decisions, one
 * BatchGetItem per round for the whole batch. The reference is {@code human:{account}:{assetId}}.
 * Decisions carry who decided ({@code reviewer:{key prefix}@{account}}), the actor in the asset's history.
 */
public final class HumanReviewer implements Reviewer {
    static final String REF_PREFIX = "human:";

    private final HumanReviewStore store;
    private final Clock clock;

    public HumanReviewer(HumanReviewStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "human";
    }

    @Override
    public Map<String, SubmitOutcome> submit(List<ReviewItem> items) {
        Map<String, List<String>> byAccount = new LinkedHashMap<>();
        items.forEach(i -> byAccount.computeIfAbsent(i.accountId(), a -> new ArrayList<>()).add(i.assetId()));
        Map<String, SubmitOutcome> outcomes = new LinkedHashMap<>();
        byAccount.forEach((account, ids) -> {
            Set<String> queued = store.markAwaiting(account, ids, clock.instant());
            queued.forEach(id -> outcomes.put(id, new SubmitOutcome.Accepted(REF_PREFIX + account + ":" + id)));
        });
        return outcomes;
    }

    @Override
    public Map<String, ReviewDecision> check(List<ReviewTicket> tickets) {
        Map<String, List<String>> byAccount = new LinkedHashMap<>();
        tickets.forEach(t -> byAccount.computeIfAbsent(account(t), a -> new ArrayList<>()).add(t.assetId()));
        Map<String, ReviewDecision> decisions = new LinkedHashMap<>();
        byAccount.forEach((account, ids) -> {
            Map<String, HumanReviewStore.State> states = store.states(account, ids);
            for (String id : ids) {
                decisions.put(id, decision(states.get(id)));
            }
        });
        return decisions;
    }

    @Override
    public void withdraw(String accountId, List<ReviewTicket> tickets) {
        store.withdraw(accountId, tickets.stream().map(ReviewTicket::assetId).toList());
    }

    /** What a person's queue state means for the review (also the rekognition reviewer's second stage). */
    public static ReviewDecision decision(HumanReviewStore.State state) {
        if (state == null) {
            return new ReviewDecision.Rejected(FailureCode.REVIEW_ERROR, "the asset no longer exists");
        }
        HumanReviewStore.Decision d = state.decision();
        if (d == null) {
            return state.status().isTerminal()
                    ? new ReviewDecision.Rejected(FailureCode.REVIEW_ERROR, "the asset is no longer under review")
                    : ReviewDecision.PENDING;
        }
        String by = Actors.humanReviewer(d.decidedBy() + "@" + d.decidedByAccount());
        return "approve".equals(d.verdict()) ? new ReviewDecision.Approved(by, d.reason())
                : new ReviewDecision.Rejected(FailureCode.REVIEW_REJECTED, d.reason(), by);
    }

    private static String account(ReviewTicket t) {
        String ref = t.reviewRef();
        int colon = ref == null ? -1 : ref.lastIndexOf(':');
        if (ref == null || !ref.startsWith(REF_PREFIX) || colon <= REF_PREFIX.length()) {
            throw new IllegalArgumentException("not a human reviewer reference: " + ref
                    + " (asset " + t.assetId() + " was handed to another reviewer)");
        }
        return ref.substring(REF_PREFIX.length(), colon);
    }
}
