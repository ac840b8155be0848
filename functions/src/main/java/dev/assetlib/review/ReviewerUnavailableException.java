package dev.assetlib.review;

/**
 * The reviewer could not answer now (throttled, a 5xx, a time-out). Transient by definition: the
 * workflow asks again later and never fails an asset for it, except at the deadline.
 */
public class ReviewerUnavailableException extends RuntimeException {
    public ReviewerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
