package dev.assetlib.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReviewRenditionTest {
    @TempDir
    Path dir;

    private static MediaFacts image(MediaFormat format, long bytes) {
        return MediaFacts.image(format, bytes, 1000, 1000);
    }

    @Test
    void onlyFormatsRekognitionCannotReadOrImagesOver15MbNeedARendition() {
        long limit = ReviewRendition.REKOGNITION_MAX_BYTES;
        assertThat(ReviewRendition.needed(image(MediaFormat.JPEG, limit))).isFalse();
        assertThat(ReviewRendition.needed(image(MediaFormat.JPEG, limit + 1))).isTrue();
        assertThat(ReviewRendition.needed(image(MediaFormat.PNG, 1000))).isFalse();
        assertThat(ReviewRendition.needed(image(MediaFormat.PNG, limit + 1))).isTrue();
        for (MediaFormat f : new MediaFormat[] {MediaFormat.WEBP, MediaFormat.BMP, MediaFormat.TIFF, MediaFormat.GIF}) {
            assertThat(ReviewRendition.needed(image(f, 1000))).as(f.name()).isTrue();
        }
        assertThat(ReviewRendition.needed(MediaFacts.audio(MediaFormat.WAV, 1000, 2000, "pcm", 44100, 1))).isFalse();
    }

    @Test
    void a6000PxTiffIsDecodedSubsampledToAJpegOf2000Px() throws Exception {
        // 1-bit, deflate-compressed: a small file whose full decode would be 6000x6000 pixels
        BufferedImage big = new BufferedImage(6000, 6000, BufferedImage.TYPE_BYTE_BINARY);
        var g = big.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, 3000, 6000);
        g.dispose();
        Path tiff = dir.resolve("big.tiff");
        ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(tiff.toFile())) {
            writer.setOutput(out);
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionType("Deflate");
            writer.write(null, new IIOImage(big, null, null), p);
        } finally {
            writer.dispose();
        }
        Path jpeg = ReviewRendition.render(tiff, dir.resolve("big.jpg")).orElseThrow();
        BufferedImage read = ImageIO.read(jpeg.toFile());
        assertThat(read.getWidth()).isEqualTo(2000); // every 3rd pixel: the longer side at most 2048
        assertThat(read.getHeight()).isEqualTo(2000);
        assertThat(read.getRGB(10, 10) & 0xffffff).isGreaterThan(0xf0f0f0); // the white half stays white
        assertThat(read.getRGB(1990, 10) & 0xffffff).isLessThan(0x101010);
        assertThat(Files.size(jpeg)).isLessThan(ReviewRendition.REKOGNITION_MAX_BYTES);
    }

    @Test
    void aTransparentWebpIsRenderedOnWhite() throws Exception {
        Path jpeg = ReviewRendition.render(Path.of("src/test/resources/media/image-1000x400-alpha.webp"), dir.resolve("a.jpg"))
                .orElseThrow();
        BufferedImage read = ImageIO.read(jpeg.toFile());
        assertThat(read.getWidth()).isEqualTo(1000);
        assertThat(read.getHeight()).isEqualTo(400);
    }

    @Test
    void bytesNoDecoderReadsGiveNoRendition() throws Exception {
        Path junk = Files.write(dir.resolve("junk.gif"), "GIF89a not really".getBytes());
        assertThat(ReviewRendition.render(junk, dir.resolve("junk.jpg"))).isEmpty();
    }
}
