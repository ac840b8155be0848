package dev.assetlib.media;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Real image files made with ImageIO for the tests: flat colours, so even 6000 px sides stay tiny on disk and in the heap. */
final class TestImages {
    private TestImages() {
    }

    /** A 1-bit PNG (6001 x 3000 is about 2 MB in the heap while written, a few KB on disk). */
    static Path png(Path dir, int width, int height) {
        return write(dir, new BufferedImage(width, height, BufferedImage.TYPE_BYTE_BINARY), "png", width + "x" + height + ".png");
    }

    /** An image of the given ImageIO format (jpeg, png, bmp, gif, tiff) under a file name of the caller's choice. */
    static Path image(Path dir, String format, int width, int height, String fileName) {
        int type = switch (format) {
            case "gif" -> BufferedImage.TYPE_BYTE_INDEXED;
            case "jpeg", "bmp" -> BufferedImage.TYPE_3BYTE_BGR;
            default -> BufferedImage.TYPE_INT_RGB;
        };
        BufferedImage img = new BufferedImage(width, height, type);
        var g = img.createGraphics();
        g.setColor(new java.awt.Color(0x33, 0x66, 0xcc));
        g.fillRect(0, 0, width, height / 2);
        g.dispose();
        return write(dir, img, format, fileName);
    }

    private static Path write(Path dir, BufferedImage img, String format, String name) {
        try {
            Path file = dir.resolve(name);
            if (!ImageIO.write(img, format, file.toFile())) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The committed fixture made by make-fixtures.sh. */
    static Path fixture(String name) {
        try {
            return Path.of(TestImages.class.getResource("/media/" + name).toURI());
        } catch (Exception e) {
            throw new IllegalStateException("fixture " + name + " missing: run src/test/resources/media/make-fixtures.sh", e);
        }
    }

    /** The first {@code bytes} bytes of {@code source}, as a new file. */
    static Path truncated(Path source, Path dir, int bytes) throws IOException {
        byte[] all = Files.readAllBytes(source);
        Path out = dir.resolve("cut-" + source.getFileName());
        Files.write(out, java.util.Arrays.copyOf(all, Math.min(bytes, all.length)));
        return out;
    }
}
