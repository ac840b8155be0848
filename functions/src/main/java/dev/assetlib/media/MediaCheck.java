package dev.assetlib.media;

import dev.assetlib.domain.AssetType;
import dev.assetlib.domain.ByteSizes;
import dev.assetlib.domain.FailureCode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Judges probed media against {@link MediaLimits} for the declared asset type: the first problem
 * found, with the measured value and the limit in its message, or empty when the media passes.
 */
public final class MediaCheck {
    private final MediaLimits limits;

    public MediaCheck(MediaLimits limits) {
        this.limits = limits;
    }

    public MediaLimits limits() {
        return limits;
    }

    /** Judges what the probe said (an unreadable file is a problem by itself). */
    public Optional<MediaProblem> check(AssetType declared, ProbeResult probe) {
        if (probe instanceof ProbeResult.Unreadable u) {
            if (declared != AssetType.Document && u.format().kind() != null && u.format().kind() != declared) {
                return mismatch(declared, u.format());
            }
            return declared == AssetType.Document ? Optional.empty()
                    : problem(FailureCode.MEDIA_UNREADABLE, u.reason());
        }
        return check(declared, ((ProbeResult.Probed) probe).facts());
    }

    public Optional<MediaProblem> check(AssetType declared, MediaFacts f) {
        MediaFormat format = f.format();
        if (declared == AssetType.Document) {
            return f.bytes() > limits.documentMaxBytes()
                    ? problem(FailureCode.MEDIA_TOO_LARGE, "document is " + size(f.bytes()) + "; at most "
                    + ByteSizes.describe(limits.documentMaxBytes()) + " is accepted")
                    : Optional.empty();
        }
        if (format.kind() != null && format.kind() != declared && format.kind() != AssetType.Document) {
            return mismatch(declared, format);
        }
        if (!limits.formats(declared).contains(format)) {
            return problem(FailureCode.MEDIA_UNSUPPORTED_FORMAT, "the file is " + format.description() + "; " + declared
                    + " accepts " + limits.formats(declared).stream().map(MediaFormat::wireName).sorted().collect(Collectors.joining(", ")));
        }
        return switch (declared) {
            case Image -> image(f);
            case Video -> video(f);
            case Audio -> audio(f);
            case Document -> Optional.empty();
        };
    }

    private Optional<MediaProblem> image(MediaFacts f) {
        if (f.bytes() >= limits.imageMaxBytesExclusive()) {
            return problem(FailureCode.MEDIA_TOO_LARGE, "image is " + size(f.bytes()) + "; it must be under "
                    + ByteSizes.describe(limits.imageMaxBytesExclusive()));
        }
        int w = f.width();
        int h = f.height();
        if (w < limits.imageMinSide() || h < limits.imageMinSide() || w > limits.imageMaxSide() || h > limits.imageMaxSide()) {
            return problem(FailureCode.IMAGE_DIMENSIONS, "image is " + w + "x" + h + " px; each side must be "
                    + limits.imageMinSide() + " to " + limits.imageMaxSide() + " px");
        }
        double aspect = (double) w / h;
        if (aspect < limits.imageMinAspect() || aspect > limits.imageMaxAspect()) {
            return problem(FailureCode.IMAGE_ASPECT_RATIO, "image is " + w + "x" + h + " px, aspect ratio (width / height) "
                    + ratio(aspect, limits.imageMinAspect(), limits.imageMaxAspect()) + "; it must be "
                    + number(limits.imageMinAspect()) + " to " + number(limits.imageMaxAspect()));
        }
        return Optional.empty();
    }

    private Optional<MediaProblem> video(MediaFacts f) {
        if (f.bytes() > limits.videoMaxBytes()) {
            return problem(FailureCode.MEDIA_TOO_LARGE, "video is " + size(f.bytes()) + "; at most "
                    + ByteSizes.describe(limits.videoMaxBytes()) + " is accepted");
        }
        Optional<MediaProblem> d = duration("video", f.durationMs(), limits.videoMinSeconds(), limits.videoMaxSeconds());
        if (d.isPresent()) {
            return d;
        }
        if (f.fps() == null) {
            return problem(FailureCode.MEDIA_UNREADABLE, "the video's frame rate could not be measured");
        }
        if (f.fps() < limits.videoMinFps() || f.fps() > limits.videoMaxFps()) {
            return problem(FailureCode.VIDEO_FRAME_RATE, "video is " + number(f.fps()) + " fps; it must be "
                    + number(limits.videoMinFps()) + " to " + number(limits.videoMaxFps()) + " fps");
        }
        long px = f.pixels();
        if (px < limits.videoMinPixels() || px > limits.videoMaxPixels()) {
            return problem(FailureCode.VIDEO_RESOLUTION, "video is " + f.width() + "x" + f.height() + " px, "
                    + grouped(px) + " pixels per frame; it must be " + grouped(limits.videoMinPixels()) + " to "
                    + grouped(limits.videoMaxPixels()) + " (480p to 1080p)");
        }
        return Optional.empty();
    }

    private Optional<MediaProblem> audio(MediaFacts f) {
        if (f.bytes() > limits.audioMaxBytes()) {
            return problem(FailureCode.MEDIA_TOO_LARGE, "audio is " + size(f.bytes()) + "; at most "
                    + ByteSizes.describe(limits.audioMaxBytes()) + " is accepted");
        }
        return duration("audio", f.durationMs(), limits.audioMinSeconds(), limits.audioMaxSeconds());
    }

    private static Optional<MediaProblem> duration(String what, Long ms, double min, double max) {
        if (ms == null) {
            return problem(FailureCode.MEDIA_UNREADABLE, "the " + what + "'s duration could not be measured");
        }
        if (ms < Math.round(min * 1000) || ms > Math.round(max * 1000)) {
            return problem(FailureCode.MEDIA_DURATION, what + " is " + number(ms / 1000.0) + " s long; it must be "
                    + number(min) + " to " + number(max) + " s");
        }
        return Optional.empty();
    }

    private static Optional<MediaProblem> mismatch(AssetType declared, MediaFormat actual) {
        return problem(FailureCode.MEDIA_TYPE_MISMATCH, "declared " + declared + " but the file is " + actual.description());
    }

    private static Optional<MediaProblem> problem(String code, String message) {
        return Optional.of(new MediaProblem(code, message));
    }

    /** Exact bytes beside the rounded size: "50.0 MB (52428801 bytes)" must not read as within 50 MB. */
    private static String size(long bytes) {
        return ByteSizes.describe(bytes) + " (" + bytes + " bytes)";
    }

    /** Enough decimals that a refused ratio never prints as its limit (0.3999 is not "0.4"). */
    private static String ratio(double value, double min, double max) {
        for (int scale = 2; scale <= 6; scale++) {
            BigDecimal v = BigDecimal.valueOf(value).setScale(scale, RoundingMode.HALF_EVEN);
            if (v.compareTo(BigDecimal.valueOf(min)) != 0 && v.compareTo(BigDecimal.valueOf(max)) != 0) {
                return v.stripTrailingZeros().toPlainString();
            }
        }
        return BigDecimal.valueOf(value).toPlainString();
    }

    private static String number(double d) {
        return BigDecimal.valueOf(d).setScale(3, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }

    private static String grouped(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
