package dev.assetlib.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * One execution: its status, its history (events shaped like GetExecutionHistory's) and where
 * it stands. Mutated only under its own monitor by {@link Interpreter}; async continuations
 * carry a token and are dropped if the execution moved on (stopped, timed out) meanwhile.
 */
final class Execution {
    /** Step Functions' hard quota of events in one execution's history. */
    static final int MAX_HISTORY_EVENTS = 25_000;
    /** Step Functions' quota on a state's input or output and a task's result (UTF-8 bytes). */
    static final int MAX_PAYLOAD_BYTES = 262_144;
    private static final java.util.Set<String> CLOSING_EVENTS = java.util.Set.of(
            "ExecutionSucceeded", "ExecutionFailed", "ExecutionAborted", "ExecutionTimedOut");

    /**
     * Thrown when one more event would take the history to its quota without ending the
     * execution: as in AWS, event number 25,000 can only be the one that closes it, so the
     * interpreter fails the execution there (ExecutionFailed, States.Runtime).
     */
    static final class HistoryLimitReached extends RuntimeException {
        HistoryLimitReached() {
            super("The execution reached the maximum number of history events (" + MAX_HISTORY_EVENTS + ")",
                    null, false, false);
        }
    }

    final String arn;
    final String name;
    final StateMachine stateMachine;
    final String inputText;
    final JsonNode input;
    final Instant startDate;
    private final Clock clock;

    private final List<ObjectNode> events = new ArrayList<>();
    final CompletableFuture<Execution> done = new CompletableFuture<>();

    volatile ExecutionStatus status = ExecutionStatus.RUNNING;
    Instant stopDate;
    JsonNode output;
    String error;
    String cause;

    // Where the execution stands.
    volatile String currentState;
    JsonNode stateInput;
    long enteredEventId;
    Instant enteredTime;
    int[] retryCounts = new int[0];
    int retryCount;
    int taskAttempt;
    long stateTransitions;

    private long token;
    Future<?> pending;
    Future<?> pendingTimeout;
    Future<?> executionTimeout;

    Execution(String arn, String name, StateMachine sm, String inputText, JsonNode input, Clock clock) {
        this.arn = arn;
        this.name = name;
        this.stateMachine = sm;
        this.inputText = inputText;
        this.input = input;
        this.clock = clock;
        this.startDate = clock.instant();
    }

    long nextToken() {
        return ++token;
    }

    boolean isCurrent(long t) {
        return status == ExecutionStatus.RUNNING && token == t;
    }

    /** Appends an event; details may be null (e.g. LambdaFunctionStarted has none). */
    long event(String type, String detailsField, ObjectNode details) {
        if (events.size() >= MAX_HISTORY_EVENTS - 1 && !CLOSING_EVENTS.contains(type)) {
            throw new HistoryLimitReached();
        }
        ObjectNode e = Json.object();
        e.put("timestamp", Json.epochSeconds(clock.instant()));
        e.put("type", type);
        long id = events.size() + 1;
        e.put("id", id);
        e.put("previousEventId", id - 1);
        if (details != null) {
            e.set(detailsField, details);
        }
        events.add(e);
        return id;
    }

    synchronized List<ObjectNode> events() {
        return List.copyOf(events);
    }

    synchronized int eventCount() {
        return events.size();
    }

    /** The context object ($$) as seen by the current state. */
    JsonNode context() {
        ObjectNode ctx = Json.object();
        ObjectNode ex = ctx.putObject("Execution");
        ex.put("Id", arn);
        ex.set("Input", input);
        ex.put("Name", name);
        ex.put("RoleArn", stateMachine.roleArn());
        ex.put("StartTime", Json.timestamp(startDate));
        ex.put("RedriveCount", 0);
        ObjectNode st = ctx.putObject("State");
        st.put("EnteredTime", enteredTime == null ? null : Json.timestamp(enteredTime));
        st.put("Name", currentState);
        st.put("RetryCount", retryCount);
        ObjectNode sm = ctx.putObject("StateMachine");
        sm.put("Id", stateMachine.arn());
        sm.put("Name", stateMachine.name());
        return ctx;
    }

    Instant now() {
        return clock.instant();
    }

    static ObjectNode details(Object... kv) {
        ObjectNode d = Json.object();
        for (int i = 0; i < kv.length; i += 2) {
            Object v = kv[i + 1];
            if (v == null) {
                continue;
            }
            if (v instanceof JsonNode n) {
                d.set((String) kv[i], n);
            } else if (v instanceof Number n) {
                d.put((String) kv[i], n.longValue());
            } else {
                d.put((String) kv[i], v.toString());
            }
        }
        return d;
    }

    static ObjectNode notTruncated() {
        ObjectNode d = Json.object();
        d.put("truncated", false);
        return d;
    }
}
