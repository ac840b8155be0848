package dev.assetlib.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MediaProbeTest {
    @TempDir
    Path dir;
    private final MediaProbe probe = new MediaProbe();

    private MediaFacts facts(Path file) throws IOException {
        ProbeResult r = probe.probe(file);
        assertThat(r).as(file.getFileName().toString()).isInstanceOf(ProbeResult.Probed.class);
        return ((ProbeResult.Probed) r).facts();
    }

    @ParameterizedTest
    @CsvSource({"jpeg,JPEG", "png,PNG", "bmp,BMP", "gif,GIF", "tiff,TIFF"})
    void readsEachImageFormatsDimensionsByContentWhateverTheFileName(String writer, MediaFormat expected) throws IOException {
        Path file = TestImages.image(dir, writer, 640, 360, "clip-" + writer + ".mp4"); // the name lies
        MediaFacts f = facts(file);
        assertThat(f.format()).isEqualTo(expected);
        assertThat(f.width()).isEqualTo(640);
        assertThat(f.height()).isEqualTo(360);
        assertThat(f.bytes()).isEqualTo(Files.size(file));
        assertThat(f.durationMs()).isNull();
    }

    @Test
    void readsLosslessLossyAndExtendedWebp() throws IOException {
        MediaFacts lossless = facts(TestImages.fixture("image-400x300.webp"));
        assertThat(lossless.format()).isEqualTo(MediaFormat.WEBP);
        assertThat(lossless.width()).isEqualTo(400);
        assertThat(lossless.height()).isEqualTo(300);
        MediaFacts lossy = facts(TestImages.fixture("image-200x300-lossy.webp"));
        assertThat(lossy.width()).isEqualTo(200);
        assertThat(lossy.height()).isEqualTo(300);
        MediaFacts extended = facts(TestImages.fixture("image-1000x400-alpha.webp"));
        assertThat(extended.width()).isEqualTo(1000);
        assertThat(extended.height()).isEqualTo(400);
    }

    @Test
    void readsAnMp4sDurationSizeFrameRateAndCodec() throws IOException {
        MediaFacts f = facts(TestImages.fixture("video-640x640-24fps-2s.mp4"));
        assertThat(f.format()).isEqualTo(MediaFormat.MP4);
        assertThat(f.width()).isEqualTo(640);
        assertThat(f.height()).isEqualTo(640);
        assertThat(f.durationMs()).isEqualTo(2000);
        assertThat(f.fps()).isEqualTo(24.0);
        assertThat(f.videoCodec()).isEqualTo("avc1");
        assertThat(f.audioCodec()).isNull();
    }

    @Test
    void readsAQuickTimeFileWithItsAudioTrack() throws IOException {
        MediaFacts f = facts(TestImages.fixture("video-640x640-25fps-15s.mov"));
        assertThat(f.format()).isEqualTo(MediaFormat.MOV);
        assertThat(f.durationMs()).isEqualTo(15000);
        assertThat(f.fps()).isEqualTo(25.0);
        assertThat(f.videoCodec()).isEqualTo("avc1");
        assertThat(f.audioSampleRate()).isEqualTo(8000);
        assertThat(f.audioChannels()).isEqualTo(1);
        assertThat(f.audioCodec()).containsIgnoringCase("AAC");
    }

    @ParameterizedTest
    @CsvSource({"video-640x640-23fps-2s.mp4,23.0,640,640", "video-1920x1080-60fps-2s.mp4,60.0,1920,1080",
            "video-320x240-30fps-2s.mp4,30.0,320,240", "video-640x640-24fps-16s.mp4,24.0,640,640"})
    void measuresFrameRateAndSizeOfEachVideoFixture(String name, double fps, int w, int h) throws IOException {
        MediaFacts f = facts(TestImages.fixture(name));
        assertThat(f.fps()).isEqualTo(fps);
        assertThat(f.width()).isEqualTo(w);
        assertThat(f.height()).isEqualTo(h);
    }

    @Test
    void readsWavExactly() throws IOException {
        MediaFacts two = facts(TestImages.fixture("audio-2s.wav"));
        assertThat(two.format()).isEqualTo(MediaFormat.WAV);
        assertThat(two.durationMs()).isEqualTo(2000);
        assertThat(two.audioSampleRate()).isEqualTo(8000);
        assertThat(two.audioChannels()).isEqualTo(1);
        assertThat(two.audioCodec()).isEqualTo("pcm_16");
        assertThat(facts(TestImages.fixture("audio-16s.wav")).durationMs()).isEqualTo(16000);
    }

    @Test
    void measuresMp3DurationGaplessNotByBitRateEstimate() throws IOException {
        // ffprobe estimates 15.192 s for this file; the LAME info frame says what the encoder added
        MediaFacts fifteen = facts(TestImages.fixture("audio-15s.mp3"));
        assertThat(fifteen.format()).isEqualTo(MediaFormat.MP3);
        assertThat(fifteen.durationMs()).isEqualTo(15000);
        assertThat(fifteen.audioSampleRate()).isEqualTo(8000);
        assertThat(fifteen.audioChannels()).isEqualTo(1);
        assertThat(facts(TestImages.fixture("audio-16s.mp3")).durationMs()).isEqualTo(16000);
        MediaFacts stereo = facts(TestImages.fixture("audio-3s-stereo.mp3"));
        assertThat(stereo.durationMs()).isEqualTo(3000);
        assertThat(stereo.audioSampleRate()).isEqualTo(22050);
        assertThat(stereo.audioChannels()).isEqualTo(2);
    }

    @Test
    void aTruncatedPngIsUnreadable() throws IOException {
        Path whole = TestImages.image(dir, "png", 640, 360, "whole.png");
        ProbeResult r = probe.probe(TestImages.truncated(whole, dir, (int) Files.size(whole) - 20));
        assertThat(r).isInstanceOf(ProbeResult.Unreadable.class);
        assertThat(((ProbeResult.Unreadable) r).format()).isEqualTo(MediaFormat.PNG);
        assertThat(((ProbeResult.Unreadable) r).reason()).startsWith("PNG ends before its IEND chunk (truncated after");
    }

    @Test
    void aTruncatedJpegMp4AndWavAreUnreadable() throws IOException {
        Path jpeg = TestImages.image(dir, "jpeg", 640, 360, "whole.jpg");
        assertThat(probe.probe(TestImages.truncated(jpeg, dir, (int) Files.size(jpeg) / 2)))
                .isEqualTo(new ProbeResult.Unreadable(MediaFormat.JPEG, "JPEG has no end-of-image marker (truncated after "
                        + Files.size(jpeg) / 2 + " bytes)"));
        ProbeResult mp4 = probe.probe(TestImages.truncated(TestImages.fixture("video-640x640-24fps-16s.mp4"), dir, 6000));
        assertThat(((ProbeResult.Unreadable) mp4).reason()).matches("MP4 ends inside its 'mdat' box \\(\\d+ of \\d+ bytes; truncated\\)");
        ProbeResult wav = probe.probe(TestImages.truncated(TestImages.fixture("audio-2s.wav"), dir, 10_000));
        assertThat(((ProbeResult.Unreadable) wav).reason()).isEqualTo("WAV ends inside its data chunk (9922 of 32000 bytes; truncated)");
    }

    @Test
    void bytesOfNoKnownFormatAreUnknownAndAPdfIsADocument() throws IOException {
        Path text = Files.writeString(dir.resolve("photo.jpg"), "<html>not found</html>");
        assertThat(facts(text).format()).isEqualTo(MediaFormat.UNKNOWN);
        Path pdf = Files.writeString(dir.resolve("a.mp4"), "%PDF-1.7\n...");
        assertThat(facts(pdf).format()).isEqualTo(MediaFormat.PDF);
    }

    @Test
    void aSixThousandPixelPngIsProbedFromItsHeader() throws IOException {
        MediaFacts f = facts(TestImages.png(dir, 6001, 3000));
        assertThat(f.width()).isEqualTo(6001);
        assertThat(f.height()).isEqualTo(3000);
    }
}
