package dev.assetlib.media;

/**
 * What the probe measured, as it applies to the format (null where it does not): the asset's
 * {@code media} object. {@code sha256} is the hex SHA-256 of the bytes (set by whoever hashed them).
 */
public record MediaFacts(MediaFormat format, long bytes, String sha256, Integer width, Integer height,
                         Long durationMs, Double fps, String videoCodec, String audioCodec,
                         Integer audioSampleRate, Integer audioChannels) {

    public static MediaFacts image(MediaFormat format, long bytes, int width, int height) {
        return new MediaFacts(format, bytes, null, width, height, null, null, null, null, null, null);
    }

    public static MediaFacts audio(MediaFormat format, long bytes, long durationMs, String codec, int sampleRate, int channels) {
        return new MediaFacts(format, bytes, null, null, null, durationMs, null, null, codec, sampleRate, channels);
    }

    public static MediaFacts other(MediaFormat format, long bytes) {
        return new MediaFacts(format, bytes, null, null, null, null, null, null, null, null, null);
    }

    public MediaFacts withSha256(String hex) {
        return new MediaFacts(format, bytes, hex, width, height, durationMs, fps, videoCodec, audioCodec, audioSampleRate, audioChannels);
    }

    /** width x height, or null when either is unknown. */
    public Long pixels() {
        return width == null || height == null ? null : (long) width * height;
    }
}
