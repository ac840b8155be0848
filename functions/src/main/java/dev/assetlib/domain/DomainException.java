package dev.assetlib.domain;

/** A request the API refuses, with the stable code and a message that says what to change. */
public class DomainException extends RuntimeException {
    private final ErrorCode error;

    public DomainException(ErrorCode error, String message) {
        super(message);
        this.error = error;
    }

    public ErrorCode error() {
        return error;
    }
}
