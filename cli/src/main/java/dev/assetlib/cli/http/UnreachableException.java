package dev.assetlib.cli.http;

/** No answer from the endpoint at all (refused, unknown host, time-out, reset): exit status 3. */
public final class UnreachableException extends RuntimeException {
    private final String endpoint;

    public UnreachableException(String endpoint, String what, Throwable cause) {
        super("cannot reach " + endpoint + " (" + what + "): check the endpoint (--endpoint, ASSETLIB_ENDPOINT or "
                + "`assetlib configure`) and that the service is running", cause);
        this.endpoint = endpoint;
    }

    public String endpoint() {
        return endpoint;
    }
}
