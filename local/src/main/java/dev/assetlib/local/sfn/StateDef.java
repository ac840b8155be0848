package dev.assetlib.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** One state of a loaded definition; fields a type does not use are null. */
final class StateDef {
    enum Type { Task, Pass, Wait, Choice, Succeed, Fail }

    /** What a Task calls. */
    enum TaskKind {
        /** arn:aws:states:::lambda:invoke — result wrapped as {ExecutedVersion, Payload, ...}. */
        LAMBDA_INVOKE,
        /** arn:aws:lambda:REGION:ACCOUNT:function:NAME — result is the function's output. */
        LAMBDA_ARN
    }

    /** ResultPath: absent = "$" (replace), null = discard result, or a reference path. */
    record ResultPath(JsonPath path, boolean discard) {
        static final ResultPath REPLACE = new ResultPath(null, false);
        static final ResultPath DISCARD = new ResultPath(null, true);

        JsonNode apply(JsonNode rawInput, JsonNode result) {
            if (discard) {
                return rawInput;
            }
            return path == null ? result : path.put(rawInput, result);
        }
    }

    record Retrier(List<String> errorEquals, long intervalSeconds, int maxAttempts,
            double backoffRate, Long maxDelaySeconds, boolean fullJitter) {}

    record Catcher(List<String> errorEquals, ResultPath resultPath, String next) {}

    String name;
    Type type;
    String next;
    boolean end;

    /** InputPath / OutputPath: null field = "$"; {@code inputNull} = the JSON null path ({}). */
    JsonPath inputPath;
    boolean inputNull;
    JsonPath outputPath;
    boolean outputNull;
    ResultPath resultPath = ResultPath.REPLACE;
    PayloadTemplate parameters;
    PayloadTemplate resultSelector;
    JsonNode result;

    // Task
    String resource;
    TaskKind taskKind;
    Long timeoutSeconds;
    JsonPath timeoutSecondsPath;
    List<Retrier> retry = List.of();
    List<Catcher> catchers = List.of();

    // Wait
    Long seconds;
    JsonPath secondsPath;
    String timestamp;
    JsonPath timestampPath;

    // Choice
    List<ChoiceRule> choices = List.of();
    List<String> choiceNext = List.of();
    String defaultNext;

    // Fail
    String error;
    String cause;
    ValueExpr errorPath;
    ValueExpr causePath;

    String eventPrefix() {
        return type.name();
    }
}
