package dev.assetlib.app.review;

import dev.assetlib.json.JsonCodec;
import dev.assetlib.security.Sha256;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * The one place that starts review executions. {@link #start} begins the review of a batch just
 * created, as {@code ReviewStartMode} says:
 * <ul>
 *   <li>{@code direct}: one execution per upload, named after the batch (its first asset's id,
 *       unique by construction), so a retried start never begins a second review;</li>
 *   <li>{@code shared} (issue 19): the batch is put on the review-start queue, and the starter
 *       function ({@link SharedReviewStart}) starts one execution for up to N assets of any
 *       accounts with {@link #startShared}, named after a hash of its sorted asset ids, so a
 *       redelivered batch of messages never starts a second one.</li>
 * </ul>
 * Step Functions refuses a second execution of the same name: that refusal means "already started".
 */
public final class ReviewStarter {
    /** Prefix of every shared execution's name (the hash follows). */
    public static final String SHARED_PREFIX = "review-shared-";

    private final SfnClient sfn;
    private final String stateMachineArn;
    private final ReviewStartQueue queue;

    /** Direct mode: every upload its own execution. */
    public ReviewStarter(SfnClient sfn, String stateMachineArn) {
        this(sfn, stateMachineArn, null);
    }

    /** Shared mode when {@code queue} is given: uploads are queued for the starter function. */
    public ReviewStarter(SfnClient sfn, String stateMachineArn, ReviewStartQueue queue) {
        this.sfn = sfn;
        this.stateMachineArn = stateMachineArn;
        this.queue = queue;
    }

    public boolean shared() {
        return queue != null;
    }

    public static String executionName(String batchId) {
        return "review-" + batchId;
    }

    /**
     * The name of the shared execution of these assets: the same set, in any order, gives the same
     * name (SHA-256 of the sorted ids, 40 hex digits: 54 characters, within the 80 allowed).
     */
    public static String sharedExecutionName(Collection<String> assetIds) {
        List<String> sorted = new ArrayList<>(assetIds);
        sorted.sort(null);
        return SHARED_PREFIX + Sha256.hex(String.join(",", sorted)).substring(0, 40);
    }

    /** Begins the review of a batch just created: its own execution (direct), or queued for a shared one. */
    public void start(ReviewState initial) {
        if (queue != null) {
            queue.enqueue(initial);
        } else {
            startExecution(executionName(initial.batchId()), initial);
        }
    }

    /**
     * Starts one shared execution for the reviews of {@code uploads} (any accounts); returns its
     * name. Already started (a redelivered batch) is success.
     */
    public String startShared(List<ReviewState> uploads) {
        List<String> ids = new ArrayList<>();
        uploads.forEach(u -> u.assets().forEach(p -> ids.add(p.assetId())));
        String name = sharedExecutionName(ids);
        startExecution(name, ReviewState.shared(name.substring("review-".length()), uploads));
        return name;
    }

    /**
     * The name of a batch's review after {@code attempt} restarts by the reconciler (0: the first
     * execution, {@code review-{batchId}}); each restart has a name of its own, derived, so that a
     * lost execution can be replaced while a start retried under the same name stays idempotent.
     */
    public static String executionName(String batchId, int attempt) {
        return attempt == 0 ? executionName(batchId) : executionName(batchId) + "-r" + attempt;
    }

    /**
     * Starts the execution {@code name} now (the reconciler's starts and restarts, in either mode);
     * one of that name already existing is success (it was started).
     */
    public void start(ReviewState initial, String name) {
        startExecution(name, initial);
    }

    private void startExecution(String name, ReviewState input) {
        String json = JsonCodec.write(input.toJson());
        try {
            sfn.startExecution(r -> r.stateMachineArn(stateMachineArn).name(name).input(json));
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
     * already ended, or never started, is not an error. In shared mode nothing is stopped: the
     * execution reviews other uploads too; the deleted asset is only marked (terminal), and leaves
     * the execution at its next look.
     */
    public void stop(String batchId, String cause) {
        if (queue != null) {
            return;
        }
        try {
            sfn.stopExecution(r -> r.executionArn(executionArn(batchId)).error("AssetDeleted").cause(cause));
        } catch (ExecutionDoesNotExistException gone) {
            // nothing to stop
        }
    }
}
