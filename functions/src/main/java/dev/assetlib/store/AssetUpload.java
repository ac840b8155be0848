package dev.assetlib.store;

import dev.assetlib.domain.Asset;

/**
 * A direct-upload asset and what is known of its object: {@code received} once the ObjectCreated
 * event was recorded, with the object's size and location, and the {@code eTag} and
 * {@code versionId} that event named (null when the event had none: {@code versionId} is null in an
 * unversioned bucket). The media step copies the object pinned to them, so an object that is not
 * the one the event named is never taken (the first recorded event wins: later ones are ignored).
 */
public record AssetUpload(Asset asset, boolean received, long sizeBytes, String location, String eTag, String versionId) {
    public AssetUpload(Asset asset, boolean received, long sizeBytes, String location) {
        this(asset, received, sizeBytes, location, null, null);
    }

    /** The bucket of {@link #location()} ({@code s3://bucket/key}). */
    public String bucket() {
        String rest = location.substring("s3://".length());
        return rest.substring(0, rest.indexOf('/'));
    }

    /** The object key of {@link #location()}. */
    public String key() {
        String rest = location.substring("s3://".length());
        return rest.substring(rest.indexOf('/') + 1);
    }
}
