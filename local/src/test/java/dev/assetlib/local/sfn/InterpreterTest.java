package dev.assetlib.local.sfn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InterpreterTest {
  private static final String FN = "arn:aws:lambda:us-east-1:000000000000:function:ReviewTask";

  /** A checked exception with a package name, like the task's RetryableTaskException. */
  static final class ReviewerBusyException extends Exception {
    ReviewerBusyException(String message) {
      super(message);
    }
  }

  static List<String> types(StepFunctionsLocal sfn, String exec) {
    return sfn.history(exec).stream().map(e -> e.get("type").asText()).toList();
  }

  static JsonNode event(StepFunctionsLocal sfn, String exec, String type) {
    return sfn.history(exec).stream().filter(e -> e.get("type").asText().equals(type)).findFirst()
        .orElseThrow();
  }

  static String json(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void runsTheReviewLoopAndRecordsAwsShapedHistory() throws Exception {
    AtomicInteger checks = new AtomicInteger();
    LocalLambda review = payload -> {
      JsonNode in = Json.parse(payload);
      String action = in.get("action").asText();
      boolean done = action.equals("check") && checks.incrementAndGet() == 2;
      return ("{\"batch\":" + Json.write(in.get("review").path("batch")) + ",\"done\":" + done
          + ",\"waitSeconds\":3600}").getBytes(StandardCharsets.UTF_8);
    };
    try (StepFunctionsLocal sfn = StepFunctionsLocal.builder().timeScale(0.0)
        .lambdas(Map.of(FN, review)).build()) {
      String arn = sfn.createStateMachine("AssetReview", DefinitionLoaderTest.review(),
          Map.of("ReviewTaskFunctionArn", FN, "MediaFunctionArn", FN));
      String exec = sfn.startExecution(arn, "batch-1", "{\"batch\":\"b1\"}");
      ExecutionView v = sfn.awaitCompletion(exec, Duration.ofSeconds(20));

      assertThat(v.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(Json.parse(v.output())).isEqualTo(Json.parse("{\"batch\":\"b1\",\"done\":true,\"waitSeconds\":3600}"));
      assertThat(types(sfn, exec)).containsExactly("ExecutionStarted",
          "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited", // InspectMedia
          "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited",
          "ChoiceStateEntered", "ChoiceStateExited", "WaitStateEntered", "WaitStateExited",
          "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited",
          "ChoiceStateEntered", "ChoiceStateExited", "WaitStateEntered", "WaitStateExited",
          "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited",
          "ChoiceStateEntered", "ChoiceStateExited", "SucceedStateEntered", "SucceedStateExited",
          "ExecutionSucceeded");
      assertThat(v.stateTransitions()).isEqualTo(10); // states entered, no retries
      JsonNode scheduled = event(sfn, exec, "TaskScheduled");
      assertThat(scheduled.get("id").asLong()).isEqualTo(3);
      assertThat(scheduled.get("previousEventId").asLong()).isEqualTo(2);
      assertThat(scheduled.get("taskScheduledEventDetails").get("resourceType").asText()).isEqualTo("lambda");
      assertThat(scheduled.get("taskScheduledEventDetails").get("resource").asText()).isEqualTo("invoke");
      assertThat(Json.parse(scheduled.get("taskScheduledEventDetails").get("parameters").asText()))
          .isEqualTo(Json.parse("{\"FunctionName\":\"" + FN + "\",\"Payload\":{\"action\":\"inspect\",\"review\":{\"batch\":\"b1\"}}}"));
      JsonNode succeeded = Json.parse(event(sfn, exec, "TaskSucceeded")
          .get("taskSucceededEventDetails").get("output").asText());
      assertThat(succeeded.get("StatusCode").asInt()).isEqualTo(200);
      assertThat(succeeded.get("ExecutedVersion").asText()).isEqualTo("$LATEST");
      assertThat(succeeded.get("Payload").get("done").asBoolean()).isFalse();
      assertThat(event(sfn, exec, "ChoiceStateEntered").get("stateEnteredEventDetails").get("name").asText())
          .isEqualTo("ReviewDone?");
    }
  }

  @Test
  void aThrownExceptionIsReportedLikeTheJavaLambdaRuntimeAndCaught() throws Exception {
    LocalLambda review = payload -> {
      if (Json.parse(payload).get("action").asText().equals("fail")) {
        return "{\"failed\":true}".getBytes(StandardCharsets.UTF_8);
      }
      throw new IllegalStateException("reviewer rejected the request");
    };
    try (StepFunctionsLocal sfn = StepFunctionsLocal.builder().timeScale(0.0)
        .lambdas(Map.of("ReviewTask", review)).build()) {
      String arn = sfn.createStateMachine("AssetReview", DefinitionLoaderTest.review(),
          Map.of("ReviewTaskFunctionArn", FN, "MediaFunctionArn", FN));
      String exec = sfn.startExecution(arn, null, "{}");
      ExecutionView v = sfn.awaitCompletion(exec, Duration.ofSeconds(20));

      assertThat(v.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      JsonNode failed = event(sfn, exec, "TaskFailed").get("taskFailedEventDetails");
      assertThat(failed.get("error").asText()).isEqualTo("java.lang.IllegalStateException");
      JsonNode cause = Json.parse(failed.get("cause").asText());
      assertThat(cause.get("errorMessage").asText()).isEqualTo("reviewer rejected the request");
      assertThat(cause.get("errorType").asText()).isEqualTo("java.lang.IllegalStateException");
      assertThat(cause.get("stackTrace").get(0).asText()).contains("InterpreterTest");
      // The catcher put {Error, Cause} at $.error of FailRemaining's input, which went to the task.
      JsonNode failPayload = Json.parse(sfn.history(exec).stream()
          .filter(e -> e.get("type").asText().equals("TaskScheduled")).reduce((a, b) -> b).orElseThrow()
          .get("taskScheduledEventDetails").get("parameters").asText()).get("Payload");
      assertThat(failPayload.get("action").asText()).isEqualTo("fail");
      assertThat(failPayload.get("review").get("error").get("Error").asText())
          .isEqualTo("java.lang.IllegalStateException");
    }
  }

  @Test
  void retriesInjectedLambdaServiceFailuresThenSucceeds() throws Exception {
    String def = DefinitionLoaderTest.single("{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::lambda:invoke\","
        + "\"Parameters\":{\"FunctionName\":\"f\",\"Payload\":{\"retry.$\":\"$$.State.RetryCount\"}},"
        + "\"OutputPath\":\"$.Payload\",\"Retry\":[{\"ErrorEquals\":[\"Lambda.ServiceException\","
        + "\"Lambda.TooManyRequestsException\"],\"IntervalSeconds\":1,\"MaxAttempts\":3}],\"End\":true}");
    LambdaFaultInjector faults = (fn, state, attempt) -> switch (attempt) {
      case 1 -> LambdaFaultInjector.Fault.serviceException();
      case 2 -> LambdaFaultInjector.Fault.tooManyRequests();
      default -> null;
    };
    try (StepFunctionsLocal sfn = StepFunctionsLocal.builder().timeScale(0.0).faultInjector(faults)
        .lambdas(Map.of("f", payload -> payload)).build()) {
      String exec = sfn.startExecution(sfn.createStateMachine("M", def, Map.of()), null, "{}");
      ExecutionView v = sfn.awaitCompletion(exec, Duration.ofSeconds(20));
      assertThat(v.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(Json.parse(v.output())).isEqualTo(Json.parse("{\"retry\":2}"));
      assertThat(types(sfn, exec).stream().filter(t -> t.equals("TaskFailed")).count()).isEqualTo(2);
      assertThat(v.stateTransitions()).isEqualTo(3); // one state entered + two retries
    }
  }

  @Test
  void unknownFunctionIsResourceNotFound() throws Exception {
    String def = DefinitionLoaderTest.single("{\"Type\":\"Task\",\"Resource\":"
        + "\"arn:aws:lambda:us-east-1:000000000000:function:Missing\",\"End\":true}");
    try (StepFunctionsLocal sfn = StepFunctionsLocal.builder().build()) {
      String exec = sfn.startExecution(sfn.createStateMachine("M", def, Map.of()), null, "{}");
      ExecutionView v = sfn.awaitCompletion(exec, Duration.ofSeconds(20));
      assertThat(v.error()).isEqualTo("Lambda.ResourceNotFoundException");
      assertThat(v.cause()).contains("function:Missing");
      assertThat(types(sfn, exec)).containsSubsequence("LambdaFunctionScheduled",
          "LambdaFunctionStarted", "LambdaFunctionFailed", "ExecutionFailed");
    }
  }

  @Test
  void taskTimeoutIsStatesTimeoutAndNotMatchedByTaskFailed() throws Exception {
    String def = DefinitionLoaderTest.single("{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::lambda:invoke\","
        + "\"Parameters\":{\"FunctionName\":\"slow\"},\"TimeoutSeconds\":1,"
        + "\"Catch\":[{\"ErrorEquals\":[\"States.TaskFailed\"],\"Next\":\"S\"}],\"End\":true}");
    CountDownLatch never = new CountDownLatch(1);
    LocalLambda slow = payload -> {
      never.await();
      return payload;
    };
    try (StepFunctionsLocal sfn = StepFunctionsLocal.builder().lambdas(Map.of("slow", slow)).build()) {
      String exec = sfn.startExecution(sfn.createStateMachine("M", def, Map.of()), null, "{}");
      ExecutionView v = sfn.awaitCompletion(exec, Duration.ofSeconds(30));
      assertThat(v.status()).isEqualTo(ExecutionStatus.FAILED);
      assertThat(v.error()).isEqualTo("States.Timeout");
      assertThat(types(sfn, exec)).containsSubsequence("TaskStarted", "TaskTimedOut", "ExecutionFailed");
    }
  }

  @Test
  void inputPathMismatchIsStatesRuntimeWhichStatesAllCannotCatch() throws Exception {
    String def = "{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":"
        + "\"arn:aws:lambda:us-east-1:000000000000:function:f\",\"InputPath\":\"$.missing\","
        + "\"Catch\":[{\"ErrorEquals\":[\"States.ALL\"],\"Next\":\"H\"}],\"End\":true},"
        + "\"H\":{\"Type\":\"Succeed\"}}}";
    try (StepFunctionsLocal sfn = StepFunctionsLocal.builder().lambdas(Map.of("f", p -> p)).build()) {
      String exec = sfn.startExecution(sfn.createStateMachine("M", def, Map.of()), null, "{\"a\":1}");
      ExecutionView v = sfn.awaitCompletion(exec, Duration.ofSeconds(20));
      assertThat(v.error()).isEqualTo("States.Runtime");
      assertThat(v.cause()).contains("state 'T'").contains("Invalid path '$.missing'");
    }
  }

  @Test
  void parameterPathFailureIsCatchable() throws Exception {
    String def = "{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":"
        + "\"arn:aws:lambda:us-east-1:000000000000:function:f\",\"Parameters\":{\"x.$\":\"$.missing\"},"
        + "\"Catch\":[{\"ErrorEquals\":[\"States.ALL\"],\"ResultPath\":\"$.err\",\"Next\":\"H\"}],\"End\":true},"
        + "\"H\":{\"Type\":\"Succeed\"}}}";
    try (StepFunctionsLocal sfn = StepFunctionsLocal.builder().lambdas(Map.of("f", p -> p)).build()) {
      String exec = sfn.startExecution(sfn.createStateMachine("M", def, Map.of()), null, "{\"a\":1}");
      JsonNode out = Json.parse(sfn.awaitCompletion(exec, Duration.ofSeconds(20)).output());
      assertThat(out.get("err").get("Error").asText()).isEqualTo("States.ParameterPathFailure");
      assertThat(out.get("err").get("Cause").asText()).contains("'x.$'").contains("$.missing");
    }
  }

  @Test
  void specSemanticsWhereTheReferenceInterpreterDiffers() throws Exception {
    String def = "{\"StartAt\":\"C\",\"States\":{\"C\":{\"Type\":\"Choice\",\"Choices\":[{\"Variable\":"
        + "\"$.v\",\"IsPresent\":false,\"Next\":\"Absent\"}],\"Default\":\"Present\"},"
        + "\"Absent\":{\"Type\":\"Pass\",\"Result\":\"absent\",\"ResultPath\":\"$\",\"End\":true},"
        + "\"Present\":{\"Type\":\"Pass\",\"Parameters\":{\"s.$\":\"States.StringSplit($.v, '.+,=')\"},\"End\":true}}}";
    try (StepFunctionsLocal sfn = StepFunctionsLocal.builder().build()) {
      String arn = sfn.createStateMachine("M", def, Map.of());
      String absent = sfn.startExecution(arn, "a", "{}");
      String present = sfn.startExecution(arn, "b", "{\"v\":\"This.is+a,test=string\"}");
      assertThat(sfn.awaitCompletion(absent, Duration.ofSeconds(20)).output()).isEqualTo("\"absent\"");
      // StringSplit splits on each delimiter character, as in the AWS documentation example.
      assertThat(Json.parse(sfn.awaitCompletion(present, Duration.ofSeconds(20)).output()))
          .isEqualTo(Json.parse("{\"s\":[\"This\",\"is\",\"a\",\"test\",\"string\"]}"));
    }
  }

  @Test
  void stopAbortsAWaitingExecutionAndExecutionTimeoutTimesOut() throws Exception {
    String waitLong = "{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\",\"Seconds\":3600,\"End\":true}}}";
    String timed = "{\"TimeoutSeconds\":1,\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\",\"Seconds\":3600,\"End\":true}}}";
    try (StepFunctionsLocal sfn = StepFunctionsLocal.builder().build()) {
      String stopped = sfn.startExecution(sfn.createStateMachine("Long", waitLong, Map.of()), null, "{}");
      String timedOut = sfn.startExecution(sfn.createStateMachine("Timed", timed, Map.of()), null, "{}");
      sfn.stopExecution(stopped, "Operator", "no longer needed");
      ExecutionView s = sfn.awaitCompletion(stopped, Duration.ofSeconds(20));
      assertThat(s.status()).isEqualTo(ExecutionStatus.ABORTED);
      assertThat(event(sfn, stopped, "ExecutionAborted").get("executionAbortedEventDetails").get("cause").asText())
          .isEqualTo("no longer needed");
      ExecutionView t = sfn.awaitCompletion(timedOut, Duration.ofSeconds(20));
      assertThat(t.status()).isEqualTo(ExecutionStatus.TIMED_OUT);
      assertThat(types(sfn, timedOut)).endsWith("ExecutionTimedOut");
    }
  }

  @Test
  void retryDelayGrowsByBackoffIsCappedByMaxDelayAndJitterStaysBelowIt() {
    Interpreter i = new Interpreter(null, null, null, 1.0, new java.util.Random(7), "us-east-1", e -> { });
    StateDef.Retrier none = new StateDef.Retrier(List.of("X"), 2, 10, 2.0, 30L, false);
    assertThat(i.retryDelaySeconds(none, 0)).isEqualTo(2.0);
    assertThat(i.retryDelaySeconds(none, 3)).isEqualTo(16.0);
    assertThat(i.retryDelaySeconds(none, 4)).isEqualTo(30.0);
    StateDef.Retrier full = new StateDef.Retrier(List.of("X"), 2, 10, 2.0, 30L, true);
    for (int n = 0; n < 200; n++) {
      assertThat(i.retryDelaySeconds(full, 9)).isBetween(0.0, 30.0);
    }
  }

  @Test
  void startWithTheSameNameIsIdempotentOnlyWhileRunningWithTheSameInput() throws Exception {
    String waitLong = "{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\",\"Seconds\":3600,\"End\":true}}}";
    try (StepFunctionsLocal sfn = StepFunctionsLocal.builder().build()) {
      String arn = sfn.createStateMachine("Long", waitLong, Map.of());
      String first = sfn.startExecution(arn, "same", "{\"a\":1}");
      assertThat(sfn.startExecution(arn, "same", "{\"a\": 1}")).isEqualTo(first);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> sfn.startExecution(arn, "same", "{\"a\":2}"))
          .isInstanceOf(SfnApiException.class).hasMessageContaining("ExecutionAlreadyExists");
      sfn.stopExecution(first, null, null);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> sfn.startExecution(arn, "same", "{\"a\":1}"))
          .hasMessageContaining("ExecutionAlreadyExists");
    }
  }
}
