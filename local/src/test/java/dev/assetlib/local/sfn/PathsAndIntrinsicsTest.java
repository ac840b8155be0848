package dev.assetlib.local.sfn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class PathsAndIntrinsicsTest {
  private static final JsonNode DOC = Json.parse(
      "{\"a\":{\"b\":[{\"id\":1},{\"id\":2},{\"id\":3}]},\"odd key\":true,\"n\":1.50}");

  private static JsonNode eval(String path) {
    return JsonPath.parse(path).evaluate(DOC, Json.parse("{\"Execution\":{\"Name\":\"x\"}}"));
  }

  @Test
  void definitePathsGiveOneNodeOrNothingIndefiniteOnesAlwaysAnArray() {
    assertThat(eval("$.a.b[-1].id")).isEqualTo(Json.parse("3"));
    assertThat(eval("$['odd key']")).isEqualTo(Json.parse("true"));
    assertThat(eval("$.a.missing")).isNull();
    assertThat(eval("$..id")).isEqualTo(Json.parse("[1,2,3]"));
    assertThat(eval("$.a.b[0:2].id")).isEqualTo(Json.parse("[1,2]"));
    assertThat(eval("$.a.b[*].nope")).isEqualTo(Json.parse("[]"));
    assertThat(eval("$$.Execution.Name")).isEqualTo(Json.parse("\"x\""));
    assertThat(Json.write(eval("$.n"))).as("numbers pass through as written").isEqualTo("1.50");
  }

  @Test
  void resultPathCreatesMissingObjectsButCannotCrossAScalar() {
    JsonPath p = JsonPath.parseReference("$.x.y");
    assertThat(p.put(Json.parse("{\"k\":1}"), Json.parse("2"))).isEqualTo(Json.parse("{\"k\":1,\"x\":{\"y\":2}}"));
    assertThatThrownBy(() -> p.put(Json.parse("{\"x\":5}"), Json.parse("2")))
        .isInstanceOf(StatesError.class).hasMessageContaining("States.Runtime");
  }

  @Test
  void intrinsicsEvaluateAndReportBadArgumentsAsIntrinsicFailure() {
    JsonNode in = Json.parse("{\"s\":\"a\",\"arr\":[1,2]}");
    assertThat(Intrinsics.compile("States.Format('\\{\\} {} \\'q\\'', $.s)", "t").evaluate(in, null).asText())
        .isEqualTo("{} a 'q'");
    assertThat(Intrinsics.compile("States.MathAdd(States.ArrayLength($.arr), 0.5)", "t").evaluate(in, null))
        .isEqualTo(Json.parse("2.5"));
    assertThatThrownBy(() -> Intrinsics.compile("States.ArrayLength($.s)", "t").evaluate(in, null))
        .isInstanceOf(StatesError.class).hasMessageContaining("States.IntrinsicFailure")
        .hasMessageContaining("must be an array");
    assertThatThrownBy(() -> Intrinsics.compile("States.Format('{} {}', $.s)", "t").evaluate(in, null))
        .hasMessageContaining("placeholders");
  }
}
