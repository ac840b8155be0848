package dev.assetlib.domain;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a direct upload may be, per asset type: its content types (the formats the upstream model
 * platform accepts) and its largest size. A presigned PUT binds the content type (S3 refuses a PUT
 * with another one) but cannot bound the size by itself, so the size is judged from the
 * ObjectCreated event: an object over the limit fails its asset with {@link FailureCode#UPLOAD_TOO_LARGE}.
 */
public final class UploadLimits {
    private static final long MB = 1024L * 1024L;
    private static final Map<AssetType, Long> MAX_BYTES = Map.of(
            AssetType.Image, 30 * MB,
            AssetType.Video, 50 * MB,
            AssetType.Audio, 15 * MB,
            // No published limit for documents: ours, to keep the review and the bucket bounded.
            AssetType.Document, 50 * MB);
    private static final Map<AssetType, Set<String>> CONTENT_TYPES = Map.of(
            AssetType.Image, Set.of("image/jpeg", "image/png", "image/webp", "image/bmp", "image/tiff", "image/gif"),
            AssetType.Video, Set.of("video/mp4", "video/quicktime"),
            AssetType.Audio, Set.of("audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave", "audio/mpeg", "audio/mp3"));
    private static final Pattern MEDIA_TYPE = Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}");

    private UploadLimits() {
    }

    public static long maxBytes(AssetType type) {
        return MAX_BYTES.get(type);
    }

    /** Empty when {@code contentType} fits the type, otherwise what to send instead. */
    public static Optional<String> contentTypeProblem(AssetType type, String contentType) {
        String normalized = contentType == null ? "" : contentType.trim().toLowerCase(Locale.ROOT);
        if (!MEDIA_TYPE.matcher(normalized).matches() || !normalized.equals(contentType)) {
            return Optional.of("contentType \"" + contentType + "\" is not a lowercase media type such as "
                    + example(type) + " (no parameters)");
        }
        Set<String> allowed = CONTENT_TYPES.get(type);
        if (allowed != null && !allowed.contains(normalized)) {
            return Optional.of("contentType \"" + contentType + "\" is not accepted for " + type + ": use one of "
                    + String.join(", ", allowed.stream().sorted().toList()));
        }
        return Optional.empty();
    }

    private static String example(AssetType type) {
        return switch (type) {
            case Image -> "image/png";
            case Video -> "video/mp4";
            case Audio -> "audio/mpeg";
            case Document -> "application/pdf";
        };
    }
}
