package dev.assetlib.local.sfn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Step Functions' execution quotas, enforced as AWS does: a history holds at most 25,000 events
 * (event 25,000 can only close the execution; otherwise it is ExecutionFailed), and a state's
 * input, output or task result over 262,144 bytes is States.DataLimitExceeded, which neither
 * Retry nor Catch (not even States.ALL) handles.
 */
class ExecutionLimitsTest {
    /** Counts $.n up to the given value: ExecutionStarted + 4 events per round + Succeed (2) + ExecutionSucceeded. */
    private static String counter(int rounds) {
        return "{\"StartAt\":\"Inc\",\"States\":{"
                + "\"Inc\":{\"Type\":\"Pass\",\"Parameters\":{\"n.$\":\"States.MathAdd($.n, 1)\"},\"Next\":\"Enough?\"},"
                + "\"Enough?\":{\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$.n\",\"NumericEquals\":" + rounds
                + ",\"Next\":\"Done\"}],\"Default\":\"Inc\"},"
                + "\"Done\":{\"Type\":\"Succeed\"}}}";
    }

    private static ExecutionView run(StepFunctionsLocal sfn, String definition, String input) throws Exception {
        String exec = sfn.startExecution(sfn.createStateMachine("M" + System.nanoTime(), definition, Map.of()), null, input);
        return sfn.awaitCompletion(exec, Duration.ofSeconds(120));
    }

    @Test
    void anExecutionWhoseEvent25000IsExecutionSucceededSucceeds() throws Exception {
        try (StepFunctionsLocal sfn = StepFunctionsLocal.builder().timeScale(0.0).build()) {
            ExecutionView v = run(sfn, counter(6_249), "{\"n\":0}");

            assertThat(v.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            List<JsonNode> history = sfn.history(v.executionArn());
            assertThat(history).hasSize(25_000);
            assertThat(history.get(24_999).get("type").asText()).isEqualTo("ExecutionSucceeded");
        }
    }

    @Test
    void anExecutionThatNeedsMoreThan25000EventsFailsAtEvent25000() throws Exception {
        try (StepFunctionsLocal sfn = StepFunctionsLocal.builder().timeScale(0.0).build()) {
            ExecutionView v = run(sfn, counter(6_250), "{\"n\":0}");

            assertThat(v.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(v.error()).isEqualTo("States.Runtime");
            assertThat(v.cause()).contains("maximum number of history events (25000)");
            List<JsonNode> history = sfn.history(v.executionArn());
            assertThat(history).hasSize(25_000);
            assertThat(history.get(24_999).get("type").asText()).isEqualTo("ExecutionFailed");
            assertThat(history.get(24_999).get("id").asLong()).isEqualTo(25_000);
        }
    }

    @Test
    void theHistoryLimitIsNotCaughtByStatesAll() throws Exception {
        // An endless loop of a task that always fails and is caught back into itself.
        String def = "{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::lambda:invoke\","
                + "\"Parameters\":{\"FunctionName\":\"f\"},\"Catch\":[{\"ErrorEquals\":[\"States.ALL\"],\"Next\":\"T\"}],"
                + "\"End\":true}}}";
        LocalLambda fails = payload -> {
            throw new IllegalStateException("always");
        };
        try (StepFunctionsLocal sfn = StepFunctionsLocal.builder().timeScale(0.0).lambdas(Map.of("f", fails)).build()) {
            ExecutionView v = run(sfn, def, "{}");

            assertThat(v.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(v.error()).isEqualTo("States.Runtime");
            assertThat(sfn.history(v.executionArn())).hasSize(25_000);
        }
    }

    @Test
    void aTaskResultOver256KiBIsDataLimitExceededWhichNeitherRetryNorCatchHandles() throws Exception {
        String def = "{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::lambda:invoke\","
                + "\"Parameters\":{\"FunctionName\":\"f\"},\"OutputPath\":\"$.Payload\","
                + "\"Retry\":[{\"ErrorEquals\":[\"States.ALL\"],\"MaxAttempts\":3}],"
                + "\"Catch\":[{\"ErrorEquals\":[\"States.ALL\"],\"Next\":\"Caught\"}],\"End\":true},"
                + "\"Caught\":{\"Type\":\"Succeed\"}}}";
        LocalLambda big = payload -> ("{\"blob\":\"" + "x".repeat(262_144) + "\"}").getBytes(StandardCharsets.UTF_8);
        try (StepFunctionsLocal sfn = StepFunctionsLocal.builder().timeScale(0.0).lambdas(Map.of("f", big)).build()) {
            ExecutionView v = run(sfn, def, "{}");

            assertThat(v.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(v.error()).isEqualTo("States.DataLimitExceeded");
            assertThat(sfn.history(v.executionArn()).stream().map(e -> e.get("type").asText()))
                    .containsOnlyOnce("TaskFailed").doesNotContain("SucceedStateEntered");
        }
    }

    @Test
    void aStateOutputOver256KiBIsDataLimitExceededAndOneJustUnderPasses() throws Exception {
        // {"s":"..."} is 8 bytes around the string: 262,136 characters make exactly 262,144 bytes.
        String def = "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}";
        try (StepFunctionsLocal sfn = StepFunctionsLocal.builder().timeScale(0.0).build()) {
            assertThat(run(sfn, def, "{\"s\":\"" + "y".repeat(262_136) + "\"}").status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            ExecutionView over = run(sfn, def, "{\"s\":\"" + "é".repeat(131_069) + "\"}"); // 2 bytes each in UTF-8
            assertThat(over.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(over.error()).isEqualTo("States.DataLimitExceeded");
        }
    }
}
