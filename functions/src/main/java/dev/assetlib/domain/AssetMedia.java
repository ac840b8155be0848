package dev.assetlib.domain;

/**
 * What the media step measured of an asset's bytes (the public {@code media} object; null fields do
 * not apply to the format), and where the service's private copy lives ({@code storedKey} in the
 * media bucket, never shown to clients).
 */
public record AssetMedia(String format, long bytes, String sha256, Integer width, Integer height, Long durationMs,
                         Double fps, String storedKey) {
}
