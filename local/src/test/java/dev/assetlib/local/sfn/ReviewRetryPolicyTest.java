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

    private static ExecutionView run(LambdaFaultInjector faults, StepFunctionsLocal[] holder, String[] exec)
            throws Exception {
        StepFunctionsLocal sfn = StepFunctionsLocal.builder().timeScale(0.0).faultInjector(faults)
                .lambdas(Map.of(FN, twoChecks())).build();
        holder[0] = sfn;
        String arn = sfn.createStateMachine("ReviewStateMachine", DefinitionLoaderTest.review(),
                Map.of("ReviewTaskFunctionArn", FN, "MediaFunctionArn", FN));
        exec[0] = sfn.startExecution(arn, "review-b1", "{\"accountId\":\"a\",\"pending\":[]}");
        return sfn.awaitCompletion(exec[0], Duration.ofSeconds(30));
    }

    private static List<String> entered(StepFunctionsLocal sfn, String exec) {
        return sfn.history(exec).stream().filter(e -> e.get("type").asText().endsWith("StateEntered"))
                .map(e -> e.get("stateEnteredEventDetails").get("name").asText()).toList();
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
        StepFunctionsLocal[] sfn = new StepFunctionsLocal[1];
        String[] exec = new String[1];
        try {
            ExecutionView v = run(faults, sfn, exec);

            assertThat(v.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(entered(sfn[0], exec[0])).doesNotContain("FailRemaining", "ReviewAbandoned")
                    .containsSubsequence("InspectMedia", "SubmitToReviewer", "WaitForReviewer", "CheckReview", "WaitForReviewer",
                            "CheckReview", "ReviewComplete");
            // Three failures of each of the four task entries (inspect, submit, two checks), each retried.
            assertThat(sfn[0].history(exec[0]).stream().filter(e -> e.get("type").asText().equals("TaskFailed")))
                    .hasSize(12);
            // The history budget's model (ReviewHistoryBudgetTest): 16 fixed events (InspectMedia's 5
            // included), 9 per round, 3 per retry.
            assertThat(sfn[0].history(exec[0])).hasSize(16 + 2 * 9 + 12 * 3);
        } finally {
            if (sfn[0] != null) {
                sfn[0].close();
            }
        }
    }

    @Test
    void inputTheTaskCanNeverAcceptFailsTheRemainingAssetsAtOnce() throws Exception {
        LambdaFaultInjector faults = (fn, state, attempt) -> state.equals("CheckReview")
                ? new LambdaFaultInjector.Fault("java.lang.IllegalArgumentException", "unknown action") : null;
        StepFunctionsLocal[] sfn = new StepFunctionsLocal[1];
        String[] exec = new String[1];
        try {
            ExecutionView v = run(faults, sfn, exec);

            assertThat(v.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(entered(sfn[0], exec[0])).containsSubsequence("CheckReview", "FailRemaining", "ReviewComplete");
            assertThat(sfn[0].history(exec[0]).stream().filter(e -> e.get("type").asText().equals("TaskFailed")))
                    .hasSize(1);
        } finally {
            if (sfn[0] != null) {
                sfn[0].close();
            }
        }
    }

    @Test
    void anErrorOutlastingEveryRetryEndsInFailRemaining() throws Exception {
        LambdaFaultInjector faults = (fn, state, attempt) -> state.equals("CheckReview")
                ? new LambdaFaultInjector.Fault("dev.assetlib.workflow.RetryableTaskException", "DynamoDB down") : null;
        StepFunctionsLocal[] sfn = new StepFunctionsLocal[1];
        String[] exec = new String[1];
        try {
            ExecutionView v = run(faults, sfn, exec);

            assertThat(v.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(entered(sfn[0], exec[0])).containsSubsequence("CheckReview", "FailRemaining", "ReviewComplete");
            int maxAttempts = catchAllRetrier("CheckReview").get("MaxAttempts").asInt();
            assertThat(sfn[0].history(exec[0]).stream().filter(e -> e.get("type").asText().equals("TaskFailed")))
                    .hasSize(1 + maxAttempts);
        } finally {
            if (sfn[0] != null) {
                sfn[0].close();
            }
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
