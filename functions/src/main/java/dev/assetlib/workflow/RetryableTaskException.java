package dev.assetlib.workflow;

/**
 * A task failed for a reason that a later attempt may not meet (DynamoDB or SQS unavailable). The
 * state machine retries this error by its fully qualified name with backoff and jitter before it
 * gives up and fails the assets.
 */
public class RetryableTaskException extends RuntimeException {
    public RetryableTaskException(String message, Throwable cause) {
        super(message, cause);
    }
}
