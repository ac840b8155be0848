package dev.assetlib.review;

import dev.assetlib.domain.AssetMedia;
import dev.assetlib.domain.AssetType;

/**
 * What a reviewer is given for one asset: the client's {@code url} (what rules and people see as
 * its origin), the probed {@code media} facts and {@code copyUrl}, a short-lived presigned GET of
 * the service's stored copy (both null for an asset the media step has not inspected, such as a
 * direct upload). A reviewer that reads the bytes reads {@link #fetchUrl()}.
 */
public record ReviewItem(String accountId, String assetId, AssetType assetType, String url, AssetMedia media,
                         String copyUrl) {
    public ReviewItem(String accountId, String assetId, AssetType assetType, String url) {
        this(accountId, assetId, assetType, url, null, null);
    }

    /** Where the bytes are read: the stored copy when there is one, never the client's URL again. */
    public String fetchUrl() {
        return copyUrl != null ? copyUrl : url;
    }
}
