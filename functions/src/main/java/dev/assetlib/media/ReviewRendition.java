package dev.assetlib.media;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * The JPEG made for review of an image Rekognition cannot read as stored: it takes JPEG and PNG up
 * to 15 MB from S3, so a WebP, BMP, TIFF or GIF (its first frame), or a larger JPEG/PNG, gets a
 * rendition beside its copy. Decoded with source subsampling (every n-th pixel, n chosen so the
 * longer side is at most {@value #MAX_SIDE} px): a 6000x6000 image never sits whole in memory.
 * WebP through the TwelveMonkeys plugin; the others through the JDK's own readers.
 */
public final class ReviewRendition {
    /** Rekognition's limit for an image in S3. */
    public static final long REKOGNITION_MAX_BYTES = 15L * 1024 * 1024;
    /** The rendition's longer side at most (faces stay well above Rekognition's smallest detectable size). */
    static final int MAX_SIDE = 2048;
    private static final Set<String> READ_AS_STORED = Set.of("jpeg", "png");
    private static final Set<String> RENDERED = Set.of("jpeg", "png", "webp", "bmp", "tiff", "gif");

    private ReviewRendition() {
    }

    /** Whether an image with these facts needs a rendition before Rekognition can review it. */
    public static boolean needed(MediaFacts f) {
        String format = f.format().wireName();
        return f.format().kind() == dev.assetlib.domain.AssetType.Image && RENDERED.contains(format)
                && (!READ_AS_STORED.contains(format) || f.bytes() > REKOGNITION_MAX_BYTES);
    }

    /** The rendition's key beside the copy's. */
    public static String key(String copyKey) {
        return dev.assetlib.objects.S3MediaStore.reviewKey(copyKey);
    }

    /** The JPEG written to {@code out}, or empty when no reader decodes the image (it then goes to a person). */
    public static Optional<Path> render(Path image, Path out) throws IOException {
        BufferedImage decoded;
        try (ImageInputStream in = ImageIO.createImageInputStream(image.toFile())) {
            Iterator<ImageReader> readers = in == null ? java.util.Collections.emptyIterator() : ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return Optional.empty();
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                int step = Math.max(1, (int) Math.ceil(Math.max(w, h) / (double) MAX_SIDE));
                ImageReadParam param = reader.getDefaultReadParam();
                param.setSourceSubsampling(step, step, 0, 0);
                decoded = reader.read(0, param);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty(); // the probe accepted it, but no decoder here reads it
        }
        BufferedImage rgb = decoded;
        if (decoded.getWidth() > MAX_SIDE || decoded.getHeight() > MAX_SIDE || decoded.getType() != BufferedImage.TYPE_INT_RGB) {
            // a reader that ignored the subsampling, or transparency / palette / 16-bit samples: drawn on white
            double scale = Math.min(1, MAX_SIDE / (double) Math.max(decoded.getWidth(), decoded.getHeight()));
            int w = Math.max(1, (int) Math.round(decoded.getWidth() * scale));
            int h = Math.max(1, (int) Math.round(decoded.getHeight() * scale));
            rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = rgb.createGraphics();
            try {
                g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.drawImage(decoded, 0, 0, w, h, Color.WHITE, null);
            } finally {
                g.dispose();
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream os = ImageIO.createImageOutputStream(Files.newOutputStream(out))) {
            writer.setOutput(os);
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(0.9f);
            writer.write(null, new IIOImage(rgb, null, null), p);
        } finally {
            writer.dispose();
        }
        return Optional.of(out);
    }
}
