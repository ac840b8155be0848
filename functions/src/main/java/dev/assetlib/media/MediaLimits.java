package dev.assetlib.media;

import dev.assetlib.domain.AssetType;
import dev.assetlib.domain.ByteSizes;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What the model vendor accepts (api-contract.md, "Media that the upstream model platform
 * accepts"), per asset type, each value overridable from the environment (names below, declared as
 * template parameters). Sizes in bytes, durations in seconds; ranges are inclusive, except the
 * image size, which must be under its limit.
 */
public record MediaLimits(Set<MediaFormat> imageFormats, long imageMaxBytesExclusive, int imageMinSide, int imageMaxSide,
                          double imageMinAspect, double imageMaxAspect,
                          Set<MediaFormat> videoFormats, long videoMaxBytes, double videoMinSeconds, double videoMaxSeconds,
                          double videoMinFps, double videoMaxFps, long videoMinPixels, long videoMaxPixels,
                          Set<MediaFormat> audioFormats, long audioMaxBytes, double audioMinSeconds, double audioMaxSeconds,
                          long documentMaxBytes) {
    public static final String IMAGE_FORMATS = "MEDIA_IMAGE_FORMATS";
    public static final String IMAGE_MAX_BYTES = "MEDIA_IMAGE_MAX_BYTES";
    public static final String IMAGE_MIN_SIDE_PX = "MEDIA_IMAGE_MIN_SIDE_PX";
    public static final String IMAGE_MAX_SIDE_PX = "MEDIA_IMAGE_MAX_SIDE_PX";
    public static final String IMAGE_MIN_ASPECT = "MEDIA_IMAGE_MIN_ASPECT";
    public static final String IMAGE_MAX_ASPECT = "MEDIA_IMAGE_MAX_ASPECT";
    public static final String VIDEO_FORMATS = "MEDIA_VIDEO_FORMATS";
    public static final String VIDEO_MAX_BYTES = "MEDIA_VIDEO_MAX_BYTES";
    public static final String VIDEO_MIN_SECONDS = "MEDIA_VIDEO_MIN_SECONDS";
    public static final String VIDEO_MAX_SECONDS = "MEDIA_VIDEO_MAX_SECONDS";
    public static final String VIDEO_MIN_FPS = "MEDIA_VIDEO_MIN_FPS";
    public static final String VIDEO_MAX_FPS = "MEDIA_VIDEO_MAX_FPS";
    public static final String VIDEO_MIN_PIXELS = "MEDIA_VIDEO_MIN_PIXELS";
    public static final String VIDEO_MAX_PIXELS = "MEDIA_VIDEO_MAX_PIXELS";
    public static final String AUDIO_FORMATS = "MEDIA_AUDIO_FORMATS";
    public static final String AUDIO_MAX_BYTES = "MEDIA_AUDIO_MAX_BYTES";
    public static final String AUDIO_MIN_SECONDS = "MEDIA_AUDIO_MIN_SECONDS";
    public static final String AUDIO_MAX_SECONDS = "MEDIA_AUDIO_MAX_SECONDS";
    public static final String DOCUMENT_MAX_BYTES = "MEDIA_DOCUMENT_MAX_BYTES";
    /** Every variable read by {@link #fromEnv}, for the template and the docs. */
    public static final Set<String> ENV_NAMES = Set.of(IMAGE_FORMATS, IMAGE_MAX_BYTES, IMAGE_MIN_SIDE_PX, IMAGE_MAX_SIDE_PX,
            IMAGE_MIN_ASPECT, IMAGE_MAX_ASPECT, VIDEO_FORMATS, VIDEO_MAX_BYTES, VIDEO_MIN_SECONDS, VIDEO_MAX_SECONDS,
            VIDEO_MIN_FPS, VIDEO_MAX_FPS, VIDEO_MIN_PIXELS, VIDEO_MAX_PIXELS, AUDIO_FORMATS, AUDIO_MAX_BYTES,
            AUDIO_MIN_SECONDS, AUDIO_MAX_SECONDS, DOCUMENT_MAX_BYTES);

    private static final long MB = ByteSizes.MB;

    public MediaLimits {
        imageFormats = Set.copyOf(imageFormats);
        videoFormats = Set.copyOf(videoFormats);
        audioFormats = Set.copyOf(audioFormats);
        require(imageMinSide >= 1 && imageMinSide <= imageMaxSide, "image sides: min must be 1 to max");
        require(imageMinAspect > 0 && imageMinAspect <= imageMaxAspect, "image aspect: min must be above 0 and at most max");
        require(videoMinSeconds >= 0 && videoMinSeconds <= videoMaxSeconds, "video seconds: min must be 0 to max");
        require(videoMinFps >= 0 && videoMinFps <= videoMaxFps, "video fps: min must be 0 to max");
        require(videoMinPixels >= 0 && videoMinPixels <= videoMaxPixels, "video pixels: min must be 0 to max");
        require(audioMinSeconds >= 0 && audioMinSeconds <= audioMaxSeconds, "audio seconds: min must be 0 to max");
        require(imageMaxBytesExclusive > 0 && videoMaxBytes > 0 && audioMaxBytes > 0 && documentMaxBytes > 0, "sizes must be positive");
    }

    /** The vendor's published limits; documents (no published limit) up to 50 MB, as for direct uploads. */
    public static MediaLimits vendorDefaults() {
        return new MediaLimits(
                EnumSet.of(MediaFormat.JPEG, MediaFormat.PNG, MediaFormat.WEBP, MediaFormat.BMP, MediaFormat.TIFF, MediaFormat.GIF),
                30 * MB, 300, 6000, 0.4, 2.5,
                EnumSet.of(MediaFormat.MP4, MediaFormat.MOV), 50 * MB, 2, 15, 24, 60, 409_600, 2_086_876,
                EnumSet.of(MediaFormat.WAV, MediaFormat.MP3), 15 * MB, 2, 15,
                50 * MB);
    }

    /** The defaults with what the environment sets; a malformed or inconsistent value fails at once (cold start). */
    public static MediaLimits fromEnv(Map<String, String> env) {
        MediaLimits d = vendorDefaults();
        Function<String, String> get = env::get;
        return new MediaLimits(
                formats(get, IMAGE_FORMATS, d.imageFormats, AssetType.Image),
                longValue(get, IMAGE_MAX_BYTES, d.imageMaxBytesExclusive),
                (int) longValue(get, IMAGE_MIN_SIDE_PX, d.imageMinSide),
                (int) longValue(get, IMAGE_MAX_SIDE_PX, d.imageMaxSide),
                doubleValue(get, IMAGE_MIN_ASPECT, d.imageMinAspect),
                doubleValue(get, IMAGE_MAX_ASPECT, d.imageMaxAspect),
                formats(get, VIDEO_FORMATS, d.videoFormats, AssetType.Video),
                longValue(get, VIDEO_MAX_BYTES, d.videoMaxBytes),
                doubleValue(get, VIDEO_MIN_SECONDS, d.videoMinSeconds),
                doubleValue(get, VIDEO_MAX_SECONDS, d.videoMaxSeconds),
                doubleValue(get, VIDEO_MIN_FPS, d.videoMinFps),
                doubleValue(get, VIDEO_MAX_FPS, d.videoMaxFps),
                longValue(get, VIDEO_MIN_PIXELS, d.videoMinPixels),
                longValue(get, VIDEO_MAX_PIXELS, d.videoMaxPixels),
                formats(get, AUDIO_FORMATS, d.audioFormats, AssetType.Audio),
                longValue(get, AUDIO_MAX_BYTES, d.audioMaxBytes),
                doubleValue(get, AUDIO_MIN_SECONDS, d.audioMinSeconds),
                doubleValue(get, AUDIO_MAX_SECONDS, d.audioMaxSeconds),
                longValue(get, DOCUMENT_MAX_BYTES, d.documentMaxBytes));
    }

    /** The most bytes a fetch of this type may read before it stops (MEDIA_TOO_LARGE past it). */
    public long fetchLimit(AssetType type) {
        return switch (type) {
            case Image -> imageMaxBytesExclusive;
            case Video -> videoMaxBytes;
            case Audio -> audioMaxBytes;
            case Document -> documentMaxBytes;
        };
    }

    public Set<MediaFormat> formats(AssetType type) {
        return switch (type) {
            case Image -> imageFormats;
            case Video -> videoFormats;
            case Audio -> audioFormats;
            case Document -> EnumSet.allOf(MediaFormat.class);
        };
    }

    private static Set<MediaFormat> formats(Function<String, String> env, String name, Set<MediaFormat> fallback, AssetType kind) {
        String v = env.apply(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        Map<String, MediaFormat> byName = Arrays.stream(MediaFormat.values()).filter(f -> f.kind() == kind)
                .collect(Collectors.toMap(MediaFormat::wireName, f -> f));
        EnumSet<MediaFormat> out = EnumSet.noneOf(MediaFormat.class);
        for (String part : v.split(",")) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            MediaFormat f = byName.get(p);
            if (f == null) {
                throw new IllegalStateException(name + ": \"" + part.trim() + "\" is not a " + kind + " format (known: "
                        + String.join(", ", new java.util.TreeSet<>(byName.keySet())) + ")");
            }
            out.add(f);
        }
        return out;
    }

    private static long longValue(Function<String, String> env, String name, long fallback) {
        String v = env.apply(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(name + " \"" + v + "\" is not a whole number");
        }
    }

    private static double doubleValue(Function<String, String> env, String name, double fallback) {
        String v = env.apply(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalStateException(name + " \"" + v + "\" is not a number");
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException("media limits: " + message);
        }
    }
}
