package dev.assetlib.cli.media;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Guesses a file's asset type and media type from its first bytes (magic numbers), never from
 * its name: the formats the service takes (images: jpeg, png, webp, bmp, tiff, gif; video: mp4,
 * mov; audio: wav, mp3), and PDF as a document. URLs, whose bytes the client may not be able to
 * read, are guessed by the extension of their path.
 */
public final class MediaSniffer {
    public static final int HEAD_BYTES = 64;

    private static final Map<String, MediaKind> EXTENSIONS = Map.ofEntries(
            Map.entry("jpg", new MediaKind("Image", "image/jpeg")), Map.entry("jpeg", new MediaKind("Image", "image/jpeg")),
            Map.entry("png", new MediaKind("Image", "image/png")), Map.entry("webp", new MediaKind("Image", "image/webp")),
            Map.entry("bmp", new MediaKind("Image", "image/bmp")), Map.entry("tif", new MediaKind("Image", "image/tiff")),
            Map.entry("tiff", new MediaKind("Image", "image/tiff")), Map.entry("gif", new MediaKind("Image", "image/gif")),
            Map.entry("mp4", new MediaKind("Video", "video/mp4")), Map.entry("mov", new MediaKind("Video", "video/quicktime")),
            Map.entry("mp3", new MediaKind("Audio", "audio/mpeg")), Map.entry("wav", new MediaKind("Audio", "audio/wav")),
            Map.entry("pdf", new MediaKind("Document", "application/pdf")));

    private MediaSniffer() {
    }

    public static Optional<MediaKind> sniff(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return sniff(in.readNBytes(HEAD_BYTES));
        }
    }

    /** The kind the leading bytes show, or empty when they match none of the known formats. */
    public static Optional<MediaKind> sniff(byte[] b) {
        if (starts(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return kind("Image", "image/png");
        }
        if (starts(b, 0, 0xFF, 0xD8, 0xFF)) {
            return kind("Image", "image/jpeg");
        }
        if (ascii(b, 0, "GIF87a") || ascii(b, 0, "GIF89a")) {
            return kind("Image", "image/gif");
        }
        if (ascii(b, 0, "RIFF") && ascii(b, 8, "WEBP")) {
            return kind("Image", "image/webp");
        }
        if (ascii(b, 0, "RIFF") && ascii(b, 8, "WAVE")) {
            return kind("Audio", "audio/wav");
        }
        if (ascii(b, 0, "BM") && b.length >= 14) {
            return kind("Image", "image/bmp");
        }
        if (starts(b, 0, 'I', 'I', 0x2A, 0x00) || starts(b, 0, 'M', 'M', 0x00, 0x2A)) {
            return kind("Image", "image/tiff");
        }
        if (ascii(b, 4, "ftyp")) {
            // ISO base media: QuickTime's brand is "qt  "; the others (isom, mp41, mp42, avc1, ...) are mp4.
            return ascii(b, 8, "qt  ") ? kind("Video", "video/quicktime") : kind("Video", "video/mp4");
        }
        if (ascii(b, 4, "moov") || ascii(b, 4, "mdat") || ascii(b, 4, "wide") || ascii(b, 4, "free")) {
            return kind("Video", "video/quicktime");
        }
        if (ascii(b, 0, "ID3") || b.length >= 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xE0) == 0xE0) {
            return kind("Audio", "audio/mpeg");
        }
        if (ascii(b, 0, "%PDF-")) {
            return kind("Document", "application/pdf");
        }
        return Optional.empty();
    }

    /** By the extension of the URL's path (query and fragment ignored), or empty. */
    public static Optional<MediaKind> byUrl(String url) {
        String path;
        try {
            path = URI.create(url).getPath();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (path == null) {
            return Optional.empty();
        }
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        if (dot <= slash) {
            return Optional.empty();
        }
        return Optional.ofNullable(EXTENSIONS.get(path.substring(dot + 1).toLowerCase(Locale.ROOT)));
    }

    private static Optional<MediaKind> kind(String type, String contentType) {
        return Optional.of(new MediaKind(type, contentType));
    }

    private static boolean starts(byte[] b, int at, int... expected) {
        if (b.length < at + expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if ((b[at + i] & 0xFF) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean ascii(byte[] b, int at, String text) {
        byte[] t = text.getBytes(StandardCharsets.US_ASCII);
        if (b.length < at + t.length) {
            return false;
        }
        for (int i = 0; i < t.length; i++) {
            if (b[at + i] != t[i]) {
                return false;
            }
        }
        return true;
    }
}
