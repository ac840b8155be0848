package dev.assetlib.cli.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assetlib.cli.TestMedia;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaSnifferTest {
    static byte[] bytes(int... b) {
        byte[] out = new byte[Math.max(b.length, 16)];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    static byte[] ascii(String s) {
        byte[] t = s.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[Math.max(t.length, 16)];
        System.arraycopy(t, 0, out, 0, t.length);
        return out;
    }

    @Test
    void aPngWrittenByImageIoIsAnImage(@TempDir Path dir) throws Exception {
        assertThat(MediaSniffer.sniff(TestMedia.png(dir, "x.dat"))).contains(new MediaKind("Image", "image/png"));
    }

    @Test
    void eachFormatTheServiceTakesIsRecognisedByItsMagicBytes() {
        assertThat(MediaSniffer.sniff(bytes(0xFF, 0xD8, 0xFF, 0xE0))).contains(new MediaKind("Image", "image/jpeg"));
        assertThat(MediaSniffer.sniff(ascii("GIF89a"))).contains(new MediaKind("Image", "image/gif"));
        assertThat(MediaSniffer.sniff(ascii("RIFF\0\0\0\0WEBPVP8 "))).contains(new MediaKind("Image", "image/webp"));
        assertThat(MediaSniffer.sniff(ascii("RIFF\0\0\0\0WAVEfmt "))).contains(new MediaKind("Audio", "audio/wav"));
        assertThat(MediaSniffer.sniff(ascii("BM\0\0\0\0\0\0\0\0\0\0\0\0"))).contains(new MediaKind("Image", "image/bmp"));
        assertThat(MediaSniffer.sniff(bytes('I', 'I', 0x2A, 0))).contains(new MediaKind("Image", "image/tiff"));
        assertThat(MediaSniffer.sniff(bytes('M', 'M', 0, 0x2A))).contains(new MediaKind("Image", "image/tiff"));
        assertThat(MediaSniffer.sniff(ascii("\0\0\0\u0018ftypisom"))).contains(new MediaKind("Video", "video/mp4"));
        assertThat(MediaSniffer.sniff(ascii("\0\0\0\u0014ftypqt  "))).contains(new MediaKind("Video", "video/quicktime"));
        assertThat(MediaSniffer.sniff(ascii("ID3\u0004"))).contains(new MediaKind("Audio", "audio/mpeg"));
        assertThat(MediaSniffer.sniff(bytes(0xFF, 0xFB, 0x90, 0x64))).contains(new MediaKind("Audio", "audio/mpeg"));
        assertThat(MediaSniffer.sniff(ascii("%PDF-1.7"))).contains(new MediaKind("Document", "application/pdf"));
    }

    @Test
    void textAndTruncatedHeadersAreNoKnownFormat() {
        assertThat(MediaSniffer.sniff(ascii("hello, world"))).isEmpty();
        assertThat(MediaSniffer.sniff(new byte[] {(byte) 0x89, 'P'})).isEmpty();
        assertThat(MediaSniffer.sniff(new byte[0])).isEmpty();
    }

    @Test
    void urlsAreGuessedByTheirPathsExtensionIgnoringTheQuery() {
        assertThat(MediaSniffer.byUrl("https://example.com/a/b.JPG?X-Amz-Signature=abc.mp4")).contains(new MediaKind("Image", "image/jpeg"));
        assertThat(MediaSniffer.byUrl("https://example.com/clip.mov")).contains(new MediaKind("Video", "video/quicktime"));
        assertThat(MediaSniffer.byUrl("https://example.com/voice.mp3")).contains(new MediaKind("Audio", "audio/mpeg"));
        assertThat(MediaSniffer.byUrl("https://example.com/v1.2/portrait")).isEmpty();
        assertThat(MediaSniffer.byUrl("https://example.com/")).isEmpty();
    }
}
