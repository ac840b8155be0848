package dev.assetlib.local.sfn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DefinitionLoaderTest {
  private static final String FN = "arn:aws:lambda:us-east-1:000000000000:function:ReviewTask";

  static String review() throws Exception {
    return Files.readString(Path.of("").toAbsolutePath().getParent().resolve("statemachine/review.asl.json"));
  }

  /** A one-state machine whose only state is the given JSON. */
  static String single(String stateJson) {
    return "{\"StartAt\":\"S\",\"States\":{\"S\":" + stateJson + "}}";
  }

  @Test
  void loadsTheReviewDefinitionWithItsSubstitution() throws Exception {
    Definition def = DefinitionLoader.load(review(), Map.of("ReviewTaskFunctionArn", FN, "MediaFunctionArn", FN));
    assertThat(def.startAt()).isEqualTo("InspectMedia");
    assertThat(def.states()).containsOnlyKeys("InspectMedia", "SubmitToReviewer", "WaitForReviewer", "CheckReview",
        "ReviewDone?", "FailRemaining", "ReviewAbandoned", "ReviewComplete");
    assertThat(def.text()).contains(FN).doesNotContain("${");
    assertThat(def.state("CheckReview").retry).hasSize(2);
    assertThat(def.state("CheckReview").retry.get(0).maxAttempts()).isZero();
    assertThat(def.state("CheckReview").retry.get(1).fullJitter()).isFalse();
    assertThat(def.state("CheckReview").retry.get(1).maxDelaySeconds()).isEqualTo(60L);
  }

  @Test
  void refusesAnUnfilledPlaceholder() throws Exception {
    assertThatThrownBy(() -> DefinitionLoader.load(review(), Map.of()))
        .isInstanceOf(DefinitionException.class)
        .hasMessageContaining("[MediaFunctionArn, ReviewTaskFunctionArn]");
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', value = {
      "{\"Type\":\"Map\",\"End\":true}|state type Map is not supported",
      "{\"Type\":\"Parallel\",\"End\":true}|state type Parallel is not supported",
      "{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::sqs:sendMessage\",\"End\":true}|resource 'arn:aws:states:::sqs:sendMessage' is not supported",
      "{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::dynamodb:putItem\",\"End\":true}|resource 'arn:aws:states:::dynamodb:putItem' is not supported",
      "{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::lambda:invoke.waitForTaskToken\",\"Parameters\":{\"FunctionName\":\"f\"},\"End\":true}|integration pattern '.waitForTaskToken'",
      "{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::states:startExecution.sync\",\"End\":true}|resource 'arn:aws:states:::states:startExecution.sync' is not supported",
      "{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::lambda:invoke\",\"Parameters\":{\"FunctionName\":\"f\",\"InvocationType\":\"Event\"},\"End\":true}|field 'InvocationType' is not supported",
      "{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::lambda:invoke\",\"End\":true}|lambda:invoke needs Parameters.FunctionName",
      "{\"Type\":\"Task\",\"Resource\":\"arn:aws:lambda:us-east-1:000000000000:function:f\",\"HeartbeatSeconds\":5,\"End\":true}|field 'HeartbeatSeconds' is not supported",
      "{\"Type\":\"Pass\",\"Parameters\":{\"id.$\":\"States.UUID()\"},\"End\":true}|intrinsic function 'States.UUID' is not supported",
      "{\"Type\":\"Pass\",\"Parameters\":{\"h.$\":\"States.Hash($.a, 'SHA-1')\"},\"End\":true}|intrinsic function 'States.Hash' is not supported",
      "{\"Type\":\"Pass\",\"Parameters\":{\"n.$\":\"States.ArrayLength($.a, $.b)\"},\"End\":true}|States.ArrayLength takes 1 argument(s), got 2",
      "{\"Type\":\"Pass\",\"Parameters\":{\"x.$\":\"$.items[?(@.a > 1)]\"},\"End\":true}|filter or script expression",
      "{\"Type\":\"Pass\",\"Parameters\":{\"t.$\":\"$$.Task.Token\"},\"End\":true}|'$$.Task.Token' is not supported",
      "{\"Type\":\"Pass\",\"Parameters\":{\"t.$\":\"$$.Execution.Nope\"},\"End\":true}|names an unknown field",
      "{\"Type\":\"Pass\",\"Parameters\":{\"x.$\":42},\"End\":true}|ends in '.$', so its value must be a string",
      "{\"Type\":\"Pass\",\"Parameters\":{\"x.$\":\"a.b\"},\"End\":true}|neither a JSONPath",
      "{\"Type\":\"Pass\",\"ResultPath\":\"$.a[*]\",\"End\":true}|is not a reference path",
      "{\"Type\":\"Pass\",\"Assign\":{\"x\":1},\"End\":true}|field 'Assign' is not supported",
      "{\"Type\":\"Pass\",\"End\":true,\"Next\":\"S\"}|needs exactly one of Next or",
      "{\"Type\":\"Wait\",\"Seconds\":1,\"SecondsPath\":\"$.s\",\"End\":true}|needs exactly one of Seconds",
      "{\"Type\":\"Wait\",\"Timestamp\":\"2024-01-01 00:00:00\",\"End\":true}|is not an RFC 3339 timestamp",
      "{\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$.a\",\"StringContains\":\"x\",\"Next\":\"S\"}]}|choice operator 'StringContains' is not supported",
      "{\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$.a\",\"NumericEquals\":\"1\",\"Next\":\"S\"}]}|NumericEquals takes a numeric value",
      "{\"Type\":\"Choice\",\"Choices\":[{\"Not\":{\"Variable\":\"$.a\",\"IsNull\":true,\"Next\":\"S\"},\"Next\":\"S\"}]}|must not have Next",
      "{\"Type\":\"Task\",\"Resource\":\"arn:aws:lambda:us-east-1:000000000000:function:f\",\"Retry\":[{\"ErrorEquals\":[\"States.ALL\"]},{\"ErrorEquals\":[\"X\"]}],\"End\":true}|States.ALL must appear alone and in the last entry",
      "{\"Type\":\"Task\",\"Resource\":\"arn:aws:lambda:us-east-1:000000000000:function:f\",\"Retry\":[{\"ErrorEquals\":[\"X\"],\"JitterStrategy\":\"PARTIAL\"}],\"End\":true}|JitterStrategy must be FULL or NONE",
      "{\"Type\":\"Task\",\"Resource\":\"arn:aws:lambda:us-east-1:000000000000:function:f\",\"Retry\":[{\"ErrorEquals\":[\"X\"],\"BackoffRate\":0.5}],\"End\":true}|BackoffRate must be a number >= 1.0",
      "{\"Type\":\"Task\",\"Resource\":\"arn:aws:lambda:us-east-1:000000000000:function:f\",\"Catch\":[{\"ErrorEquals\":[\"X\"],\"Next\":\"Nowhere\"}],\"End\":true}|transitions to 'Nowhere', which is not a state",
      "{\"Type\":\"Fail\",\"Error\":\"E\",\"ErrorPath\":\"$.e\"}|exclusive pairs",
  })
  void refusesWhatItDoesNotImplementAtLoad(String state, String message) {
    assertThatThrownBy(() -> DefinitionLoader.load(single(state), Map.of()))
        .isInstanceOf(DefinitionException.class)
        .hasMessageContaining(message)
        .hasMessageContaining("state 'S'");
  }

  @Test
  void refusesJsonataAndUnreachableStates() {
    assertThatThrownBy(() -> DefinitionLoader.load("{\"QueryLanguage\":\"JSONata\",\"StartAt\":\"S\","
        + "\"States\":{\"S\":{\"Type\":\"Succeed\"}}}", Map.of()))
        .hasMessageContaining("no JSONata");
    assertThatThrownBy(() -> DefinitionLoader.load("{\"StartAt\":\"S\",\"States\":{\"S\":{\"Type\":"
        + "\"Succeed\"},\"Orphan\":{\"Type\":\"Succeed\"}}}", Map.of()))
        .hasMessageContaining("not reachable from StartAt: [Orphan]");
  }
}
