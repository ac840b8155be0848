package dev.assetlib.review.upstream;

/**
 * The upstream asset library refused a request for good: a 4xx other than 429 (and other than
 * 401/403, which are our key's problem and are retried), or a non-zero {@code code} in a 2xx answer
 * that is not a throttle or a fault of its own. The message is the upstream's reason.
 */
public class UpstreamRefusedException extends RuntimeException {
    private final int httpStatus;

    public UpstreamRefusedException(int httpStatus, String message) {
        super(message);
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
