package dev.assetlib.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.domain.AssetType;
import dev.assetlib.domain.FailureCode;
import dev.assetlib.json.JsonCodec;
import dev.assetlib.review.ReviewDecision;
import dev.assetlib.review.ReviewItem;
import dev.assetlib.review.ReviewTicket;
import dev.assetlib.review.Reviewer;
import dev.assetlib.review.ReviewerUnavailableException;
import dev.assetlib.review.SubmitOutcome;
import dev.assetlib.store.AssetStore;
import dev.assetlib.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The three tasks of the review state machine. {@link #submit} hands the batch to the reviewer;
 * {@link #check} asks about every pending asset in one call, writes each decision, and chooses the
 * next wait; {@link #fail} ends a review that errored. Each decided asset gets its completion message
 * as soon as it is terminal, not when the whole batch is.
 */
public final class ReviewWorkflow {
    /** Made on first use (failures only): java.util.logging's set-up is ~10 ms of a cold start. */
    private static final class Log {
        static final Logger LOG = Logger.getLogger(ReviewWorkflow.class.getName());
    }
    private static final Set<AssetStatus> UNDECIDED = EnumSet.of(AssetStatus.submitted, AssetStatus.Processing);

    private final AssetStore store;
    private final Reviewer reviewer;
    private final CompletionPublisher completions;
    private final PollSchedule schedule;
    private final Clock clock;

    public ReviewWorkflow(AssetStore store, Reviewer reviewer, CompletionPublisher completions,
                          PollSchedule schedule, Clock clock) {
        this.store = store;
        this.reviewer = reviewer;
        this.completions = completions;
        this.schedule = schedule;
        this.clock = clock;
    }

    public ReviewState submit(ReviewState state) {
        return guarded(() -> {
            Instant now = clock.instant();
            List<ReviewState.PendingAsset> pending = new ArrayList<>();
            for (ReviewState.PendingAsset p : state.pending()) {
                if (ReviewState.BATCH.equals(state.kind())
                        && store.transition(state.accountId(), p.assetId(), EnumSet.of(AssetStatus.submitted),
                        AssetStatus.Processing, null, null, now).isEmpty()
                        && !isStillUndecided(state.accountId(), p.assetId())) {
                    continue; // already decided or gone: nothing left to review
                }
                pending.add(p);
            }
            List<ReviewState.PendingAsset> stillPending = handOver(state.accountId(), pending, now);
            return state.next(stillPending, schedule.waitSeconds(0, secondsLeft(state, now)))
                    .withRound(0);
        });
    }

    public ReviewState check(ReviewState state) {
        return guarded(() -> {
            Instant now = clock.instant();
            if (now.getEpochSecond() >= state.deadline()) {
                for (ReviewState.PendingAsset p : state.pending()) {
                    finish(state.accountId(), p.assetId(), AssetStatus.Failed, FailureCode.REVIEW_TIMEOUT,
                            "no review decision before the deadline " + Instant.ofEpochSecond(state.deadline())
                                    + ": upload the asset again to retry", now);
                }
                return state.next(List.of(), 1);
            }
            List<ReviewState.PendingAsset> pending = handOver(state.accountId(), state.pending(), now);
            List<ReviewTicket> tickets = pending.stream().filter(p -> p.ref() != null)
                    .map(p -> new ReviewTicket(p.assetId(), p.ref())).toList();
            Map<String, ReviewDecision> decisions = Map.of();
            if (!tickets.isEmpty()) {
                try {
                    decisions = reviewer.check(tickets);
                } catch (ReviewerUnavailableException e) {
                    Log.LOG.log(Level.WARNING, "reviewer " + reviewer.name() + " unavailable; asking again later", e);
                }
            }
            List<ReviewState.PendingAsset> stillPending = new ArrayList<>();
            for (ReviewState.PendingAsset p : pending) {
                ReviewDecision decision = decisions.getOrDefault(p.assetId(), ReviewDecision.PENDING);
                if (decision instanceof ReviewDecision.Approved) {
                    finish(state.accountId(), p.assetId(), AssetStatus.Active, null, null, now);
                } else if (decision instanceof ReviewDecision.Rejected rejected) {
                    finish(state.accountId(), p.assetId(), AssetStatus.Failed, rejected.code(), rejected.reason(), now);
                } else {
                    stillPending.add(p);
                }
            }
            return state.next(stillPending, schedule.waitSeconds(state.round() + 1, secondsLeft(state, now)));
        });
    }

    /** Fails every pending asset with the error the state machine caught; still sends completions. */
    public ReviewState fail(ReviewState state) {
        return guarded(() -> {
            Instant now = clock.instant();
            String message = "the review could not be completed (" + describe(state.error()) + "): upload the asset again";
            for (ReviewState.PendingAsset p : state.pending()) {
                finish(state.accountId(), p.assetId(), AssetStatus.Failed, FailureCode.REVIEW_ERROR, message, now);
            }
            return state.next(List.of(), 1);
        });
    }

    /** Submits the assets that have no reviewer reference yet; refusals fail at once. */
    private List<ReviewState.PendingAsset> handOver(String accountId, List<ReviewState.PendingAsset> pending, Instant now) {
        List<ReviewItem> toSubmit = pending.stream().filter(p -> p.ref() == null)
                .map(p -> new ReviewItem(accountId, p.assetId(), AssetType.valueOf(p.assetType()), p.url())).toList();
        if (toSubmit.isEmpty()) {
            return pending;
        }
        Map<String, SubmitOutcome> outcomes;
        try {
            outcomes = reviewer.submit(toSubmit);
        } catch (ReviewerUnavailableException e) {
            Log.LOG.log(Level.WARNING, "reviewer " + reviewer.name() + " unavailable at submission; trying again next round", e);
            return pending;
        }
        List<ReviewState.PendingAsset> result = new ArrayList<>();
        for (ReviewState.PendingAsset p : pending) {
            SubmitOutcome outcome = p.ref() == null ? outcomes.get(p.assetId()) : null;
            if (outcome instanceof SubmitOutcome.Accepted accepted) {
                result.add(p.withRef(accepted.reviewRef()));
            } else if (outcome instanceof SubmitOutcome.Refused refused) {
                finish(accountId, p.assetId(), AssetStatus.Failed, refused.code(), refused.reason(), now);
            } else {
                result.add(p);
            }
        }
        return result;
    }

    /**
     * Moves the asset to its final status and sends its one completion message. When another
     * attempt already moved it (a retried task), the message is sent only if that attempt did not
     * record it as sent.
     */
    private void finish(String accountId, String assetId, AssetStatus to, String code, String message, Instant now) {
        Optional<Asset> moved = store.transition(accountId, assetId, UNDECIDED, to, code, message, now);
        Asset asset = moved.or(() -> store.get(accountId, assetId)).orElse(null);
        if (asset == null || !asset.status().isTerminal() || asset.completionSent()) {
            return;
        }
        completions.publish(asset);
        store.markCompletionSent(accountId, assetId);
    }

    private boolean isStillUndecided(String accountId, String assetId) {
        return store.get(accountId, assetId).map(a -> UNDECIDED.contains(a.status())).orElse(false);
    }

    private static long secondsLeft(ReviewState state, Instant now) {
        return Math.max(1, state.deadline() - now.getEpochSecond());
    }

    private static String describe(JsonNode error) {
        if (error == null || error.isNull()) {
            return "unknown error";
        }
        String name = error.path("Error").asText("unknown error");
        String cause = error.path("Cause").asText("");
        try {
            JsonNode parsed = JsonCodec.parse(cause);
            if (parsed != null && parsed.hasNonNull("errorMessage")) {
                cause = parsed.get("errorMessage").asText();
            }
        } catch (Exception notJson) {
            // the Cause is plain text for States.* errors
        }
        String text = cause.isBlank() ? name : name + ": " + cause;
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    /** Store and queue faults are retried by the state machine under one error name. */
    private static ReviewState guarded(java.util.function.Supplier<ReviewState> task) {
        try {
            return task.get();
        } catch (StoreUnavailableException | SdkException e) {
            throw new RetryableTaskException(e.getMessage(), e);
        }
    }
}
