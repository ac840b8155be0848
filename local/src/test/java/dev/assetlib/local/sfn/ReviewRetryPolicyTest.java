package dev.assetlib.local.sfn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The review state machine's Retry policy, run through the interpreter with the real
 * statemachine/review.asl.json: a transient task error of any kind goes back to the loop (the
 * task is retried) instead of failing the batch, and the retries outlast a 10-minute outage.
 */
class ReviewRetryPolicyTest {
    private static final String FN = "arn:aws:lambda:us-east-1:000000000000:function:ReviewTask";
    /** The longest store outage the policy must ride out without failing a review. */
    private static final double OUTAGE_SECONDS = 600;

    /** A task function that answers "pending" to the first check and "done" to the second. */
    private static LocalLambda twoChecks() {
        AtomicInteger checks = new AtomicInteger();
        return payload -> {
            JsonNode in = Json.parse(payload);
            boolean done = in.get("action").asText().equals("check") && checks.incrementAndGet() == 2;
            return ("{\"done\":" + done + ",\"waitSeconds\":5,\"pending\":[]}").getBytes(StandardCharsets.UTF_8);
        };
    }

    /** One execution of the review machine with the faults given; closing it stops the interpreter. */
    private record Run(StepFunctionsLocal sfn, String exec, ExecutionView view) implements AutoCloseable {
        static Run of(LambdaFaultInjector faults) throws Exception {
            StepFunctionsLocal sfn = StepFunctionsLocal.builder().timeScale(0.0).faultInjector(faults)
                    .lambdas(Map.of(FN, twoChecks())).build();
            try {
                String arn = sfn.createStateMachine("ReviewStateMachine", DefinitionLoaderTest.review(),
                        Map.of("ReviewTaskFunctionArn", FN, "MediaFunctionArn", FN));
                String exec = sfn.startExecution(arn, "review-b1", "{\"accountId\":\"a\",\"pending\":[]}");
                return new Run(sfn, exec, sfn.awaitCompletion(exec, Duration.ofSeconds(30)));
            } catch (Exception | Error e) {
                sfn.close();
                throw e;
            }
        }

        List<JsonNode> history() {
            return sfn.history(exec);
        }

        List<String> entered() {
            return history().stream().filter(e -> e.get("type").asText().endsWith("StateEntered"))
                    .map(e -> e.get("stateEnteredEventDetails").get("name").asText()).toList();
        }

        long taskFailures() {
            return history().stream().filter(e -> e.get("type").asText().equals("TaskFailed")).count();
        }

        @Override
        public void close() {
            sfn.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Sandbox.Timedout", "Lambda.Unknown", "Runtime.ExitError", "Lambda.SnapStartException",
            "Lambda.SnapStartTimeoutException", "Lambda.SnapStartNotReadyException", "Lambda.ServiceException",
            "Lambda.TooManyRequestsException", "dev.assetlib.workflow.RetryableTaskException",
            "java.lang.IllegalStateException"})
    void aTaskFailingAFewTimesThenSucceedingNeverReachesFailRemaining(String error) throws Exception {
        // Both tasks fail three times with the error, then the function runs.
        LambdaFaultInjector faults = (fn, state, attempt) ->
                attempt <= 3 ? new LambdaFaultInjector.Fault(error, "injected " + error) : null;
        try (Run run = Run.of(faults)) {

            assertThat(run.view().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(run.entered()).doesNotContain("FailRemaining", "ReviewAbandoned")
                    .containsSubsequence("InspectMedia", "SubmitToReviewer", "WaitForReviewer", "CheckReview", "WaitForReviewer",
                            "CheckReview", "ReviewComplete");
            // Three failures of each of the four task entries (inspect, submit, two checks), each retried.
            assertThat(run.taskFailures()).isEqualTo(12);
            // The history budget's model (ReviewHistoryBudgetTest): 16 fixed events (InspectMedia's 5
            // included), 9 per round, 3 per retry.
            assertThat(run.history()).hasSize(16 + 2 * 9 + 12 * 3);
        }
    }

    @Test
    void inputTheTaskCanNeverAcceptFailsTheRemainingAssetsAtOnce() throws Exception {
        LambdaFaultInjector faults = (fn, state, attempt) -> state.equals("CheckReview")
                ? new LambdaFaultInjector.Fault("java.lang.IllegalArgumentException", "unknown action") : null;
        try (Run run = Run.of(faults)) {

            assertThat(run.view().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(run.entered()).containsSubsequence("CheckReview", "FailRemaining", "ReviewComplete");
            assertThat(run.taskFailures()).isEqualTo(1);
        }
    }

    @Test
    void anErrorOutlastingEveryRetryEndsInFailRemaining() throws Exception {
        LambdaFaultInjector faults = (fn, state, attempt) -> state.equals("CheckReview")
                ? new LambdaFaultInjector.Fault("dev.assetlib.workflow.RetryableTaskException", "DynamoDB down") : null;
        try (Run run = Run.of(faults)) {

            assertThat(run.view().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(run.entered()).containsSubsequence("CheckReview", "FailRemaining", "ReviewComplete");
            int maxAttempts = catchAllRetrier("CheckReview").get("MaxAttempts").asInt();
            assertThat(run.taskFailures()).isEqualTo(1 + maxAttempts);
        }
    }

    static JsonNode catchAllRetrier(String state) throws Exception {
        JsonNode retry = Json.parse(DefinitionLoaderTest.review().getBytes(StandardCharsets.UTF_8))
                .get("States").get(state).get("Retry");
        JsonNode last = retry.get(retry.size() - 1);
        assertThat(last.get("ErrorEquals").get(0).asText()).isEqualTo("States.ALL");
        return last;
    }

    /** The seconds a retrier waits in all before giving up, without jitter (FULL jitter could wait ~0). */
    static double coveredSeconds(JsonNode retrier) {
        double interval = retrier.path("IntervalSeconds").asDouble(1);
        double rate = retrier.path("BackoffRate").asDouble(2);
        double cap = retrier.has("MaxDelaySeconds") ? retrier.get("MaxDelaySeconds").asDouble() : Double.MAX_VALUE;
        double sum = 0;
        for (int n = 0; n < retrier.path("MaxAttempts").asInt(3); n++) {
            sum += Math.min(cap, interval * Math.pow(rate, n));
        }
        return sum;
    }

    @Test
    void bothReviewTasksRideOutATenMinuteOutageWithCertainty() throws Exception {
        for (String state : Set.of("InspectMedia", "SubmitToReviewer", "CheckReview")) {
            JsonNode retrier = catchAllRetrier(state);
            assertThat(retrier.path("JitterStrategy").asText("NONE")).as(state + " jitter").isEqualTo("NONE");
            assertThat(coveredSeconds(retrier)).as(state + " retry coverage (s)").isGreaterThanOrEqualTo(OUTAGE_SECONDS);
        }
    }
}
