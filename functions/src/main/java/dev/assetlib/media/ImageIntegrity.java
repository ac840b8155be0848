package dev.assetlib.media;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether an image file is whole: a header that reads well (what metadata-extractor looks at) says
 * nothing of a file cut after it. Cheap structural checks by seeking, never a decode.
 */
final class ImageIntegrity {
    private ImageIntegrity() {
    }

    /** Empty when whole, otherwise why not. */
    static Optional<String> problem(MediaFormat format, Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long length = f.length();
            return switch (format) {
                case PNG -> png(f, length);
                case JPEG -> jpeg(f, length);
                case GIF -> tail(f, length, 1)[0] == 0x3b ? Optional.empty()
                        : Optional.of("GIF ends without its trailer byte (truncated)");
                case WEBP, BMP -> declaredSize(f, length, format);
                default -> Optional.empty();
            };
        }
    }

    /** Walks the chunks (seeking past their data) to IEND. */
    private static Optional<String> png(RandomAccessFile f, long length) throws IOException {
        long pos = 8;
        while (pos + 12 <= length) {
            f.seek(pos);
            long size = f.readInt() & 0xffffffffL;
            int type = f.readInt();
            if (pos + 12 + size > length) {
                break;
            }
            if (type == IsoBoxes.fourcc("IEND")) {
                return Optional.empty();
            }
            pos += 12 + size;
        }
        return Optional.of("PNG ends before its IEND chunk (truncated after " + length + " bytes)");
    }

    /** An end-of-image marker near the end (some cameras append data after it). */
    private static Optional<String> jpeg(RandomAccessFile f, long length) throws IOException {
        byte[] t = tail(f, length, (int) Math.min(length, 64 * 1024));
        for (int i = t.length - 2; i >= 0; i--) {
            if ((t[i] & 0xff) == 0xff && (t[i + 1] & 0xff) == 0xd9) {
                return Optional.empty();
            }
        }
        return Optional.of("JPEG has no end-of-image marker (truncated after " + length + " bytes)");
    }

    /** RIFF (WebP) and BMP headers say how long the file is. */
    private static Optional<String> declaredSize(RandomAccessFile f, long length, MediaFormat format) throws IOException {
        f.seek(format == MediaFormat.WEBP ? 4 : 2);
        byte[] b = new byte[4];
        f.readFully(b);
        long declared = (b[0] & 0xffL) | ((b[1] & 0xffL) << 8) | ((b[2] & 0xffL) << 16) | ((b[3] & 0xffL) << 24);
        if (format == MediaFormat.WEBP) {
            declared += 8;
        }
        if (declared > length) {
            return Optional.of(format.name() + " header declares " + declared + " bytes but the file has " + length + " (truncated)");
        }
        return Optional.empty();
    }

    private static byte[] tail(RandomAccessFile f, long length, int n) throws IOException {
        byte[] b = new byte[n];
        f.seek(length - n);
        f.readFully(b);
        return b;
    }
}
