package dev.assetlib.workflow;

import dev.assetlib.testing.LocalAws;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.assetlib.store.StatusChange;
import dev.assetlib.app.review.CompletionPublisher;
import dev.assetlib.app.review.PollSchedule;
import dev.assetlib.app.review.ReviewState;
import dev.assetlib.app.review.ReviewWorkflow;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.aws.AwsClients;
import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetIds;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.domain.AssetType;
import dev.assetlib.json.Json;
import dev.assetlib.review.RejectRule;
import dev.assetlib.review.ReviewDecision;
import dev.assetlib.review.ReviewItem;
import dev.assetlib.review.ReviewTicket;
import dev.assetlib.review.Reviewer;
import dev.assetlib.review.ReviewerUnavailableException;
import dev.assetlib.review.SimulatedReviewer;
import dev.assetlib.review.SubmitOutcome;
import dev.assetlib.store.AssetStore;
import dev.assetlib.store.NewAsset;
import dev.assetlib.testing.LocalSqs;
import dev.assetlib.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/** The review tasks against DynamoDB Local and ElasticMQ, with the simulated reviewer and a hand-moved clock. */
@ExtendWith(LocalAws.class)
class ReviewWorkflowTest {
    private static AwsClients clients;
    private static String table;
    private MutableClock clock;
    private String queue;
    private AssetStore store;

    @BeforeEach
    void setUp(LocalAws aws) {
        clients = aws.clients();
        table = aws.table();
        clock = new MutableClock(Instant.parse("2026-03-30T14:21:58Z"));
        queue = LocalSqs.newFifoQueue(clients.sqs());
        store = new AssetStore(clients.dynamoDb(), table, new AssetIds());
    }

    private ReviewWorkflow workflow(Reviewer reviewer) {
        return new ReviewWorkflow(store, reviewer, new CompletionPublisher(clients.sqs(), queue),
                new PollSchedule(2, 1.5, 60), clock);
    }

    private Reviewer simulated(Duration delay, String rejectPattern) {
        List<RejectRule> rules = rejectPattern == null ? List.of()
                : List.of(new RejectRule(Pattern.compile(rejectPattern), "real-person face without authorisation"));
        return new SimulatedReviewer(delay, rules, clock);
    }

    private ReviewState upload(String kind, String... urls) {
        AssetStatus first = kind.equals(ReviewState.BATCH) ? AssetStatus.submitted : AssetStatus.Processing;
        List<Asset> created = store.createAll("acct-a",
                java.util.Arrays.stream(urls).map(u -> new NewAsset(AssetType.Image, u, null, first)).toList(), true, clock.instant());
        return new ReviewState("acct-a", created.get(0).batchId(), kind, clock.instant().plus(Duration.ofHours(24)).getEpochSecond(),
                0, 0, false, created.stream().map(a -> new ReviewState.PendingAsset(a.assetId(), "Image", a.url(), null)).toList(), null);
    }

    private AssetStatus status(ReviewState initial, int index) {
        return store.get("acct-a", initial.pending().get(index).assetId()).orElseThrow().status();
    }

    @Test
    void anApprovedAssetBecomesActiveWithOneCompletion() throws Exception {
        ReviewWorkflow wf = workflow(simulated(Duration.ofSeconds(30), null));
        ReviewState initial = upload(ReviewState.SINGLE, "https://example.com/ok.jpg");

        ReviewState s = wf.submit(initial);
        assertThat(s.done()).isFalse();
        assertThat(s.waitSeconds()).isEqualTo(2);
        assertThat(s.pending().get(0).ref()).isNotNull();

        clock.advance(Duration.ofSeconds(2));
        s = wf.check(s);
        assertThat(s.done()).isFalse();
        assertThat(status(initial, 0)).isEqualTo(AssetStatus.Processing);
        assertThat(LocalSqs.drain(clients.sqs(), queue)).isEmpty();

        clock.advance(Duration.ofSeconds(30));
        ReviewState decided = wf.check(s);
        assertThat(decided.done()).isTrue();
        assertThat(decided.pending()).isEmpty();
        assertThat(status(initial, 0)).isEqualTo(AssetStatus.Active);

        List<Message> messages = LocalSqs.drain(clients.sqs(), queue);
        assertThat(messages).hasSize(1);
        JsonNode body = Json.MAPPER.readTree(messages.get(0).body());
        String id = initial.pending().get(0).assetId();
        assertThat(body.get("assetId").asText()).isEqualTo(id);
        assertThat(body.get("accountId").asText()).isEqualTo("acct-a");
        assertThat(body.get("status").asText()).isEqualTo("Active");
        assertThat(body.get("uri").asText()).isEqualTo("asset://" + id);
        assertThat(body.get("assetType").asText()).isEqualTo("Image");
        assertThat(body.has("errorCode")).isFalse();

        // The state machine retrying the same check (its output lost) sends nothing more.
        wf.check(s);
        assertThat(LocalSqs.drain(clients.sqs(), queue)).isEmpty();
    }

    @Test
    void aRejectRuleFailsOnlyTheMatchingAssetWithItsReason() throws Exception {
        ReviewWorkflow wf = workflow(simulated(Duration.ofSeconds(5), "face"));
        ReviewState initial = upload(ReviewState.BATCH, "https://example.com/face.jpg", "https://example.com/cat.jpg");
        ReviewState s = wf.submit(initial);
        assertThat(status(initial, 0)).isEqualTo(AssetStatus.Processing);
        assertThat(status(initial, 1)).isEqualTo(AssetStatus.Processing);

        clock.advance(Duration.ofSeconds(10));
        s = wf.check(s);

        assertThat(s.done()).isTrue();
        Asset failed = store.get("acct-a", initial.pending().get(0).assetId()).orElseThrow();
        assertThat(failed.status()).isEqualTo(AssetStatus.Failed);
        assertThat(failed.errorCode()).isEqualTo("REVIEW_REJECTED");
        assertThat(failed.errorMessage()).isEqualTo("real-person face without authorisation");
        assertThat(status(initial, 1)).isEqualTo(AssetStatus.Active);
        List<Message> messages = LocalSqs.drain(clients.sqs(), queue);
        assertThat(messages).hasSize(2);
        assertThat(messages).anySatisfy(m -> assertThat(m.body()).contains("\"status\":\"Failed\"")
                .contains("\"errorCode\":\"REVIEW_REJECTED\"").contains("real-person face"));
    }

    @Test
    void theDeadlineFailsWhatIsStillPendingWithATimeoutReason() {
        ReviewWorkflow wf = workflow(simulated(Duration.ofDays(3), null));
        ReviewState s = wf.submit(upload(ReviewState.SINGLE, "https://example.com/slow.jpg"));
        String id = s.pending().get(0).assetId();

        clock.advance(Duration.ofHours(24));
        s = wf.check(s);

        assertThat(s.done()).isTrue();
        Asset a = store.get("acct-a", id).orElseThrow();
        assertThat(a.status()).isEqualTo(AssetStatus.Failed);
        assertThat(a.errorCode()).isEqualTo("REVIEW_TIMEOUT");
        assertThat(a.errorMessage()).contains("deadline");
        assertThat(LocalSqs.drain(clients.sqs(), queue)).hasSize(1);
    }

    @Test
    void waitsGrowUpToTheCapAndNeverPassTheDeadline() {
        ReviewWorkflow wf = workflow(simulated(Duration.ofDays(3), null));
        ReviewState s = wf.submit(upload(ReviewState.SINGLE, "https://example.com/slow.jpg"));
        long previous = s.waitSeconds();
        for (int i = 0; i < 15; i++) {
            clock.advance(Duration.ofSeconds(s.waitSeconds()));
            s = wf.check(s);
            assertThat(s.waitSeconds()).isGreaterThanOrEqualTo(previous).isLessThanOrEqualTo(60);
            previous = s.waitSeconds();
        }
        assertThat(s.waitSeconds()).isEqualTo(60);
        clock.advance(Duration.ofSeconds(Math.max(0, s.deadline() - clock.instant().getEpochSecond() - 10)));
        assertThat(wf.check(s).waitSeconds()).isLessThanOrEqualTo(10);
    }

    @Test
    void aTransientReviewerFailureFailsNothing() {
        Reviewer down = new Reviewer() {
            @Override
            public String name() {
                return "always-unavailable (test double)";
            }

            @Override
            public Map<String, SubmitOutcome> submit(List<ReviewItem> items) {
                throw new ReviewerUnavailableException("429 from reviewer", null);
            }

            @Override
            public Map<String, ReviewDecision> check(List<ReviewTicket> tickets) {
                throw new ReviewerUnavailableException("503 from reviewer", null);
            }
        };
        ReviewWorkflow wf = workflow(down);
        ReviewState initial = upload(ReviewState.SINGLE, "https://example.com/x.jpg");
        ReviewState s = wf.submit(initial);
        clock.advance(Duration.ofSeconds(5));
        s = wf.check(s);
        assertThat(s.done()).isFalse();
        assertThat(s.pending()).hasSize(1);
        assertThat(status(initial, 0)).isEqualTo(AssetStatus.Processing);
        assertThat(LocalSqs.drain(clients.sqs(), queue)).isEmpty();
    }

    @Test
    void theFailPathMarksPendingAssetsFailedWithTheCaughtErrorAndSendsTheirCompletions() throws Exception {
        ReviewWorkflow wf = workflow(simulated(Duration.ofSeconds(30), null));
        ReviewState s = wf.submit(upload(ReviewState.SINGLE, "https://example.com/x.jpg"));
        JsonNode error = Json.MAPPER.readTree("{\"Error\":\"java.lang.IllegalStateException\","
                + "\"Cause\":\"{\\\"errorMessage\\\":\\\"reviewer answered 400\\\",\\\"errorType\\\":\\\"java.lang.IllegalStateException\\\"}\"}");
        ReviewState withError = new ReviewState(s.accountId(), s.batchId(), s.kind(), s.deadline(), s.round(),
                s.waitSeconds(), false, s.pending(), error);

        ReviewState result = wf.fail(withError);

        assertThat(result.done()).isTrue();
        Asset a = store.get("acct-a", s.pending().get(0).assetId()).orElseThrow();
        assertThat(a.status()).isEqualTo(AssetStatus.Failed);
        assertThat(a.errorCode()).isEqualTo("REVIEW_ERROR");
        assertThat(a.errorMessage()).contains("reviewer answered 400");
        assertThat(LocalSqs.drain(clients.sqs(), queue)).hasSize(1);
    }

    @Test
    void aCompletionLostAfterTheStatusWriteIsSentByTheRetry() {
        ReviewWorkflow wf = workflow(simulated(Duration.ofSeconds(1), null));
        ReviewState s = wf.submit(upload(ReviewState.SINGLE, "https://example.com/x.jpg"));
        String id = s.pending().get(0).assetId();
        // A first attempt moved the asset but died before sending: the completion is still owed.
        store.transition(StatusChange.of("acct-a", id)
                .from(java.util.EnumSet.of(AssetStatus.Processing)).to(AssetStatus.Active)
                .by("reviewer").at(clock.instant()));

        clock.advance(Duration.ofSeconds(2));
        wf.check(s);

        assertThat(LocalSqs.drain(clients.sqs(), queue)).hasSize(1);
        assertThat(store.get("acct-a", id).orElseThrow().completionSent()).isTrue();
    }

    @Test
    void aRetriedSubmitReadsTheRecordedReferencesAndHandsNothingOverTwice() {
        java.util.concurrent.atomic.AtomicInteger handedOver = new java.util.concurrent.atomic.AtomicInteger();
        Reviewer counting = new Reviewer() {
            private final Reviewer inner = simulated(Duration.ofSeconds(30), null);

            @Override
            public String name() {
                return "counting (test double)";
            }

            @Override
            public Map<String, SubmitOutcome> submit(List<ReviewItem> items) {
                handedOver.addAndGet(items.size());
                return inner.submit(items);
            }

            @Override
            public Map<String, ReviewDecision> check(List<ReviewTicket> tickets) {
                return inner.check(tickets);
            }
        };
        ReviewWorkflow wf = workflow(counting);
        ReviewState initial = upload(ReviewState.BATCH, "https://example.com/1.jpg", "https://example.com/2.jpg");

        ReviewState first = wf.submit(initial);
        // The state machine retries the task with the same input (the first output was lost).
        ReviewState retried = wf.submit(initial);

        assertThat(handedOver).hasValue(2);
        assertThat(retried.pending()).extracting(ReviewState.PendingAsset::ref)
                .containsExactlyElementsOf(first.pending().stream().map(ReviewState.PendingAsset::ref).toList());
        assertThat(store.reviewRefs("acct-a", initial.pending().stream().map(ReviewState.PendingAsset::assetId).toList()))
                .hasSize(2);
        // Recording is conditional: a different reference never replaces the first one.
        String id = initial.pending().get(0).assetId();
        assertThat(store.recordReviewRefs("acct-a", "other", Map.of(id, "other-ref"), clock.instant()))
                .containsEntry(id, first.pending().get(0).ref());
    }
}
