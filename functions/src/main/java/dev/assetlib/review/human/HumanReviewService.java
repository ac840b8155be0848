package dev.assetlib.review.human;

import dev.assetlib.store.HumanReviewStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the review routes do, once the handler has checked the caller is a reviewer key and the input
 * is well formed: list the caller's account's queue, and record a decision.
 */
public final class HumanReviewService {
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    private final HumanReviewStore store;
    private final PageTokens tokens;
    private final Clock clock;

    public HumanReviewService(HumanReviewStore store, PageTokens tokens, Clock clock) {
        this.store = store;
        this.tokens = tokens;
        this.clock = clock;
    }

    public record PendingPage(List<HumanReviewStore.Queued> items, String nextToken) {
    }

    /** Empty when {@code nextToken} does not verify for this account. */
    public Optional<PendingPage> pending(String accountId, int limit, String nextToken) {
        String after = null;
        if (nextToken != null) {
            Optional<String> verified = tokens.verify(accountId, nextToken);
            if (verified.isEmpty()) {
                return Optional.empty();
            }
            after = verified.get();
        }
        HumanReviewStore.Page page = store.pending(accountId, limit, after);
        return Optional.of(new PendingPage(page.items(),
                page.lastAssetId() == null ? null : tokens.issue(accountId, page.lastAssetId())));
    }

    public record Outcome(HumanReviewStore.DecideResult result, Instant decidedAt) {
    }

    /** {@code verdict} approve|reject; {@code reviewerKeyId} names the reviewer key that decided (never a part of it). */
    public Outcome decide(String accountId, String reviewerKeyId, String assetId, String verdict, String reason) {
        Instant now = clock.instant();
        return new Outcome(store.decide(accountId, assetId, verdict, reason, reviewerKeyId, now), now);
    }
}
