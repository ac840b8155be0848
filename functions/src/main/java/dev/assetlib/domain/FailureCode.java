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
    /** Direct upload: no object was PUT to the upload URL before the upload deadline. */
    public static final String UPLOAD_MISSING = "UPLOAD_MISSING";
    /** Direct upload: the object PUT is larger than the limit for its asset type. */
    public static final String UPLOAD_TOO_LARGE = "UPLOAD_TOO_LARGE";
    /** Direct upload: the object PUT is empty (0 bytes). */
    public static final String UPLOAD_EMPTY = "UPLOAD_EMPTY";
    /** The owner deleted the asset before its review ended (its completion says so). */
    public static final String DELETED = "DELETED";
    /** The upstream asset library refused the asset when it was handed over (a 4xx answer, or a per-URL refusal). */
    public static final String UPSTREAM_REFUSED = "UPSTREAM_REFUSED";


    // The media step (fetch, probe, check against the vendor's limits); each message carries the
    // measured value and the limit where there is one.
    /** The media is larger than its type's limit (its message says the limit). */
    public static final String MEDIA_TOO_LARGE = "MEDIA_TOO_LARGE";
    /** The URL's body (or the uploaded object) is empty. */
    public static final String MEDIA_EMPTY = "MEDIA_EMPTY";
    /** The URL's host is, or resolves to, a non-public address (loopback, private, metadata, ...). */
    public static final String URL_NOT_PUBLIC = "URL_NOT_PUBLIC";
    /** The URL (or a redirect) is not one the service fetches: not http/https, or with credentials. */
    public static final String URL_NOT_ALLOWED = "URL_NOT_ALLOWED";
    /** The bytes are none of the formats accepted for the declared type (or of any known format). */
    public static final String MEDIA_UNSUPPORTED_FORMAT = "MEDIA_UNSUPPORTED_FORMAT";
    /** The bytes are a known format of another asset type than the one declared. */
    public static final String MEDIA_TYPE_MISMATCH = "MEDIA_TYPE_MISMATCH";
    /** The bytes start as a known format but cannot be read through (truncated, corrupt). */
    public static final String MEDIA_UNREADABLE = "MEDIA_UNREADABLE";
    /** An image side is outside the allowed range. */
    public static final String IMAGE_DIMENSIONS = "IMAGE_DIMENSIONS";
    /** An image's width / height is outside the allowed range. */
    public static final String IMAGE_ASPECT_RATIO = "IMAGE_ASPECT_RATIO";
    /** A video or audio clip is shorter or longer than allowed. */
    public static final String MEDIA_DURATION = "MEDIA_DURATION";
    /** A video's frame rate is outside the allowed range. */
    public static final String VIDEO_FRAME_RATE = "VIDEO_FRAME_RATE";
    /** A video's pixels per frame are outside the allowed range. */
    public static final String VIDEO_RESOLUTION = "VIDEO_RESOLUTION";

    /** Direct upload: the object was replaced after its ObjectCreated event, before the service copied it. */
    public static final String UPLOAD_REPLACED = "UPLOAD_REPLACED";

    /** True for the codes above: an upstream library of ours reports the same ones, passed through as they are. */
    public static boolean isKnown(String code) {
        return REVIEW_REJECTED.equals(code) || REVIEW_TIMEOUT.equals(code) || REVIEW_ERROR.equals(code)
                || DOWNLOAD_FAILED.equals(code) || UPSTREAM_REFUSED.equals(code) || DELETED.equals(code)
                || UPLOAD_MISSING.equals(code) || UPLOAD_TOO_LARGE.equals(code) || UPLOAD_EMPTY.equals(code)
                || (code != null && MEDIA_CODES.contains(code)); // Set.of refuses null lookups
    }

    private static final java.util.Set<String> MEDIA_CODES = java.util.Set.of(MEDIA_TOO_LARGE, MEDIA_EMPTY,
            URL_NOT_PUBLIC, URL_NOT_ALLOWED, MEDIA_UNSUPPORTED_FORMAT, MEDIA_TYPE_MISMATCH, MEDIA_UNREADABLE,
            IMAGE_DIMENSIONS, IMAGE_ASPECT_RATIO, MEDIA_DURATION, VIDEO_FRAME_RATE, VIDEO_RESOLUTION, UPLOAD_REPLACED);

    private FailureCode() {
    }
}
