package dev.assetlib.local.sfn;

/**
 * A state error with its Step Functions name and cause. {@code States.Runtime} and
 * {@code States.DataLimitExceeded} are neither retriable nor catchable (not even by States.ALL),
 * as in AWS; everything else is.
 */
final class StatesError extends RuntimeException {
    static final String RUNTIME = "States.Runtime";
    static final String TIMEOUT = "States.Timeout";
    static final String ALL = "States.ALL";
    static final String TASK_FAILED = "States.TaskFailed";
    static final String PARAMETER_PATH_FAILURE = "States.ParameterPathFailure";
    static final String INTRINSIC_FAILURE = "States.IntrinsicFailure";
    static final String NO_CHOICE_MATCHED = "States.NoChoiceMatched";
    /** A state's input (after Parameters), output or task result over 262,144 UTF-8 bytes: terminal, as in AWS. */
    static final String DATA_LIMIT_EXCEEDED = "States.DataLimitExceeded";

    private final String error;
    private final String errorCause;

    StatesError(String error, String cause) {
        super(error + ": " + cause, null, false, false);
        this.error = error;
        this.errorCause = cause;
    }

    static StatesError runtime(String cause) {
        return new StatesError(RUNTIME, cause);
    }

    String error() {
        return error;
    }

    String cause() {
        return errorCause;
    }

    boolean isTerminal() {
        return RUNTIME.equals(error) || DATA_LIMIT_EXCEEDED.equals(error);
    }

    /** Prefixes the cause the way AWS does when a state's data processing fails. */
    StatesError inState(String stateName, long enteredEventId) {
        return new StatesError(error, "An error occurred while executing the state '" + stateName
                + "' (entered at the event id #" + enteredEventId + "). " + errorCause);
    }
}
