package dev.assetlib.store;

/** DynamoDB could not be reached or kept throttling after the SDK's own retries: try again later. */
public class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
