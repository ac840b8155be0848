package dev.assetlib.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.assetlib.domain.AssetType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The vendor's limits at each boundary, on real files probed as the media step probes them. */
class MediaCheckTest {
    @TempDir
    Path dir;
    private final MediaProbe probe = new MediaProbe();
    private final MediaCheck check = new MediaCheck(MediaLimits.vendorDefaults());

    private Optional<String> judge(AssetType declared, Path file) throws IOException {
        return check.check(declared, probe.probe(file)).map(MediaProblem::describe);
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource(delimiter = '|', value = {
            "300|300|",
            "299|300|IMAGE_DIMENSIONS: image is 299x300 px; each side must be 300 to 6000 px",
            "300|299|IMAGE_DIMENSIONS: image is 300x299 px; each side must be 300 to 6000 px",
            "6000|3000|",
            "6001|3000|IMAGE_DIMENSIONS: image is 6001x3000 px; each side must be 300 to 6000 px",
            "3000|6001|IMAGE_DIMENSIONS: image is 3000x6001 px; each side must be 300 to 6000 px",
            "240|180|IMAGE_DIMENSIONS: image is 240x180 px; each side must be 300 to 6000 px",
            "400|1000|",
            "390|1000|IMAGE_ASPECT_RATIO: image is 390x1000 px, aspect ratio (width / height) 0.39; it must be 0.4 to 2.5",
            "2500|1000|",
            "2510|1000|IMAGE_ASPECT_RATIO: image is 2510x1000 px, aspect ratio (width / height) 2.51; it must be 0.4 to 2.5",
            "2501|1000|IMAGE_ASPECT_RATIO: image is 2501x1000 px, aspect ratio (width / height) 2.501; it must be 0.4 to 2.5"})
    void imageSidesAndAspectAtEachBoundary(int w, int h, String expected) throws IOException {
        assertThat(judge(AssetType.Image, TestImages.png(dir, w, h))).isEqualTo(Optional.ofNullable(expected));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "video-640x640-24fps-2s.mp4|",
            "video-640x640-25fps-15s.mov|",
            "video-1920x1080-60fps-2s.mp4|",
            "video-640x640-24fps-16s.mp4|MEDIA_DURATION: video is 16 s long; it must be 2 to 15 s",
            "video-640x640-24fps-1s.mp4|MEDIA_DURATION: video is 1 s long; it must be 2 to 15 s",
            "video-640x640-23fps-2s.mp4|VIDEO_FRAME_RATE: video is 23 fps; it must be 24 to 60 fps",
            "video-320x240-30fps-2s.mp4|VIDEO_RESOLUTION: video is 320x240 px, 76,800 pixels per frame; it must be 409,600 to 2,086,876 (480p to 1080p)",
            "video-1920x1088-30fps-2s.mp4|VIDEO_RESOLUTION: video is 1920x1088 px, 2,088,960 pixels per frame; it must be 409,600 to 2,086,876 (480p to 1080p)"})
    void videoDurationFrameRateAndPixelsPerFrame(String fixture, String expected) throws IOException {
        assertThat(judge(AssetType.Video, TestImages.fixture(fixture))).isEqualTo(Optional.ofNullable(expected));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "audio-2s.wav|",
            "audio-15s.mp3|",
            "audio-3s-stereo.mp3|",
            "audio-16s.wav|MEDIA_DURATION: audio is 16 s long; it must be 2 to 15 s",
            "audio-16s.mp3|MEDIA_DURATION: audio is 16 s long; it must be 2 to 15 s"})
    void audioDuration(String fixture, String expected) throws IOException {
        assertThat(judge(AssetType.Audio, TestImages.fixture(fixture))).isEqualTo(Optional.ofNullable(expected));
    }

    @Test
    void theDeclaredTypeMustMatchWhatTheBytesAre() throws IOException {
        Path png = TestImages.png(dir, 640, 640);
        assertThat(judge(AssetType.Video, png)).contains("MEDIA_TYPE_MISMATCH: declared Video but the file is a PNG image");
        assertThat(judge(AssetType.Image, TestImages.fixture("audio-2s.wav")))
                .contains("MEDIA_TYPE_MISMATCH: declared Image but the file is a WAV audio file");
        assertThat(judge(AssetType.Audio, TestImages.fixture("video-640x640-24fps-2s.mp4")))
                .contains("MEDIA_TYPE_MISMATCH: declared Audio but the file is an MP4 video");
        assertThat(judge(AssetType.Document, png)).isEmpty();
    }

    @Test
    void bytesOfNoAcceptedFormatAreUnsupported() throws IOException {
        Path html = java.nio.file.Files.writeString(dir.resolve("a.png"), "<html>expired link</html>");
        assertThat(judge(AssetType.Image, html))
                .contains("MEDIA_UNSUPPORTED_FORMAT: the file is of no recognised media format; Image accepts bmp, gif, jpeg, png, tiff, webp");
        Path pdf = java.nio.file.Files.writeString(dir.resolve("a.mp4"), "%PDF-1.4 ...");
        assertThat(judge(AssetType.Video, pdf)).contains("MEDIA_UNSUPPORTED_FORMAT: the file is a PDF document; Video accepts mov, mp4");
        assertThat(judge(AssetType.Document, pdf)).isEmpty();
    }

    @Test
    void aTruncatedFileIsUnreadableAndATruncatedVideoDeclaredAsImageIsAMismatch() throws IOException {
        Path whole = TestImages.image(dir, "png", 640, 400, "w.png");
        Path cut = TestImages.truncated(whole, dir, 200);
        assertThat(judge(AssetType.Image, cut)).hasValueSatisfying(m -> assertThat(m).startsWith("MEDIA_UNREADABLE: PNG ends before its IEND chunk"));
        assertThat(judge(AssetType.Video, cut)).contains("MEDIA_TYPE_MISMATCH: declared Video but the file is a PNG image");
    }

    @Test
    void sizesAreJudgedWithTheExactByteCount() {
        MediaFacts thirtyMb = MediaFacts.image(MediaFormat.JPEG, 30L * 1024 * 1024, 1000, 1000);
        assertThat(check.check(AssetType.Image, thirtyMb).map(MediaProblem::describe))
                .contains("MEDIA_TOO_LARGE: image is 30 MB (31457280 bytes); it must be under 30 MB");
        assertThat(check.check(AssetType.Image, MediaFacts.image(MediaFormat.JPEG, 30L * 1024 * 1024 - 1, 1000, 1000))).isEmpty();
        MediaFacts bigAudio = MediaFacts.audio(MediaFormat.MP3, 15L * 1024 * 1024 + 1, 10_000, "mp3", 44100, 2);
        assertThat(check.check(AssetType.Audio, bigAudio).map(MediaProblem::describe))
                .contains("MEDIA_TOO_LARGE: audio is 15.0 MB (15728641 bytes); at most 15 MB is accepted");
    }

    @Test
    void limitsComeFromTheEnvironmentAndBadValuesFailAtOnce() {
        MediaLimits l = MediaLimits.fromEnv(Map.of("MEDIA_IMAGE_MIN_SIDE_PX", "100", "MEDIA_VIDEO_MAX_SECONDS", "20.5",
                "MEDIA_AUDIO_FORMATS", "mp3", "MEDIA_DOCUMENT_MAX_BYTES", "1000"));
        assertThat(l.imageMinSide()).isEqualTo(100);
        assertThat(l.videoMaxSeconds()).isEqualTo(20.5);
        assertThat(l.audioFormats()).containsExactly(MediaFormat.MP3);
        assertThat(l.fetchLimit(AssetType.Document)).isEqualTo(1000);
        assertThat(l.imageMaxSide()).isEqualTo(6000);
        MediaCheck loose = new MediaCheck(l);
        assertThat(loose.check(AssetType.Image, MediaFacts.image(MediaFormat.PNG, 10, 99, 180)).map(MediaProblem::code))
                .contains("IMAGE_DIMENSIONS");
        assertThat(loose.check(AssetType.Image, MediaFacts.image(MediaFormat.PNG, 10, 240, 240))).isEmpty();
        assertThat(loose.check(AssetType.Audio, MediaFacts.audio(MediaFormat.WAV, 10, 3000, "pcm_16", 8000, 1)).map(MediaProblem::describe))
                .contains("MEDIA_UNSUPPORTED_FORMAT: the file is a WAV audio file; Audio accepts mp3");

        assertThatThrownBy(() -> MediaLimits.fromEnv(Map.of("MEDIA_VIDEO_MIN_FPS", "fast"))).hasMessageContaining("MEDIA_VIDEO_MIN_FPS");
        assertThatThrownBy(() -> MediaLimits.fromEnv(Map.of("MEDIA_IMAGE_FORMATS", "png,mp4"))).hasMessageContaining("\"mp4\" is not a Image format");
        assertThatThrownBy(() -> MediaLimits.fromEnv(Map.of("MEDIA_IMAGE_MIN_SIDE_PX", "7000"))).hasMessageContaining("image sides");
        assertThat(MediaLimits.ENV_NAMES).hasSize(19).allMatch(n -> n.startsWith("MEDIA_"));
    }
}
