package dev.assetlib.media;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/**
 * WAV format and exact duration from its RIFF chunks. metadata-extractor reads the fmt chunk but
 * gives the duration only as whole seconds ("00:00:15" for 15.4 s), and says nothing of a data
 * chunk cut short; this walks the chunk headers (seeking past the samples) and knows both.
 */
final class WavChunks {
    private WavChunks() {
    }

    record Wave(long durationMs, int formatTag, int sampleRate, int channels, int bitsPerSample) {
    }

    /** Thrown with the reason a WAV cannot be read through. */
    static final class Broken extends Exception {
        Broken(String reason) {
            super(reason, null, false, false);
        }
    }

    static Wave read(Path file) throws IOException, Broken {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long length = f.length();
            long pos = 12;
            int formatTag = -1;
            int channels = 0;
            int rate = 0;
            long byteRate = 0;
            int bits = 0;
            while (pos + 8 <= length) {
                f.seek(pos);
                byte[] h = new byte[8];
                f.readFully(h);
                String id = new String(h, 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
                long size = le32(h, 4);
                long body = pos + 8;
                if (id.equals("fmt ")) {
                    if (size < 16 || body + 16 > length) {
                        throw new Broken("WAV fmt chunk is cut short");
                    }
                    byte[] fmt = new byte[16];
                    f.readFully(fmt);
                    formatTag = (fmt[0] & 0xff) | ((fmt[1] & 0xff) << 8);
                    channels = (fmt[2] & 0xff) | ((fmt[3] & 0xff) << 8);
                    rate = (int) le32(fmt, 4);
                    byteRate = le32(fmt, 8);
                    bits = (fmt[14] & 0xff) | ((fmt[15] & 0xff) << 8);
                } else if (id.equals("data")) {
                    if (formatTag < 0) {
                        throw new Broken("WAV data chunk comes before its fmt chunk");
                    }
                    if (byteRate <= 0 || rate <= 0 || channels <= 0) {
                        throw new Broken("WAV fmt chunk gives no sample rate or channels");
                    }
                    long have = length - body;
                    if (size == 0xffffffffL || size == 0) {
                        size = have; // written by a stream that could not seek back: the rest of the file
                    } else if (size > have) {
                        throw new Broken("WAV ends inside its data chunk (" + have + " of " + size + " bytes; truncated)");
                    }
                    return new Wave(Math.round(size * 1000.0 / byteRate), formatTag, rate, channels, bits);
                }
                pos = body + size + (size & 1);
            }
            throw new Broken("WAV has no data chunk");
        }
    }

    private static long le32(byte[] b, int at) {
        return (b[at] & 0xffL) | ((b[at + 1] & 0xffL) << 8) | ((b[at + 2] & 0xffL) << 16) | ((b[at + 3] & 0xffL) << 24);
    }
}
