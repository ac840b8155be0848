package dev.assetlib.store;

import dev.assetlib.domain.AssetStatus;
import dev.assetlib.domain.AssetType;

/**
 * What an upload asks the store to create; the store gives it an id. With {@code directUpload} the
 * asset has no media yet: its url is the S3 location its object will have (known once the id is),
 * and it is marked as awaiting that object.
 */
public record NewAsset(AssetType assetType, String url, String name, AssetStatus initialStatus, DirectUpload directUpload) {

    public NewAsset(AssetType assetType, String url, String name, AssetStatus initialStatus) {
        this(assetType, url, name, initialStatus, null);
    }

    /** An asset whose media the client will PUT to {@code s3://bucket/uploads/{account}/{assetId}}. */
    public record DirectUpload(String bucket, String contentType) {
    }
}
