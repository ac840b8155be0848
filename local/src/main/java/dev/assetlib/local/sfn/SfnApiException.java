package dev.assetlib.local.sfn;

/**
 * A Step Functions API error, e.g. ExecutionDoesNotExist; the endpoint returns it as
 * HTTP 400 {"__type": type, "message": message}, like the service.
 */
public final class SfnApiException extends RuntimeException {
    private final String type;

    public SfnApiException(String type, String message) {
        super(type + ": " + message);
        this.type = type;
    }

    public String type() {
        return type;
    }
}
