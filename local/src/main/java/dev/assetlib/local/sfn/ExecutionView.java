package dev.assetlib.local.sfn;

import java.time.Instant;

/**
 * A snapshot of an execution, with what DescribeExecution returns plus the state it is in and
 * its count of state transitions (states entered plus retries, as AWS bills them).
 */
public record ExecutionView(String executionArn, String stateMachineArn, String name,
        ExecutionStatus status, Instant startDate, Instant stopDate, String input, String output,
        String error, String cause, String currentState, long stateTransitions) {

    static ExecutionView of(Execution ex) {
        synchronized (ex) {
            return new ExecutionView(ex.arn, ex.stateMachine.arn(), ex.name, ex.status, ex.startDate,
                    ex.stopDate, ex.inputText, ex.output == null ? null : Json.write(ex.output), ex.error,
                    ex.cause, ex.currentState, ex.stateTransitions);
        }
    }
}
