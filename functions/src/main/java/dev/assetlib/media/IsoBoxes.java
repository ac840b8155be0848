package dev.assetlib.media;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The box structure of an MP4/MOV file, read by seeking from box header to box header (the
 * samples are never read). It checks that the top-level boxes fill the file exactly (a cut file is
 * refused) and measures the video track's average frame rate from its stts and mdhd boxes:
 * metadata-extractor gives the rate of the first stts entry only, wrong for variable rates.
 */
final class IsoBoxes {
    /** The largest moov box read into memory (real ones are kilobytes; a 15 s clip's is far under 1 MB). */
    static final int MAX_MOOV = 16 * 1024 * 1024;

    private IsoBoxes() {
    }

    static final class Broken extends Exception {
        Broken(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The video track's average frame rate and its sample-entry codec (avc1, hvc1, ...); either may be null. */
    record VideoTrack(Double fps, String codec) {
    }

    static VideoTrack read(Path file, String name) throws IOException, Broken {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long length = f.length();
            long pos = 0;
            byte[] moov = null;
            boolean mdat = false;
            while (pos < length) {
                if (pos + 8 > length) {
                    throw new Broken(name + " ends inside a box header (truncated)");
                }
                f.seek(pos);
                long size = f.readInt() & 0xffffffffL;
                int type = f.readInt();
                long header = 8;
                if (size == 1) {
                    if (pos + 16 > length) {
                        throw new Broken(name + " ends inside a box header (truncated)");
                    }
                    size = f.readLong();
                    header = 16;
                } else if (size == 0) {
                    size = length - pos; // to the end of the file
                }
                if (size < header) {
                    throw new Broken(name + " has a malformed '" + fourcc(type) + "' box");
                }
                if (pos + size > length) {
                    throw new Broken(name + " ends inside its '" + fourcc(type) + "' box (" + (length - pos) + " of " + size
                            + " bytes; truncated)");
                }
                if (type == fourcc("moov")) {
                    if (size - header > MAX_MOOV) {
                        throw new Broken(name + " has a moov box larger than " + (MAX_MOOV >> 20) + " MB");
                    }
                    moov = new byte[(int) (size - header)];
                    f.seek(pos + header);
                    f.readFully(moov);
                } else if (type == fourcc("mdat")) {
                    mdat = true;
                }
                pos += size;
            }
            if (moov == null) {
                throw new Broken(name + " has no moov box (no index of its samples)");
            }
            if (!mdat) {
                throw new Broken(name + " has no mdat box (no samples)");
            }
            return videoTrack(ByteBuffer.wrap(moov));
        }
    }

    private static VideoTrack videoTrack(ByteBuffer moov) {
        for (ByteBuffer trak : children(moov, "trak")) {
            ByteBuffer mdia = child(trak, "mdia");
            if (mdia == null) {
                continue;
            }
            ByteBuffer hdlr = child(mdia, "hdlr");
            if (hdlr == null || hdlr.remaining() < 12 || hdlr.getInt(hdlr.position() + 8) != fourcc("vide")) {
                continue;
            }
            ByteBuffer mdhd = child(mdia, "mdhd");
            ByteBuffer stbl = path(mdia, "minf", "stbl");
            ByteBuffer stts = stbl == null ? null : child(stbl, "stts");
            ByteBuffer stsd = stbl == null ? null : child(stbl, "stsd");
            String codec = stsd != null && stsd.remaining() >= 16 ? fourcc(stsd.getInt(stsd.position() + 12)) : null;
            Double fps = null;
            if (mdhd != null && stts != null) {
                int p = mdhd.position();
                long timescale = mdhd.get(p) == 1 ? mdhd.getInt(p + 20) & 0xffffffffL : mdhd.getInt(p + 12) & 0xffffffffL;
                int q = stts.position();
                long entries = stts.getInt(q + 4) & 0xffffffffL;
                long samples = 0;
                long ticks = 0;
                for (long i = 0; i < entries && q + 16 + i * 8 <= stts.limit(); i++) {
                    long count = stts.getInt((int) (q + 8 + i * 8)) & 0xffffffffL;
                    long delta = stts.getInt((int) (q + 12 + i * 8)) & 0xffffffffL;
                    samples += count;
                    ticks += count * delta;
                }
                if (timescale > 0 && ticks > 0) {
                    fps = Math.round(samples * (double) timescale / ticks * 1000) / 1000.0;
                }
            }
            return new VideoTrack(fps, codec);
        }
        return new VideoTrack(null, null);
    }

    private static ByteBuffer path(ByteBuffer b, String... types) {
        ByteBuffer at = b;
        for (String t : types) {
            at = at == null ? null : child(at, t);
        }
        return at;
    }

    private static ByteBuffer child(ByteBuffer parent, String type) {
        var all = children(parent, type);
        return all.isEmpty() ? null : all.get(0);
    }

    /** The bodies of the direct children of {@code parent} with this type (slices; the parent is not moved). */
    private static java.util.List<ByteBuffer> children(ByteBuffer parent, String type) {
        java.util.List<ByteBuffer> out = new java.util.ArrayList<>();
        int want = fourcc(type);
        int p = parent.position();
        int end = parent.limit();
        while (p + 8 <= end) {
            long size = parent.getInt(p) & 0xffffffffL;
            int t = parent.getInt(p + 4);
            int header = 8;
            if (size == 1 && p + 16 <= end) {
                size = parent.getLong(p + 8);
                header = 16;
            } else if (size == 0) {
                size = end - p;
            }
            if (size < header || p + size > end) {
                break;
            }
            if (t == want) {
                ByteBuffer body = parent.duplicate();
                body.position(p + header).limit((int) (p + size));
                out.add(body.slice());
            }
            p += (int) size;
        }
        return out;
    }

    static int fourcc(String s) {
        return (s.charAt(0) << 24) | (s.charAt(1) << 16) | (s.charAt(2) << 8) | s.charAt(3);
    }

    static String fourcc(int v) {
        char[] c = {(char) ((v >>> 24) & 0xff), (char) ((v >>> 16) & 0xff), (char) ((v >>> 8) & 0xff), (char) (v & 0xff)};
        for (char ch : c) {
            if (ch < 0x20 || ch > 0x7e) {
                return String.format("0x%08x", v);
            }
        }
        return new String(c);
    }
}
