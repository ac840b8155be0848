package dev.assetlib.domain;

/**
 * The stable, documented error codes of the API, each with its HTTP status. Clients may switch on
 * the number: never renumber one (README lists them).
 */
public enum ErrorCode {
    BODY_MISSING(40001, 400),
    BODY_NOT_JSON(40002, 400),
    BODY_NOT_OBJECT(40003, 400),
    ASSET_TYPE_INVALID(40010, 400),
    URL_INVALID(40011, 400),
    NAME_INVALID(40012, 400),
    ASSET_ID_INVALID(40013, 400),
    REUSE_INVALID(40014, 400),
    /** The Idempotency-Key header of an upload route, or the idempotencyKey field of an ingest message. */
    IDEMPOTENCY_KEY_INVALID(40015, 400),
    /** The upload URL route's contentType (40014 was taken by REUSE_INVALID first). */
    CONTENT_TYPE_INVALID(40016, 400),
    URL_LISTS_INVALID(40020, 400),
    TOO_MANY_URLS(40021, 400),
    ASSET_IDS_INVALID(40022, 400),
    LIST_PARAMETER_INVALID(40030, 400),
    NEXT_TOKEN_INVALID(40031, 400),
    REFERENCE_REQUEST_INVALID(40040, 400),
    REVIEW_DECISION_INVALID(40070, 400),
    REVIEW_REASON_INVALID(40071, 400),
    REVIEW_LIMIT_INVALID(40072, 400),
    REVIEW_NEXT_TOKEN_INVALID(40073, 400),
    // webhooks (docs/webhooks.md)
    WEBHOOK_URL_INVALID(40080, 400),
    WEBHOOK_EVENTS_INVALID(40081, 400),
    WEBHOOK_ID_INVALID(40082, 400),
    WEBHOOK_NOT_FOUND(40402, 404),
    WEBHOOK_DELIVERY_NOT_FOUND(40403, 404),
    WEBHOOK_LIMIT_REACHED(40910, 409),
    UNAUTHORIZED(40100, 401),
    FORBIDDEN(40300, 403),
    /** An upload over one of the account's quotas (docs/quotas.md): refused whole. */
    QUOTA_EXCEEDED(40302, 403),
    ASSET_NOT_FOUND(40400, 404),
    ROUTE_NOT_FOUND(40401, 404),
    CONFLICT(40900, 409),
    IDEMPOTENCY_KEY_REUSED(40901, 409),
    IDEMPOTENCY_IN_PROGRESS(40902, 409),
    BODY_TOO_LARGE(41300, 413),
    /** Over the account's rate limit for the route's class (docs/quotas.md); Retry-After says when to retry. */
    THROTTLED(42900, 429),
    INTERNAL(50000, 500),
    UNAVAILABLE(50300, 503);

    private final int code;
    private final int httpStatus;

    ErrorCode(int code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    public int code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
