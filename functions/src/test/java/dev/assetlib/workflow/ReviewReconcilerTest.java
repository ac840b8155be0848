package dev.assetlib.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.assetlib.app.review.ReviewReconciler;
import dev.assetlib.app.review.ReviewStarter;
import dev.assetlib.app.review.ReviewState;
import dev.assetlib.app.review.ReviewWorkflow;
import dev.assetlib.aws.AwsClients;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.domain.AssetType;
import dev.assetlib.json.Json;
import dev.assetlib.review.SimulatedReviewer;
import dev.assetlib.store.NewAsset;
import dev.assetlib.store.OpenReviews;
import dev.assetlib.testing.Events;
import dev.assetlib.testing.Fixture;
import dev.assetlib.testing.LocalAws;
import dev.assetlib.testing.LocalSqs;
import dev.assetlib.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sfn.model.StartExecutionRequest;

/**
 * Issue 15, hole 1: the reconciler against DynamoDB Local (and the fake Step Functions client of
 * this module: the real interpreter's restart is LocalStackRestartTest's). An upload whose Lambda
 * died in StartExecution ends Active once the reconciler has run; so does one whose execution was
 * lost; two reconcilers at once start a lost review once.
 */
@ExtendWith(LocalAws.class)
class ReviewReconcilerTest {
    private static AwsClients clients;
    private MutableClock clock;
    private Fixture fx;
    private ReviewWorkflow workflow;

    /** What a Lambda killed mid-call looks like to the code: nothing catches it. */
    private static final class Died extends Error {
        Died() {
            super("the function died in StartExecution");
        }
    }

    @BeforeAll
    static void startServers(LocalAws aws) {
        clients = aws.clients();
    }

    @BeforeEach
    void setUp() {
        clock = new MutableClock(Instant.parse("2026-03-30T14:21:58Z"));
        fx = new Fixture(clients, clock);
        workflow = fx.workflow(new SimulatedReviewer(Duration.ofSeconds(30), List.of(), clock));
    }

    private ReviewReconciler reconciler() {
        return fx.services.reviewReconciler();
    }

    private String uploadThatDies(String account) throws Exception {
        fx.sfn.dieWith = new Died();
        APIGatewayV2HTTPEvent e = Events.http("api-seedance-upload.json", account);
        e.setBody("{\"assetType\":\"Image\",\"url\":\"https://example.com/" + account + ".jpg\"}");
        try {
            fx.uploadHandler.handleRequest(e, null);
            throw new AssertionError("the upload should have died");
        } catch (Died expected) {
            // the asset was written; its review was never started
        } finally {
            fx.sfn.dieWith = null;
        }
        assertThat(fx.sfn.started).isEmpty();
        String assetId = ReviewState.fromJson(Json.MAPPER.readTree(fx.sfn.died.get(0).input())).batchId();
        assertThat(fx.store.get(account, assetId).orElseThrow().status()).isEqualTo(AssetStatus.Processing);
        return assetId;
    }

    /** Runs the review the reconciler started, as the state machine would, to its end. */
    private void runReview(StartExecutionRequest started) throws Exception {
        ReviewState s = workflow.submit(ReviewState.fromJson(Json.MAPPER.readTree(started.input())));
        while (!s.done()) {
            clock.advance(Duration.ofSeconds(Math.max(1, s.waitSeconds())));
            s = workflow.check(s);
        }
    }

    @Test
    void anUploadWhoseStartDiedEndsActiveAfterTheReconcilerRuns() throws Exception {
        String account = "acct-rec-died";
        String id = uploadThatDies(account);

        // Not yet due: the request path may still be running.
        assertThat(reconciler().reconcile().started()).isZero();
        clock.advance(OpenReviews.FIRST_LOOK.plusSeconds(1));
        assertThat(new ReconcileHandler(reconciler()).handleRequest(new ScheduledEvent(), null)).contains("started=1");
        assertThat(fx.sfn.started).extracting(StartExecutionRequest::name).containsExactly("review-" + id);

        runReview(fx.sfn.started.get(0));
        assertThat(fx.store.get(account, id).orElseThrow().status()).isEqualTo(AssetStatus.Active);
        assertThat(LocalSqs.drain(clients.sqs(), fx.queue)).hasSize(1);
        // The review ended: it is closed, and later runs start nothing.
        clock.advance(Duration.ofHours(1));
        assertThat(reconciler().reconcile().looked()).isZero();
        assertThat(fx.sfn.started).hasSize(1);
    }

    @Test
    void aDirectUploadWhoseStartDiedIsStartedAwaitingItsObject() throws Exception {
        fx.sfn.dieWith = new Died();
        try {
            fx.uploads.uploadDirect("acct-rec-direct", new NewAsset(AssetType.Image, null, "x", AssetStatus.Processing,
                    new NewAsset.DirectUpload("uploads-bucket", "image/png")), a -> { });
            throw new AssertionError("the upload should have died");
        } catch (Died expected) {
            // as above
        } finally {
            fx.sfn.dieWith = null;
        }
        clock.advance(OpenReviews.FIRST_LOOK.plusSeconds(1));
        assertThat(reconciler().reconcile().started()).isEqualTo(1);
        ReviewState input = ReviewState.fromJson(Json.MAPPER.readTree(fx.sfn.started.get(0).input()));
        assertThat(input.pending()).hasSize(1);
        assertThat(input.pending().get(0).awaitsUpload()).isTrue();
        // The same deadlines as the upload itself would have given it (counted from its creation).
        ReviewState original = ReviewState.fromJson(Json.MAPPER.readTree(fx.sfn.died.get(0).input()));
        assertThat(input.deadline()).isEqualTo(original.deadline());
        assertThat(input.pending().get(0).uploadDeadline()).isEqualTo(original.pending().get(0).uploadDeadline());
    }

    @Test
    void aLostExecutionIsResumedUnderADerivedNameOnceEvenByTwoRunsAtOnce() throws Exception {
        String account = "acct-rec-lost";
        APIGatewayV2HTTPEvent e = Events.http("api-seedance-upload.json", account);
        e.setBody("{\"assetType\":\"Image\",\"url\":\"https://example.com/lost.jpg\"}");
        APIGatewayV2HTTPResponse r = fx.uploadHandler.handleRequest(e, null);
        assertThat(r.getStatusCode()).isEqualTo(200);
        String id = Json.MAPPER.readTree(r.getBody()).at("/data/assetId").asText();
        assertThat(fx.sfn.started).hasSize(1);

        // Running: the reconciler only looks again later.
        clock.advance(OpenReviews.FIRST_LOOK.plusSeconds(1));
        ReviewReconciler.Summary first = reconciler().reconcile();
        assertThat(first.running()).isEqualTo(1);
        assertThat(fx.sfn.started).hasSize(1);

        // The execution is lost (a restart): two reconcilers at once resume it once, under review-{id}-r1.
        fx.sfn.lost.add(ReviewStarter.executionName(id));
        clock.advance(fx.services.config().reconcileRecheck().plusSeconds(1));
        ReviewReconciler a = reconciler();
        ReviewReconciler b = Fixture.services(clients, fx.table, fx.queue, fx.sfn, clock).reviewReconciler(); // another instance
        CyclicBarrier together = new CyclicBarrier(2);
        CompletableFuture<ReviewReconciler.Summary> ra = CompletableFuture.supplyAsync(() -> { await(together); return a.reconcile(); });
        CompletableFuture<ReviewReconciler.Summary> rb = CompletableFuture.supplyAsync(() -> { await(together); return b.reconcile(); });
        assertThat(ra.get().restarted() + rb.get().restarted()).isEqualTo(1);
        assertThat(fx.sfn.started).extracting(StartExecutionRequest::name)
                .containsExactly("review-" + id, "review-" + id + "-r1");

        runReview(fx.sfn.started.get(1));
        assertThat(fx.store.get(account, id).orElseThrow().status()).isEqualTo(AssetStatus.Active);
        assertThat(LocalSqs.drain(clients.sqs(), fx.queue)).hasSize(1);
    }

    /**
     * An execution that died after writing its decision but before sending the completion (a kill -9
     * between the two): the asset is Active with its completion owed. The reconciler resumes the
     * review for it although nothing is undecided, and the resumed review sends the one completion.
     */
    @Test
    void aDecisionWhoseCompletionWasNeverSentIsCompletedOnceByTheResumedReview() throws Exception {
        String account = "acct-rec-owed";
        APIGatewayV2HTTPEvent e = Events.http("api-seedance-upload.json", account);
        e.setBody("{\"assetType\":\"Image\",\"url\":\"https://example.com/owed.jpg\"}");
        APIGatewayV2HTTPResponse r = fx.uploadHandler.handleRequest(e, null);
        assertThat(r.getStatusCode()).isEqualTo(200);
        String id = Json.MAPPER.readTree(r.getBody()).at("/data/assetId").asText();
        // The decision is written, then the execution dies: no completion was sent.
        assertThat(fx.store.transition(dev.assetlib.store.StatusChange.of(account, id)
                .from(java.util.Set.of(AssetStatus.submitted, AssetStatus.Processing)).to(AssetStatus.Active)
                .by("reviewer").at(clock.instant()))).isPresent();
        fx.sfn.lost.add(ReviewStarter.executionName(id));
        assertThat(LocalSqs.drain(clients.sqs(), fx.queue)).isEmpty();

        clock.advance(OpenReviews.FIRST_LOOK.plusSeconds(1));
        assertThat(reconciler().reconcile().restarted()).isEqualTo(1);
        assertThat(fx.sfn.started).extracting(StartExecutionRequest::name).containsExactly("review-" + id, "review-" + id + "-r1");
        runReview(fx.sfn.started.get(1));
        var sent = LocalSqs.drain(clients.sqs(), fx.queue);
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).body()).contains(id).contains("Active");
        assertThat(fx.store.get(account, id).orElseThrow().completionSent()).isTrue();
        // Now finished: a later run starts nothing.
        clock.advance(fx.services.config().reconcileRecheck().plusSeconds(1));
        ReviewReconciler.Summary later = reconciler().reconcile();
        assertThat(later.started() + later.restarted()).isZero();
        assertThat(fx.sfn.started).hasSize(2);
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
