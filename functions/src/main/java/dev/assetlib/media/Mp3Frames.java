package dev.assetlib.media;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * MP3 duration, sample rate and channels by walking the MPEG audio frames (metadata-extractor reads
 * only the first frame header and gives no duration). The duration is the gapless one: frames x
 * samples per frame, less the encoder delay and padding that a LAME/Lavc info frame records, so a
 * clip encoded from exactly 15 s of sound measures 15.000 s, not the 15.19 s that a bit-rate estimate gives.
 */
final class Mp3Frames {
    private static final int[][] BITRATES = {
            {0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448}, // V1 L1
            {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384},    // V1 L2
            {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320},     // V1 L3
            {0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256},    // V2 L1
            {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}};        // V2 L2/L3
    private static final int[][] RATES = {{11025, 12000, 8000}, {0, 0, 0}, {22050, 24000, 16000}, {44100, 48000, 32000}};

    private Mp3Frames() {
    }

    /** Facts of the stream, or null when no two consecutive frames are found. */
    record Stream(long durationMs, int sampleRate, int channels, long frames) {
    }

    /** A layer III frame header at {@code at} (the only MPEG audio layer accepted as mp3). */
    static boolean isFrameHeader(byte[] b, int at) {
        if (at + 4 > b.length) {
            return false;
        }
        int b1 = b[at + 1] & 0xff;
        int b2 = b[at + 2] & 0xff;
        return (b[at] & 0xff) == 0xff && (b1 & 0xe0) == 0xe0 && ((b1 >> 3) & 3) != 1 && ((b1 >> 1) & 3) == 1
                && (b2 >> 4) != 0 && (b2 >> 4) != 15 && ((b2 >> 2) & 3) != 3;
    }

    static Stream read(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file); BufferedInputStream in = new BufferedInputStream(raw, 64 * 1024)) {
            long pos = skipId3v2(in);
            byte[] frame = new byte[2881]; // the largest layer III frame, 144 * 320000 / 32000 + 1
            long frames = 0;
            long samples = 0;
            int sampleRate = 0;
            int channels = 0;
            int delay = 0;
            int padding = 0;
            boolean first = true;
            while (true) {
                in.mark(4);
                int got = in.readNBytes(frame, 0, 4);
                if (got < 4 || !isFrameHeader(frame, 0)) {
                    break; // end, ID3v1/APE tag, or junk: what came before is the stream
                }
                int b1 = frame[1] & 0xff;
                int b2 = frame[2] & 0xff;
                int version = (b1 >> 3) & 3; // 3 = MPEG1, 2 = MPEG2, 0 = MPEG2.5
                int rate = RATES[version][(b2 >> 2) & 3];
                int bitrate = BITRATES[version == 3 ? 2 : 4][b2 >> 4] * 1000;
                int spf = version == 3 ? 1152 : 576;
                int length = spf / 8 * bitrate / rate + ((b2 >> 1) & 1);
                int body = in.readNBytes(frame, 4, length - 4);
                if (body < length - 4) {
                    break; // a cut last frame: not counted
                }
                int mode = (frame[3] & 0xff) >> 6;
                if (first) {
                    first = false;
                    sampleRate = rate;
                    channels = mode == 3 ? 1 : 2;
                    int side = version == 3 ? (mode == 3 ? 17 : 32) : (mode == 3 ? 9 : 17);
                    int x = 4 + side;
                    if (FormatSniffer.ascii(frame, x, "Xing") || FormatSniffer.ascii(frame, x, "Info")) {
                        int[] dp = delayAndPadding(frame, x, length);
                        delay = dp[0];
                        padding = dp[1];
                        pos += length;
                        continue; // the info frame carries no sound
                    }
                }
                frames++;
                samples += spf;
                pos += length;
            }
            if (frames == 0) {
                return null;
            }
            long exact = Math.max(0, samples - delay - padding);
            return new Stream(Math.round(exact * 1000.0 / sampleRate), sampleRate, channels, frames);
        }
    }

    private static int[] delayAndPadding(byte[] f, int x, int length) {
        int flags = ((f[x + 4] & 0xff) << 24) | ((f[x + 5] & 0xff) << 16) | ((f[x + 6] & 0xff) << 8) | (f[x + 7] & 0xff);
        int p = x + 8;
        p += (flags & 1) != 0 ? 4 : 0;   // frame count
        p += (flags & 2) != 0 ? 4 : 0;   // byte count
        p += (flags & 4) != 0 ? 100 : 0; // seek table
        p += (flags & 8) != 0 ? 4 : 0;   // quality
        // the LAME extension: a 9-character encoder name, then at +21 delay and padding, 12 bits each
        if (p + 24 > length) {
            return new int[] {0, 0};
        }
        for (int i = 0; i < 4; i++) {
            int c = f[p + i] & 0xff;
            if (c < 0x20 || c > 0x7e) {
                return new int[] {0, 0};
            }
        }
        int a = f[p + 21] & 0xff;
        int b = f[p + 22] & 0xff;
        int c = f[p + 23] & 0xff;
        return new int[] {(a << 4) | (b >> 4), ((b & 0x0f) << 8) | c};
    }

    private static long skipId3v2(BufferedInputStream in) throws IOException {
        in.mark(10);
        byte[] h = in.readNBytes(10);
        if (h.length == 10 && FormatSniffer.ascii(h, 0, "ID3")) {
            long size = ((h[6] & 0x7f) << 21) | ((h[7] & 0x7f) << 14) | ((h[8] & 0x7f) << 7) | (h[9] & 0x7f);
            boolean footer = (h[5] & 0x10) != 0;
            long skip = size + (footer ? 10 : 0);
            in.skipNBytes(skip);
            return 10 + skip;
        }
        in.reset();
        return 0;
    }
}
