package dev.assetlib.app.review;

import dev.assetlib.json.JsonCodec;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * Starts the review state machine for a batch. The execution is named after the batch (its first
 * asset's id, unique by construction), so a retried start can never begin a second review: Step
 * Functions refuses a second execution of the same name.
 */
public final class ReviewStarter {
    private final SfnClient sfn;
    private final String stateMachineArn;

    public ReviewStarter(SfnClient sfn, String stateMachineArn) {
        this.sfn = sfn;
        this.stateMachineArn = stateMachineArn;
    }

    public static String executionName(String batchId) {
        return "review-" + batchId;
    }

    /**
     * The name of a batch's review after {@code attempt} restarts by the reconciler (0: the first
     * execution, {@code review-{batchId}}); each restart has a name of its own, derived, so that a
     * lost execution can be replaced while a start retried under the same name stays idempotent.
     */
    public static String executionName(String batchId, int attempt) {
        return attempt == 0 ? executionName(batchId) : executionName(batchId) + "-r" + attempt;
    }

    public void start(ReviewState initial) {
        start(initial, executionName(initial.batchId()));
    }

    /** Starts the execution {@code name}; one of that name already existing is success (it was started). */
    public void start(ReviewState initial, String name) {
        String input = JsonCodec.write(initial.toJson());
        try {
            sfn.startExecution(r -> r.stateMachineArn(stateMachineArn).name(name).input(input));
        } catch (ExecutionAlreadyExistsException alreadyStarted) {
            // The review of this batch is already running or done: starting it was the goal.
        }
    }

    /** Whether execution {@code name} is running (false: it ended, or it does not exist, e.g. lost in a restart). */
    public boolean isRunning(String name) {
        try {
            return sfn.describeExecution(r -> r.executionArn(arnOf(name))).status() == ExecutionStatus.RUNNING;
        } catch (ExecutionDoesNotExistException gone) {
            return false;
        }
    }

    /** The ARN of a batch's review execution (derived from the state machine's ARN and the name). */
    public String executionArn(String batchId) {
        return arnOf(executionName(batchId));
    }

    private String arnOf(String name) {
        return stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + name;
    }

    /**
     * Stops a batch's review (a delete of the only asset it reviews). Stopping one that has
     * already ended, or never started, is not an error.
     */
    public void stop(String batchId, String cause) {
        try {
            sfn.stopExecution(r -> r.executionArn(executionArn(batchId)).error("AssetDeleted").cause(cause));
        } catch (ExecutionDoesNotExistException gone) {
            // nothing to stop
        }
    }
}
