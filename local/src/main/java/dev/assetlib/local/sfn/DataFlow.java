package dev.assetlib.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;

/** InputPath / OutputPath and the path-valued fields of Wait, Task and Fail. */
final class DataFlow {
    private DataFlow() {}

    static JsonNode input(StateDef s, JsonNode raw, JsonNode ctx) {
        if (s.inputNull) {
            return Json.object();
        }
        return s.inputPath == null ? raw : select(s.inputPath, raw, ctx);
    }

    static JsonNode output(StateDef s, JsonNode value, JsonNode ctx) {
        if (s.outputNull) {
            return Json.object();
        }
        return s.outputPath == null ? value : select(s.outputPath, value, ctx);
    }

    /** A path that matches nothing is States.Runtime, which no Retry or Catch can handle. */
    static JsonNode select(JsonPath path, JsonNode value, JsonNode ctx) {
        JsonNode v = path.evaluate(value, ctx);
        if (v == null) {
            throw StatesError.runtime("Invalid path '" + path.text() + "' : No results for path: "
                    + path.text());
        }
        return v;
    }

    static String string(ValueExpr expr, JsonNode raw, JsonNode ctx, String field) {
        JsonNode v = expr.evaluate(raw, ctx);
        if (v == null || !v.isTextual()) {
            throw StatesError.runtime("The value of " + field + " '" + expr.text()
                    + "' must be a string, got " + Json.typeName(v));
        }
        return v.asText();
    }

    /** Unscaled wait in milliseconds for a Wait state, from its effective input. */
    static double waitMillis(StateDef s, JsonNode effective, JsonNode ctx, Instant now) {
        if (s.seconds != null) {
            return s.seconds * 1000.0;
        }
        if (s.secondsPath != null) {
            JsonNode v = select(s.secondsPath, effective, ctx);
            if (!v.canConvertToExactIntegral() || v.asLong() < 0) {
                throw StatesError.runtime("The SecondsPath parameter '" + s.secondsPath.text()
                        + "' does not reference a non-negative integer: " + Json.write(v));
            }
            return v.asLong() * 1000.0;
        }
        String ts = s.timestamp;
        if (ts == null) {
            JsonNode v = select(s.timestampPath, effective, ctx);
            if (!Json.isTimestamp(v)) {
                throw StatesError.runtime("The TimestampPath parameter '" + s.timestampPath.text()
                        + "' does not reference a valid RFC 3339 timestamp: " + Json.write(v));
            }
            ts = v.asText();
        }
        return Math.max(0, Duration.between(now, Json.parseTimestamp(ts)).toMillis());
    }

    /** @return the task timeout in seconds, or null for none (AWS's default is 99999999). */
    static Long taskTimeout(StateDef s, JsonNode effective, JsonNode ctx) {
        if (s.timeoutSeconds != null) {
            return s.timeoutSeconds;
        }
        if (s.timeoutSecondsPath == null) {
            return null;
        }
        JsonNode v = select(s.timeoutSecondsPath, effective, ctx);
        if (!v.canConvertToExactIntegral() || v.asLong() < 1) {
            throw StatesError.runtime("The TimeoutSecondsPath parameter '" + s.timeoutSecondsPath.text()
                    + "' does not reference a positive integer: " + Json.write(v));
        }
        return v.asLong();
    }
}
