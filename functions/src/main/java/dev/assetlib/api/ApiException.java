package dev.assetlib.api;

/** A request the API refuses, with the stable code and a message that says what to change. */
public class ApiException extends RuntimeException {
    private final ErrorCode error;

    public ApiException(ErrorCode error, String message) {
        super(message);
        this.error = error;
    }

    public ErrorCode error() {
        return error;
    }
}
