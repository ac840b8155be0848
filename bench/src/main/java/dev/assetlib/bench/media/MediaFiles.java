package dev.assetlib.bench.media;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * The media of the media benchmark, made here (never downloaded): a JPEG of {@code side} x
 * {@code side} px from ImageIO (smooth gradients with noise, so it compresses like a photo, not
 * like a flat colour), MP4s of an exact size written by {@link SyntheticMp4}, and a 1080p clip
 * encoded by ffmpeg when it is installed.
 */
public final class MediaFiles {
    private MediaFiles() {
    }

    public static Path jpeg(Path dir, int side) throws IOException {
        Path file = dir.resolve("photo-" + side + "x" + side + ".jpg");
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        SplittableRandom random = new SplittableRandom(side);
        int[] row = new int[side];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int noise = random.nextInt(24) - 12;
                int r = clamp(x * 255 / side + noise);
                int g = clamp(y * 255 / side + noise);
                int b = clamp(((x + y) & 0x1ff) / 2 + noise);
                row[x] = (r << 16) | (g << 8) | b;
            }
            image.setRGB(0, y, side, 1, row, 0, side);
        }
        if (!ImageIO.write(image, "jpg", file.toFile())) {
            throw new IOException("no JPEG writer");
        }
        return file;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    /** A 1080p clip of {@code seconds} encoded by ffmpeg (libx264, about 8 Mbit/s), or null when ffmpeg is not there or fails. */
    public static Path ffmpegClip(Path dir, int seconds) throws InterruptedException {
        Path file = dir.resolve("clip-1080p-" + seconds + "s.mp4");
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                "testsrc2=size=1920x1080:rate=30", "-t", Integer.toString(seconds), "-c:v", "libx264", "-preset", "ultrafast",
                "-b:v", "8M", "-pix_fmt", "yuv420p", file.toString()));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 && Files.isRegularFile(file) ? file : null;
        } catch (IOException e) {
            return null; // no ffmpeg on PATH
        }
    }
}
