package dev.assetlib.workflow;

import dev.assetlib.testing.LocalAws;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.assetlib.app.review.CompletionPublisher;
import dev.assetlib.app.review.PollSchedule;
import dev.assetlib.app.review.ReviewState;
import dev.assetlib.app.review.ReviewWorkflow;
import static org.assertj.core.api.Assertions.assertThat;

import dev.assetlib.aws.AwsClients;
import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetIds;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.domain.AssetType;
import dev.assetlib.review.ReviewDecision;
import dev.assetlib.review.ReviewItem;
import dev.assetlib.review.ReviewTicket;
import dev.assetlib.review.Reviewer;
import dev.assetlib.review.SubmitOutcome;
import dev.assetlib.store.AssetStore;
import dev.assetlib.store.NewAsset;
import dev.assetlib.testing.LocalSqs;
import dev.assetlib.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One review per SD2 batch: one reviewer call per round, each asset's completion as soon as it is decided. */
@ExtendWith(LocalAws.class)
class BatchReviewTest {
    private static AwsClients clients;
    private static String table;

    @BeforeAll
    static void startServers(LocalAws aws) {
        clients = aws.clients();
        table = aws.table();
    }

    /** A TEST DOUBLE reviewer that decides each asset at the round the test scripts, and counts its calls. */
    static final class ScriptedReviewer implements Reviewer {
        final Map<String, Integer> decideAtRound = new HashMap<>();
        final List<Integer> ticketsPerCheck = new ArrayList<>();

        @Override
        public String name() {
            return "scripted (test double)";
        }

        @Override
        public Map<String, SubmitOutcome> submit(List<ReviewItem> items) {
            Map<String, SubmitOutcome> out = new HashMap<>();
            items.forEach(i -> out.put(i.assetId(), new SubmitOutcome.Accepted("ref-" + i.assetId())));
            return out;
        }

        @Override
        public Map<String, ReviewDecision> check(List<ReviewTicket> tickets) {
            ticketsPerCheck.add(tickets.size());
            int round = ticketsPerCheck.size();
            Map<String, ReviewDecision> out = new HashMap<>();
            for (ReviewTicket t : tickets) {
                Integer at = decideAtRound.get(t.assetId());
                out.put(t.assetId(), at != null && round >= at ? ReviewDecision.APPROVED : ReviewDecision.PENDING);
            }
            return out;
        }
    }

    @Test
    void eachAssetCompletesWhenDecidedAndTheDeadlineEndsTheRest() {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-30T14:21:58Z"));
        String queue = LocalSqs.newFifoQueue(clients.sqs());
        AssetStore store = new AssetStore(clients.dynamoDb(), table, new AssetIds());
        ScriptedReviewer reviewer = new ScriptedReviewer();
        ReviewWorkflow wf = new ReviewWorkflow(store, reviewer, new CompletionPublisher(clients.sqs(), queue),
                new PollSchedule(2, 1.5, 60), clock);
        List<Asset> assets = store.createAll("acct-batch", List.of(
                new NewAsset(AssetType.Image, "https://example.com/1.jpg", null, AssetStatus.submitted),
                new NewAsset(AssetType.Video, "https://example.com/2.mp4", null, AssetStatus.submitted),
                new NewAsset(AssetType.Audio, "https://example.com/3.mp3", null, AssetStatus.submitted)), true, clock.instant());
        reviewer.decideAtRound.put(assets.get(0).assetId(), 1);
        reviewer.decideAtRound.put(assets.get(1).assetId(), 2);
        ReviewState s = new ReviewState("acct-batch", assets.get(0).batchId(), ReviewState.BATCH,
                clock.instant().plus(Duration.ofHours(1)).getEpochSecond(), 0, 0, false,
                assets.stream().map(a -> new ReviewState.PendingAsset(a.assetId(), a.assetType().name(), a.url(), null)).toList(), null);

        s = wf.submit(s);
        assertThat(assets).allSatisfy(a -> assertThat(store.get("acct-batch", a.assetId()).orElseThrow().status())
                .isEqualTo(AssetStatus.Processing));

        s = wf.check(s);
        assertThat(s.pending()).hasSize(2);
        assertThat(LocalSqs.drain(clients.sqs(), queue)).hasSize(1).allSatisfy(m -> assertThat(m.body()).contains(assets.get(0).assetId()));

        s = wf.check(s);
        assertThat(s.pending()).hasSize(1);
        assertThat(LocalSqs.drain(clients.sqs(), queue)).hasSize(1).allSatisfy(m -> assertThat(m.body()).contains(assets.get(1).assetId()));

        clock.advance(Duration.ofHours(1));
        s = wf.check(s);
        assertThat(s.done()).isTrue();
        Asset last = store.get("acct-batch", assets.get(2).assetId()).orElseThrow();
        assertThat(last.status()).isEqualTo(AssetStatus.Failed);
        assertThat(last.errorCode()).isEqualTo("REVIEW_TIMEOUT");
        assertThat(LocalSqs.drain(clients.sqs(), queue)).hasSize(1);

        // One reviewer call per round, for all that was still pending.
        assertThat(reviewer.ticketsPerCheck).containsExactly(3, 2);
    }
}
