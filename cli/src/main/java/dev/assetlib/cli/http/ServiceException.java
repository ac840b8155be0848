package dev.assetlib.cli.http;

/**
 * The service answered with an error: its HTTP status, its {@code code} and its {@code msg} as
 * it is (exit status 3 unless a command reads it as a per-asset outcome).
 */
public final class ServiceException extends RuntimeException {
    private final int httpStatus;
    private final String code;
    private final String serviceMessage;
    private final String request;

    public ServiceException(int httpStatus, String code, String serviceMessage, String request) {
        super("HTTP " + httpStatus + (code == null ? "" : " (code " + code + ")") + " from " + request + ": " + serviceMessage);
        this.httpStatus = httpStatus;
        this.code = code;
        this.serviceMessage = serviceMessage;
        this.request = request;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The envelope's {@code code} as text (the service types it per route), or null if there was none. */
    public String code() {
        return code;
    }

    public String serviceMessage() {
        return serviceMessage;
    }

    public String request() {
        return request;
    }
}
