package dev.assetlib.domain;

/**
 * Stable reasons a review ends {@code Failed}, stored on the asset and sent in its completion
 * message. Clients may switch on these strings: never rename one.
 */
public final class FailureCode {
    /** The reviewer refused the media (sensitive content, several faces, ...). */
    public static final String REVIEW_REJECTED = "REVIEW_REJECTED";
    /** The reviewer did not decide before the deadline. */
    public static final String REVIEW_TIMEOUT = "REVIEW_TIMEOUT";
    /** The review could not be carried out (a fault that retries did not cure). */
    public static final String REVIEW_ERROR = "REVIEW_ERROR";
    /** The reviewer could not download the media from its URL. */
    public static final String DOWNLOAD_FAILED = "DOWNLOAD_FAILED";
    /** The owner deleted the asset before its review ended (its completion says so). */
    public static final String DELETED = "DELETED";
    /** The upstream asset library refused the asset when it was handed over (a 4xx answer, or a per-URL refusal). */
    public static final String UPSTREAM_REFUSED = "UPSTREAM_REFUSED";

    /** True for the codes above: an upstream library of ours reports the same ones, passed through as they are. */
    public static boolean isKnown(String code) {
        return REVIEW_REJECTED.equals(code) || REVIEW_TIMEOUT.equals(code) || REVIEW_ERROR.equals(code)
                || DOWNLOAD_FAILED.equals(code) || UPSTREAM_REFUSED.equals(code) || DELETED.equals(code);
    }

    private FailureCode() {
    }
}
