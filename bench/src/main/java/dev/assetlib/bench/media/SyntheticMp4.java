package dev.assetlib.bench.media;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * An MP4 of an exact size written by code, for when no encoder is at hand (and for the 50 MB
 * video, whose size must be exact): a valid ISO-BMFF box structure (ftyp, mdat, then moov as
 * ffmpeg writes it by default) with one avc1 video track of {@code width x height} at {@code fps}
 * for {@code seconds}, and an mdat of length-prefixed NAL units of pseudo-random bytes (an
 * incompressible payload, like real video). The probe reads boxes and never decodes samples, so
 * it sees what it sees in a camera file; a player would show garbage frames.
 */
public final class SyntheticMp4 {
    private SyntheticMp4() {
    }

    public static void write(Path file, long totalBytes, int width, int height, int fps, int seconds) throws IOException {
        int samples = fps * seconds;
        int timescale = fps * 512;
        byte[] ftyp = box("ftyp", cat("isom".getBytes(StandardCharsets.US_ASCII), u32(512),
                "isomiso2avc1mp41".getBytes(StandardCharsets.US_ASCII)));
        // moov's size does not depend on the sample sizes' values: size it once with zeros
        int moovSize = moov(new int[samples], 0, width, height, timescale, seconds).length;
        long payload = totalBytes - ftyp.length - 8 - moovSize;
        if (payload < samples * 16L) {
            throw new IllegalArgumentException(totalBytes + " bytes is too small for " + samples + " samples");
        }
        int[] sizes = new int[samples];
        long base = payload / (samples + 4L * ((samples + fps - 1) / fps)); // key frames every second: 5x a delta frame
        long sum = 0;
        for (int i = 0; i < samples; i++) {
            sizes[i] = (int) (i % fps == 0 ? base * 5 : base);
            sum += sizes[i];
        }
        sizes[samples - 1] += (int) (payload - sum);
        byte[] moov = moov(sizes, ftyp.length + 8, width, height, timescale, seconds);
        SplittableRandom random = new SplittableRandom(width * 31L + height * 7L + seconds);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write(ftyp);
            out.write(u32(8 + payload));
            out.write("mdat".getBytes(StandardCharsets.US_ASCII));
            byte[] buf = new byte[1 << 16];
            for (int i = 0; i < samples; i++) {
                out.write(u32(sizes[i] - 4)); // AVC length prefix
                out.write(i % fps == 0 ? 0x65 : 0x41); // IDR slice / non-IDR slice NAL header
                long left = sizes[i] - 5L;
                while (left > 0) {
                    int n = (int) Math.min(buf.length, left);
                    fill(random, buf, n);
                    out.write(buf, 0, n);
                    left -= n;
                }
            }
            out.write(moov);
        }
        if (Files.size(file) != totalBytes) {
            throw new IllegalStateException("wrote " + Files.size(file) + " bytes, meant " + totalBytes);
        }
    }

    private static void fill(SplittableRandom random, byte[] buf, int n) {
        for (int i = 0; i < n; i += 8) {
            long v = random.nextLong();
            for (int k = 0; k < 8 && i + k < n; k++) {
                buf[i + k] = (byte) (v >>> (8 * k));
            }
        }
    }

    private static byte[] moov(int[] sizes, long firstSample, int width, int height, int timescale, int seconds) throws IOException {
        int movieTimescale = 1000;
        byte[] mvhd = full("mvhd", 0, 0, cat(u32(0), u32(0), u32(movieTimescale), u32(seconds * 1000L), u32(0x00010000),
                u16(0x0100), new byte[10], matrix(), new byte[24], u32(2)));
        byte[] tkhd = full("tkhd", 0, 3, cat(u32(0), u32(0), u32(1), u32(0), u32(seconds * 1000L), new byte[8], u16(0), u16(0),
                u16(0), u16(0), matrix(), u32((long) width << 16), u32((long) height << 16)));
        byte[] mdhd = full("mdhd", 0, 0, cat(u32(0), u32(0), u32(timescale), u32((long) sizes.length * 512), u16(0x55c4), u16(0)));
        byte[] hdlr = full("hdlr", 0, 0, cat(u32(0), "vide".getBytes(StandardCharsets.US_ASCII), new byte[12],
                "VideoHandler\0".getBytes(StandardCharsets.US_ASCII)));
        byte[] vmhd = full("vmhd", 0, 1, new byte[8]);
        byte[] dinf = box("dinf", full("dref", 0, 0, cat(u32(1), full("url ", 0, 1, new byte[0]))));
        // a baseline-looking SPS/PPS: well formed as an avcC record, not meant to be decoded
        byte[] sps = {0x67, 0x64, 0x00, 0x28, (byte) 0xac, (byte) 0xd9, 0x40, 0x78, 0x02, 0x27, (byte) 0xe5, (byte) 0xc0, 0x44};
        byte[] pps = {0x68, (byte) 0xeb, (byte) 0xe3, (byte) 0xcb, 0x22, (byte) 0xc0};
        byte[] avcC = box("avcC", cat(new byte[] {1, 0x64, 0x00, 0x28, (byte) 0xff, (byte) 0xe1}, u16(sps.length), sps,
                new byte[] {1}, u16(pps.length), pps));
        byte[] compressor = new byte[32];
        byte[] avc1 = box("avc1", cat(new byte[6], u16(1), u16(0), u16(0), new byte[12], u16(width), u16(height),
                u32(0x00480000), u32(0x00480000), u32(0), u16(1), compressor, u16(0x18), u16(0xffff), avcC));
        byte[] stsd = full("stsd", 0, 0, cat(u32(1), avc1));
        byte[] stts = full("stts", 0, 0, cat(u32(1), u32(sizes.length), u32(512)));
        byte[] stsc = full("stsc", 0, 0, cat(u32(1), u32(1), u32(sizes.length), u32(1)));
        ByteArrayOutputStream sz = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(sz);
        d.writeInt(0);
        d.writeInt(sizes.length);
        for (int s : sizes) {
            d.writeInt(s);
        }
        byte[] stsz = full("stsz", 0, 0, sz.toByteArray());
        byte[] stco = full("stco", 0, 0, cat(u32(1), u32(firstSample)));
        byte[] stss = full("stss", 0, 0, syncSamples(sizes.length, timescale / 512));
        byte[] stbl = box("stbl", cat(stsd, stts, stss, stsc, stsz, stco));
        byte[] minf = box("minf", cat(vmhd, dinf, stbl));
        byte[] mdia = box("mdia", cat(mdhd, hdlr, minf));
        byte[] trak = box("trak", cat(tkhd, mdia));
        return box("moov", cat(mvhd, trak));
    }

    private static byte[] syncSamples(int samples, int fps) {
        int n = (samples + fps - 1) / fps;
        byte[][] parts = new byte[n + 1][];
        parts[0] = u32(n);
        for (int i = 0; i < n; i++) {
            parts[i + 1] = u32(1L + (long) i * fps);
        }
        return cat(parts);
    }

    private static byte[] matrix() {
        return cat(u32(0x00010000), u32(0), u32(0), u32(0), u32(0x00010000), u32(0), u32(0), u32(0), u32(0x40000000));
    }

    private static byte[] full(String type, int version, int flags, byte[] body) {
        return box(type, cat(u32(((long) version << 24) | flags), body));
    }

    private static byte[] box(String type, byte[] body) {
        return cat(u32(8L + body.length), type.getBytes(StandardCharsets.US_ASCII), body);
    }

    private static byte[] u32(long v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private static byte[] u16(int v) {
        return new byte[] {(byte) (v >>> 8), (byte) v};
    }

    private static byte[] cat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
