package dev.assetlib.fetch;

import dev.assetlib.domain.FailureCode;

/** The failure codes a fetch ends with (the same strings as {@link FailureCode}). */
final class FetchCodes {
    static final String DOWNLOAD_FAILED = FailureCode.DOWNLOAD_FAILED;
    static final String MEDIA_TOO_LARGE = FailureCode.MEDIA_TOO_LARGE;
    static final String MEDIA_EMPTY = FailureCode.MEDIA_EMPTY;
    static final String URL_NOT_PUBLIC = FailureCode.URL_NOT_PUBLIC;
    static final String URL_NOT_ALLOWED = FailureCode.URL_NOT_ALLOWED;

    private FetchCodes() {
    }
}
