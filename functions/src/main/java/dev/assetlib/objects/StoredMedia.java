package dev.assetlib.objects;

/** The service's private copy of an asset's bytes. */
public record StoredMedia(String bucket, String key, String eTag, String versionId, long bytes, String sha256) {
}
