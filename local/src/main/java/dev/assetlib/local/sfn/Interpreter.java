package dev.assetlib.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.local.sfn.StateDef.TaskKind;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs executions. A waiting execution (Wait state, Retry interval) holds only a timer on one
 * scheduler thread; state processing and Lambda invocations run on a bounded worker pool. All
 * mutations of an execution happen under its monitor; each async continuation carries a token
 * and is dropped if the execution was stopped, timed out or moved on in the meantime.
 */
final class Interpreter {
    private final ScheduledExecutorService timers;
    private final ExecutorService workers;
    private final LambdaInvoker lambdas;
    private final double timeScale;
    private final Random random;
    private final String region;
    private final Consumer<Execution> onFinished;

    Interpreter(ScheduledExecutorService timers, ExecutorService workers, LambdaInvoker lambdas,
            double timeScale, Random random, String region, Consumer<Execution> onFinished) {
        this.timers = timers;
        this.workers = workers;
        this.lambdas = lambdas;
        this.timeScale = timeScale;
        this.random = random;
        this.region = region;
        this.onFinished = onFinished;
    }

    void start(Execution ex) {
        synchronized (ex) {
            ex.event("ExecutionStarted", "executionStartedEventDetails", Execution.details(
                    "input", ex.inputText, "inputDetails", Execution.notTruncated(),
                    "roleArn", ex.stateMachine.roleArn()));
            Long timeout = ex.stateMachine.definition().timeoutSeconds();
            if (timeout != null) {
                ex.executionTimeout = timers.schedule(() -> timeOut(ex), scaled(timeout * 1000.0),
                        TimeUnit.MILLISECONDS);
            }
            go(ex, ex.stateMachine.definition().startAt(), ex.input);
        }
    }

    void stop(Execution ex, String error, String cause) {
        synchronized (ex) {
            if (ex.status != ExecutionStatus.RUNNING) {
                return;
            }
            cancelPending(ex);
            ex.event("ExecutionAborted", "executionAbortedEventDetails",
                    Execution.details("error", error, "cause", cause));
            ex.error = error;
            ex.cause = cause;
            finish(ex, ExecutionStatus.ABORTED);
        }
    }

    private void timeOut(Execution ex) {
        synchronized (ex) {
            if (ex.status != ExecutionStatus.RUNNING) {
                return;
            }
            cancelPending(ex);
            ex.error = StatesError.TIMEOUT;
            ex.cause = "The execution exceeded the state machine's TimeoutSeconds";
            ex.event("ExecutionTimedOut", "executionTimedOutEventDetails",
                    Execution.details("error", ex.error, "cause", ex.cause));
            finish(ex, ExecutionStatus.TIMED_OUT);
        }
    }

    /** Moves to a state on a worker, so long Pass/Choice loops don't monopolise a thread. */
    private void go(Execution ex, String stateName, JsonNode input) {
        long token = ex.nextToken();
        ex.pending = workers.submit(() -> {
            synchronized (ex) {
                if (ex.isCurrent(token)) {
                    step(ex, () -> enter(ex, stateName, input));
                }
            }
        });
    }

    private void later(Execution ex, long delayMs, Runnable step) {
        long token = ex.nextToken();
        ex.pending = timers.schedule(() -> workers.execute(() -> {
            synchronized (ex) {
                if (ex.isCurrent(token)) {
                    step(ex, step);
                }
            }
        }), delayMs, TimeUnit.MILLISECONDS);
    }

    private void enter(Execution ex, String name, JsonNode rawInput) {
        StateDef s = ex.stateMachine.definition().state(name);
        ex.currentState = name;
        ex.stateInput = rawInput;
        ex.enteredTime = ex.now();
        ex.retryCounts = new int[s.retry.size()];
        ex.retryCount = 0;
        ex.taskAttempt = 0;
        ex.stateTransitions++;
        ex.enteredEventId = ex.event(s.eventPrefix() + "StateEntered", "stateEnteredEventDetails",
                Execution.details("name", name, "input", Json.write(rawInput),
                        "inputDetails", Execution.notTruncated()));
        try {
            run(ex, s, rawInput);
        } catch (StatesError e) {
            onError(ex, s, e.inState(name, ex.enteredEventId));
        }
    }

    private void run(Execution ex, StateDef s, JsonNode raw) {
        switch (s.type) {
            case Pass -> {
                JsonNode effective = DataFlow.input(s, raw, ex.context());
                JsonNode result = s.result != null ? s.result
                        : s.parameters != null ? s.parameters.apply(effective, ex.context()) : effective;
                exit(ex, s, DataFlow.output(s, s.resultPath.apply(raw, result), ex.context()));
            }
            case Choice -> {
                JsonNode effective = DataFlow.input(s, raw, ex.context());
                String next = s.defaultNext;
                for (int i = 0; i < s.choices.size(); i++) {
                    if (s.choices.get(i).test(effective, ex.context())) {
                        next = s.choiceNext.get(i);
                        break;
                    }
                }
                if (next == null) {
                    throw new StatesError(StatesError.NO_CHOICE_MATCHED,
                            "No Choice rule matched and there is no Default in state '" + s.name + "'");
                }
                JsonNode out = DataFlow.output(s, effective, ex.context());
                recordExit(ex, s, out);
                go(ex, next, out);
            }
            case Succeed -> exit(ex, s, DataFlow.output(s, DataFlow.input(s, raw, ex.context()), ex.context()));
            case Fail -> {
                String error = s.errorPath != null ? DataFlow.string(s.errorPath, raw, ex.context(), "ErrorPath") : s.error;
                String cause = s.causePath != null ? DataFlow.string(s.causePath, raw, ex.context(), "CausePath") : s.cause;
                failExecution(ex, error, cause);
            }
            case Wait -> {
                JsonNode effective = DataFlow.input(s, raw, ex.context());
                long delayMs = scaled(DataFlow.waitMillis(s, effective, ex.context(), ex.now()));
                later(ex, delayMs, () -> {
                    try {
                        exit(ex, s, DataFlow.output(s, effective, ex.context()));
                    } catch (StatesError e) {
                        onError(ex, s, e.inState(s.name, ex.enteredEventId));
                    }
                });
            }
            case Task -> attempt(ex, s);
        }
    }

    private void attempt(Execution ex, StateDef s) {
        JsonNode effective = DataFlow.input(s, ex.stateInput, ex.context());
        JsonNode taskInput = s.parameters != null ? s.parameters.apply(effective, ex.context()) : effective;
        Long timeout = DataFlow.taskTimeout(s, effective, ex.context());
        String function;
        JsonNode payload;
        if (s.taskKind == TaskKind.LAMBDA_INVOKE) {
            JsonNode fn = taskInput.get("FunctionName");
            if (fn == null || !fn.isTextual()) {
                throw StatesError.runtime("lambda:invoke Parameters.FunctionName must be a string, got " + fn);
            }
            function = fn.asText();
            payload = taskInput.has("Payload") ? taskInput.get("Payload") : Json.object();
            ex.event("TaskScheduled", "taskScheduledEventDetails", Execution.details(
                    "resourceType", "lambda", "resource", "invoke", "region", region,
                    "parameters", Json.write(taskInput), "timeoutInSeconds", timeout));
            ex.event("TaskStarted", "taskStartedEventDetails",
                    Execution.details("resourceType", "lambda", "resource", "invoke"));
        } else {
            function = s.resource;
            payload = taskInput;
            ex.event("LambdaFunctionScheduled", "lambdaFunctionScheduledEventDetails", Execution.details(
                    "resource", s.resource, "input", Json.write(taskInput),
                    "inputDetails", Execution.notTruncated(), "timeoutInSeconds", timeout));
            ex.event("LambdaFunctionStarted", null, null);
        }
        checkPayload(taskInput, "input", s.name);
        int attemptNo = ++ex.taskAttempt;
        byte[] bytes = Json.bytes(payload);
        long token = ex.nextToken();
        Future<?> call = workers.submit(() -> {
            LambdaInvoker.Outcome outcome = lambdas.invoke(function, bytes, s.name, attemptNo);
            synchronized (ex) {
                if (ex.isCurrent(token)) {
                    cancelTimer(ex.pendingTimeout);
                    step(ex, () -> taskDone(ex, s, outcome));
                }
            }
        });
        ex.pending = call;
        if (timeout != null) {
            // Task timeouts are real Lambda run times, so they are not scaled by timeScale.
            ex.pendingTimeout = timers.schedule(() -> {
                synchronized (ex) {
                    if (ex.isCurrent(token)) {
                        ex.nextToken();
                        call.cancel(true);
                        String cause = "Task timed out after " + timeout + " seconds";
                        step(ex, () -> {
                            recordTaskEnd(ex, s, "TimedOut", Execution.details("error", StatesError.TIMEOUT, "cause", cause));
                            onError(ex, s, new StatesError(StatesError.TIMEOUT, cause));
                        });
                    }
                }
            }, timeout, TimeUnit.SECONDS);
        }
    }

    private void taskDone(Execution ex, StateDef s, LambdaInvoker.Outcome outcome) {
        if (outcome.failed()) {
            recordTaskEnd(ex, s, "Failed", Execution.details("error", outcome.error(), "cause", outcome.cause()));
            onError(ex, s, new StatesError(outcome.error(), outcome.cause()));
            return;
        }
        JsonNode result = s.taskKind == TaskKind.LAMBDA_INVOKE
                ? lambdas.invokeResult(outcome.result()) : outcome.result();
        if (Json.bytes(result).length > Execution.MAX_PAYLOAD_BYTES) {
            String cause = "The state/task '" + s.name + "' returned a result with a size exceeding the maximum "
                    + "number of bytes service limit (" + Execution.MAX_PAYLOAD_BYTES + ")";
            recordTaskEnd(ex, s, "Failed", Execution.details("error", StatesError.DATA_LIMIT_EXCEEDED, "cause", cause));
            onError(ex, s, new StatesError(StatesError.DATA_LIMIT_EXCEEDED, cause));
            return;
        }
        recordTaskEnd(ex, s, "Succeeded", Execution.details(
                "output", Json.write(result), "outputDetails", Execution.notTruncated()));
        try {
            JsonNode selected = s.resultSelector != null ? s.resultSelector.apply(result, ex.context()) : result;
            exit(ex, s, DataFlow.output(s, s.resultPath.apply(ex.stateInput, selected), ex.context()));
        } catch (StatesError e) {
            onError(ex, s, e.inState(s.name, ex.enteredEventId));
        }
    }

    /** TaskSucceeded/Failed/TimedOut for lambda:invoke, LambdaFunction* for plain ARNs. */
    private void recordTaskEnd(Execution ex, StateDef s, String outcome, ObjectNode details) {
        if (s.taskKind == TaskKind.LAMBDA_INVOKE) {
            ObjectNode d = Execution.details("resourceType", "lambda", "resource", "invoke");
            d.setAll(details);
            ex.event("Task" + outcome, "task" + outcome + "EventDetails", d);
        } else {
            ex.event("LambdaFunction" + outcome, "lambdaFunction" + outcome + "EventDetails", details);
        }
    }

    private void onError(Execution ex, StateDef s, StatesError err) {
        if (!err.isTerminal() && s.type == StateDef.Type.Task) {
            List<StateDef.Retrier> retriers = s.retry;
            for (int i = 0; i < retriers.size(); i++) {
                StateDef.Retrier r = retriers.get(i);
                if (!matches(r.errorEquals(), err)) {
                    continue;
                }
                if (ex.retryCounts[i] >= r.maxAttempts()) {
                    break; // the first matching retrier decides; exhausted means go to Catch
                }
                long delay = scaled(retryDelaySeconds(r, ex.retryCounts[i]) * 1000.0);
                ex.retryCounts[i]++;
                ex.retryCount++;
                ex.stateTransitions++;
                later(ex, delay, () -> {
                    try {
                        attempt(ex, s);
                    } catch (StatesError e) {
                        onError(ex, s, e.inState(s.name, ex.enteredEventId));
                    }
                });
                return;
            }
            for (StateDef.Catcher c : s.catchers) {
                if (matches(c.errorEquals(), err)) {
                    ObjectNode errorOutput = Json.object();
                    errorOutput.put("Error", err.error());
                    errorOutput.put("Cause", err.cause());
                    JsonNode out;
                    try {
                        out = c.resultPath().apply(ex.stateInput, errorOutput);
                        checkPayload(out, "output", s.name);
                    } catch (StatesError e) {
                        failExecution(ex, e.error(), e.inState(s.name, ex.enteredEventId).cause());
                        return;
                    }
                    recordExit(ex, s, out);
                    go(ex, c.next(), out);
                    return;
                }
            }
        }
        failExecution(ex, err.error(), err.cause());
    }

    static boolean matches(List<String> errorEquals, StatesError err) {
        return errorEquals.contains(err.error()) || errorEquals.contains(StatesError.ALL)
                || (errorEquals.contains(StatesError.TASK_FAILED) && !StatesError.TIMEOUT.equals(err.error()));
    }

    /** IntervalSeconds * BackoffRate^n, capped by MaxDelaySeconds, then FULL jitter if asked. */
    double retryDelaySeconds(StateDef.Retrier r, int retriesSoFar) {
        double d = r.intervalSeconds() * Math.pow(r.backoffRate(), retriesSoFar);
        if (r.maxDelaySeconds() != null) {
            d = Math.min(d, r.maxDelaySeconds());
        }
        return r.fullJitter() ? random.nextDouble() * d : d;
    }

    private void exit(Execution ex, StateDef s, JsonNode output) {
        recordExit(ex, s, output);
        if (s.type == StateDef.Type.Succeed || s.end) {
            ex.output = output;
            ex.event("ExecutionSucceeded", "executionSucceededEventDetails", Execution.details(
                    "output", Json.write(output), "outputDetails", Execution.notTruncated()));
            finish(ex, ExecutionStatus.SUCCEEDED);
        } else {
            go(ex, s.next, output);
        }
    }

    private static void recordExit(Execution ex, StateDef s, JsonNode output) {
        checkPayload(output, "output", s.name);
        ex.event(s.eventPrefix() + "StateExited", "stateExitedEventDetails", Execution.details(
                "name", s.name, "output", Json.write(output), "outputDetails", Execution.notTruncated()));
    }

    /** A state's input (after Parameters) or output over the quota is States.DataLimitExceeded, as in AWS. */
    private static void checkPayload(JsonNode value, String what, String stateName) {
        int size = Json.bytes(value).length;
        if (size > Execution.MAX_PAYLOAD_BYTES) {
            throw new StatesError(StatesError.DATA_LIMIT_EXCEEDED, "The " + what + " of state '" + stateName + "' is "
                    + size + " bytes, over the maximum of " + Execution.MAX_PAYLOAD_BYTES + " bytes (UTF-8)");
        }
    }

    /**
     * Runs one step of an execution. A step that would write event number 25,000 without
     * closing the execution fails it instead, as Step Functions does at its history quota.
     */
    private void step(Execution ex, Runnable body) {
        try {
            body.run();
        } catch (Execution.HistoryLimitReached e) {
            if (ex.status == ExecutionStatus.RUNNING) {
                failExecution(ex, StatesError.RUNTIME, e.getMessage());
            }
        }
    }

    private void failExecution(Execution ex, String error, String cause) {
        ex.error = error;
        ex.cause = cause;
        ex.event("ExecutionFailed", "executionFailedEventDetails",
                Execution.details("error", error, "cause", cause));
        finish(ex, ExecutionStatus.FAILED);
    }

    private void finish(Execution ex, ExecutionStatus status) {
        ex.status = status;
        ex.stopDate = ex.now();
        ex.nextToken();
        cancelTimer(ex.executionTimeout);
        cancelTimer(ex.pendingTimeout);
        ex.pending = null;
        onFinished.accept(ex);
        ex.done.complete(ex);
    }

    /** Called from API/timer threads only, never from the worker running ex's own step. */
    private static void cancelPending(Execution ex) {
        ex.nextToken();
        if (ex.pending != null) {
            ex.pending.cancel(true); // interrupts a Lambda call in progress
        }
        cancelTimer(ex.pendingTimeout);
    }

    private static void cancelTimer(Future<?> f) {
        if (f != null) {
            f.cancel(false); // never interrupt: the caller may be running on the timer thread
        }
    }

    private long scaled(double millis) {
        return Math.max(0L, Math.round(millis * timeScale));
    }
}
