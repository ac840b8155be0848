package dev.assetlib.media;

import java.nio.charset.StandardCharsets;

/** Names a file's format from its first bytes (magic numbers), never from its name or Content-Type. */
public final class FormatSniffer {
    /** How many leading bytes {@link #sniff} looks at. */
    public static final int HEAD = 64;

    private FormatSniffer() {
    }

    public static MediaFormat sniff(byte[] h, int n) {
        if (n >= 3 && u(h, 0) == 0xff && u(h, 1) == 0xd8 && u(h, 2) == 0xff) {
            return MediaFormat.JPEG;
        }
        if (n >= 8 && u(h, 0) == 0x89 && ascii(h, 1, "PNG") && u(h, 4) == 0x0d && u(h, 5) == 0x0a && u(h, 6) == 0x1a && u(h, 7) == 0x0a) {
            return MediaFormat.PNG;
        }
        if (n >= 6 && (ascii(h, 0, "GIF87a") || ascii(h, 0, "GIF89a"))) {
            return MediaFormat.GIF;
        }
        if (n >= 2 && ascii(h, 0, "BM") && n >= 26) {
            return MediaFormat.BMP;
        }
        if (n >= 4 && ((ascii(h, 0, "II") && u(h, 2) == 42 && u(h, 3) == 0) || (ascii(h, 0, "MM") && u(h, 2) == 0 && u(h, 3) == 42))) {
            return MediaFormat.TIFF;
        }
        if (n >= 12 && ascii(h, 0, "RIFF")) {
            if (ascii(h, 8, "WEBP")) {
                return MediaFormat.WEBP;
            }
            if (ascii(h, 8, "WAVE")) {
                return MediaFormat.WAV;
            }
            if (ascii(h, 8, "AVI ")) {
                return MediaFormat.AVI;
            }
        }
        if (n >= 12 && ascii(h, 4, "ftyp")) {
            return isoBrand(new String(h, 8, 4, StandardCharsets.ISO_8859_1));
        }
        if (n >= 8 && (ascii(h, 4, "moov") || ascii(h, 4, "mdat") || ascii(h, 4, "wide") || ascii(h, 4, "free") || ascii(h, 4, "skip"))) {
            return MediaFormat.MOV; // QuickTime files from before the ftyp box
        }
        if (n >= 4 && u(h, 0) == 0x1a && u(h, 1) == 0x45 && u(h, 2) == 0xdf && u(h, 3) == 0xa3) {
            return MediaFormat.WEBM;
        }
        if (n >= 4 && ascii(h, 0, "OggS")) {
            return MediaFormat.OGG;
        }
        if (n >= 4 && ascii(h, 0, "fLaC")) {
            return MediaFormat.FLAC;
        }
        if (n >= 5 && ascii(h, 0, "%PDF-")) {
            return MediaFormat.PDF;
        }
        if (n >= 3 && ascii(h, 0, "ID3")) {
            return MediaFormat.MP3;
        }
        if (n >= 4 && Mp3Frames.isFrameHeader(h, 0)) {
            return MediaFormat.MP3;
        }
        return MediaFormat.UNKNOWN;
    }

    private static MediaFormat isoBrand(String brand) {
        return switch (brand) {
            case "qt  " -> MediaFormat.MOV;
            case "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1" -> MediaFormat.HEIF;
            case "avif", "avis" -> MediaFormat.AVIF;
            case "M4A ", "M4B " -> MediaFormat.M4A;
            default -> MediaFormat.MP4; // isom, iso2..6, mp41, mp42, avc1, dash, M4V ...
        };
    }

    static int u(byte[] b, int i) {
        return b[i] & 0xff;
    }

    static boolean ascii(byte[] b, int at, String s) {
        if (at + s.length() > b.length) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (b[at + i] != (byte) s.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
