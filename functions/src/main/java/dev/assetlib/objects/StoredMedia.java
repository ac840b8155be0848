package dev.assetlib.objects;

/** The service's private copy of an asset's bytes. */
public record StoredMedia(String bucket, String key, String eTag, String versionId, long bytes, String sha256,
                          String reviewKey) {
    public StoredMedia(String bucket, String key, String eTag, String versionId, long bytes, String sha256) {
        this(bucket, key, eTag, versionId, bytes, sha256, null);
    }

    /** The same copy with the key of the JPEG rendition made for review beside it (ReviewRendition). */
    public StoredMedia withReviewKey(String key) {
        return new StoredMedia(bucket, this.key, eTag, versionId, bytes, sha256, key);
    }
}
