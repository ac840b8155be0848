package dev.assetlib.app.review;

import dev.assetlib.domain.Asset;
import dev.assetlib.store.AssetStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One task's work: its time, the completions it owes (sent together at its end, in batches of
 * ten), and the accounts whose store calls failed. One account's fault keeps only that account's
 * assets pending for the next round; when every account of the review faulted, the task fails as
 * a whole and the state machine retries it (what a one-upload review has always done).
 */
final class ReviewRound {
    /** Made on first use (failures only): java.util.logging's set-up is ~10 ms of a cold start. */
    private static final class Log {
        static final Logger LOG = Logger.getLogger(ReviewWorkflow.class.getName());
    }

    final Instant now;
    private final AssetStore store;
    private final CompletionPublisher completions;
    private final Set<String> accounts = new HashSet<>();
    private final Set<String> faulted = new HashSet<>();
    private final Map<String, ReviewState.PendingAsset> owedFor = new LinkedHashMap<>();
    private final List<Asset> owed = new ArrayList<>();
    RuntimeException firstFault;

    ReviewRound(ReviewState state, Instant now, AssetStore store, CompletionPublisher completions) {
        this.now = now;
        this.store = store;
        this.completions = completions;
        state.assets().forEach(p -> accounts.add(p.accountId()));
    }

    /** Runs one account's step; false (and the account marked) when it failed. */
    boolean guard(String accountId, Runnable step) {
        try {
            step.run();
            return true;
        } catch (IllegalArgumentException bad) {
            throw bad; // input the task can never accept: not one account's fault
        } catch (RuntimeException e) {
            if (firstFault == null) {
                firstFault = e;
            }
            faulted.add(accountId);
            Log.LOG.log(Level.WARNING, "review step for account " + accountId + " failed; its assets wait for the next round", e);
            return false;
        }
    }

    boolean faulted(String accountId) {
        return faulted.contains(accountId);
    }

    void owe(ReviewState.PendingAsset p, Asset asset) {
        if (owedFor.putIfAbsent(asset.assetId(), p) == null) {
            owed.add(asset);
        }
    }

    /**
     * Sends the owed completions (SendMessageBatch of 10) and records each sent one; returns
     * {@code left} plus the assets whose completion did not go out, to be looked at again.
     */
    List<ReviewState.PendingAsset> flush(List<ReviewState.PendingAsset> left) {
        List<ReviewState.PendingAsset> result = new ArrayList<>(left);
        if (owed.isEmpty()) {
            return result;
        }
        Set<String> sent;
        try {
            sent = completions.publishAll(owed);
        } catch (RuntimeException e) {
            Log.LOG.log(Level.WARNING, "completion messages could not be sent; trying again next round", e);
            if (firstFault == null) {
                firstFault = e;
            }
            sent = Set.of();
        }
        for (Asset a : owed) {
            ReviewState.PendingAsset p = owedFor.get(a.assetId());
            if (!sent.contains(a.assetId())) {
                // Kept pending: a later round finds it terminal and owes its completion again.
                if (!result.contains(p)) {
                    result.add(p);
                }
                faulted.add(a.accountId());
                if (firstFault == null) {
                    firstFault = new IllegalStateException("the completion of asset " + a.assetId() + " could not be sent");
                }
                continue;
            }
            // Sent: a failure to record it only risks a second, deduplicated, send later.
            guard(a.accountId(), () -> store.markCompletionSent(a.accountId(), a.assetId()));
        }
        owed.clear();
        owedFor.clear();
        return result;
    }

    /** The task's result from what is left; or its failure when every account of the review faulted. */
    ReviewState end(List<ReviewState.PendingAsset> left, java.util.function.Function<List<ReviewState.PendingAsset>, ReviewState> next) {
        List<ReviewState.PendingAsset> pending = flush(left);
        if (firstFault != null && !accounts.isEmpty() && faulted.containsAll(accounts)) {
            throw firstFault;
        }
        return next.apply(pending);
    }
}
