package dev.assetlib.app.review;

import dev.assetlib.json.JsonCodec;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;

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

    public void start(ReviewState initial) {
        String input = JsonCodec.write(initial.toJson());
        try {
            sfn.startExecution(r -> r.stateMachineArn(stateMachineArn)
                    .name(executionName(initial.batchId())).input(input));
        } catch (ExecutionAlreadyExistsException alreadyStarted) {
            // The review of this batch is already running or done: starting it was the goal.
        }
    }

    /** The ARN of a batch's review execution (derived from the state machine's ARN and the name). */
    public String executionArn(String batchId) {
        return stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + executionName(batchId);
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
