package dev.assetlib.domain;

/**
 * What the media step measured of an asset's bytes (the public {@code media} object; null fields do
 * not apply to the format), and where the service's private copy lives ({@code storedKey} in the
 * media bucket, never shown to clients).
 */
public record AssetMedia(String format, long bytes, String sha256, Integer width, Integer height, Long durationMs,
                         Double fps, String storedKey, String videoCodec, String reviewKey) {
    /**
     * @param videoCodec the video track's sample entry (avc1, hvc1, ...), for a reviewer that reads only some codecs
     * @param reviewKey  the key of a JPEG rendition made for review (formats or sizes Rekognition does not read), or null
     */
    public AssetMedia(String format, long bytes, String sha256, Integer width, Integer height, Long durationMs,
                      Double fps, String storedKey) {
        this(format, bytes, sha256, width, height, durationMs, fps, storedKey, null, null);
    }

    /** The object a reviewer reads: the rendition made for review when there is one, else the copy. */
    public String reviewedKey() {
        return reviewKey != null ? reviewKey : storedKey;
    }
}
