package dev.assetlib.media;

import com.drew.imaging.ImageProcessingException;
import com.drew.imaging.bmp.BmpMetadataReader;
import com.drew.imaging.gif.GifMetadataReader;
import com.drew.imaging.jpeg.JpegMetadataReader;
import com.drew.imaging.mp4.Mp4MetadataReader;
import com.drew.imaging.png.PngMetadataReader;
import com.drew.imaging.quicktime.QuickTimeMetadataReader;
import com.drew.imaging.tiff.TiffMetadataReader;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.bmp.BmpHeaderDirectory;
import com.drew.metadata.exif.ExifDirectoryBase;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.gif.GifHeaderDirectory;
import com.drew.metadata.jpeg.JpegDirectory;
import com.drew.metadata.jpeg.JpegReader;
import com.drew.metadata.mov.QuickTimeDirectory;
import com.drew.metadata.mov.media.QuickTimeSoundDirectory;
import com.drew.metadata.mov.media.QuickTimeVideoDirectory;
import com.drew.metadata.mp4.Mp4Directory;
import com.drew.metadata.mp4.media.Mp4SoundDirectory;
import com.drew.metadata.mp4.media.Mp4VideoDirectory;
import com.drew.metadata.png.PngDirectory;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Says what a stored file is, by content: the format from its magic bytes, then what applies of
 * width, height, duration, frame rate, codecs, sample rate and channels. JPEG, PNG, BMP, GIF, TIFF
 * and the MP4/MOV headers through metadata-extractor (which streams and skips, never holding the
 * file); WebP size, frame rate, WAV and MP3 durations and the completeness checks hand-written where
 * it gives nothing reliable or reads too much ({@link IsoBoxes}, {@link WavChunks}, {@link Mp3Frames},
 * {@link ImageIntegrity}).
 */
public final class MediaProbe {
    private static final int STREAM_BUFFER = 64 * 1024;

    public ProbeResult probe(Path file) throws IOException {
        long bytes = Files.size(file);
        byte[] head = new byte[FormatSniffer.HEAD];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        MediaFormat format = FormatSniffer.sniff(head, n);
        try {
            return switch (format) {
                case JPEG, PNG, WEBP, BMP, TIFF, GIF -> image(format, file, bytes);
                case MP4, MOV -> video(format, file, bytes);
                case WAV -> wav(file, bytes);
                case MP3 -> mp3(file, bytes);
                default -> new ProbeResult.Probed(MediaFacts.other(format, bytes));
            };
        } catch (ImageProcessingException | IOException | RuntimeException e) {
            // a structure that ends early or points past itself (EOFException, an index out of range):
            // the file's fault, not a fault of ours to retry - the file was read whole from local disk above
            return new ProbeResult.Unreadable(format, format.name() + " cannot be read (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }

    private static ProbeResult image(MediaFormat format, Path file, long bytes) throws IOException, ImageProcessingException {
        Optional<String> broken = ImageIntegrity.problem(format, file);
        if (broken.isPresent()) {
            return new ProbeResult.Unreadable(format, broken.get());
        }
        Metadata m;
        Integer w;
        Integer h;
        switch (format) {
            case JPEG -> {
                // only the frame header: no EXIF, XMP or ICC parsing
                try (InputStream in = stream(file)) {
                    m = JpegMetadataReader.readMetadata(in, List.of(new JpegReader()));
                }
                w = integer(m, JpegDirectory.class, JpegDirectory.TAG_IMAGE_WIDTH);
                h = integer(m, JpegDirectory.class, JpegDirectory.TAG_IMAGE_HEIGHT);
            }
            case PNG -> {
                try (InputStream in = stream(file)) {
                    m = PngMetadataReader.readMetadata(in);
                }
                w = integer(m, PngDirectory.class, PngDirectory.TAG_IMAGE_WIDTH);
                h = integer(m, PngDirectory.class, PngDirectory.TAG_IMAGE_HEIGHT);
            }
            case WEBP -> {
                // by hand: metadata-extractor reads the whole VP8/VP8L chunk (the image data) into memory for two numbers
                int[] wh = webpSize(file);
                if (wh == null) {
                    return new ProbeResult.Unreadable(format, "WEBP has no VP8, VP8L or VP8X header");
                }
                w = wh[0];
                h = wh[1];
            }
            case BMP -> {
                try (InputStream in = stream(file)) {
                    m = BmpMetadataReader.readMetadata(in);
                }
                w = integer(m, BmpHeaderDirectory.class, BmpHeaderDirectory.TAG_IMAGE_WIDTH);
                h = integer(m, BmpHeaderDirectory.class, BmpHeaderDirectory.TAG_IMAGE_HEIGHT);
                h = h == null ? null : Math.abs(h); // negative for top-down bitmaps
            }
            case GIF -> {
                try (InputStream in = stream(file)) {
                    m = GifMetadataReader.readMetadata(in);
                }
                w = integer(m, GifHeaderDirectory.class, GifHeaderDirectory.TAG_IMAGE_WIDTH);
                h = integer(m, GifHeaderDirectory.class, GifHeaderDirectory.TAG_IMAGE_HEIGHT);
            }
            default -> { // TIFF: random access, reads only the IFDs
                m = TiffMetadataReader.readMetadata(file.toFile());
                w = integer(m, ExifIFD0Directory.class, ExifDirectoryBase.TAG_IMAGE_WIDTH);
                h = integer(m, ExifIFD0Directory.class, ExifDirectoryBase.TAG_IMAGE_HEIGHT);
            }
        }
        if (w == null || h == null || w <= 0 || h <= 0) {
            return new ProbeResult.Unreadable(format, format.name() + " header gives no width and height");
        }
        return new ProbeResult.Probed(MediaFacts.image(format, bytes, w, h));
    }

    private static ProbeResult video(MediaFormat format, Path file, long bytes) throws IOException {
        IsoBoxes.VideoTrack track;
        try {
            track = IsoBoxes.read(file, format.name());
        } catch (IsoBoxes.Broken b) {
            return new ProbeResult.Unreadable(format, b.getMessage());
        }
        boolean mov = format == MediaFormat.MOV;
        Metadata m;
        try (InputStream in = stream(file)) {
            m = mov ? QuickTimeMetadataReader.readMetadata(in) : Mp4MetadataReader.readMetadata(in);
        }
        Class<? extends Directory> movie = mov ? QuickTimeDirectory.class : Mp4Directory.class;
        Class<? extends Directory> video = mov ? QuickTimeVideoDirectory.class : Mp4VideoDirectory.class;
        Class<? extends Directory> sound = mov ? QuickTimeSoundDirectory.class : Mp4SoundDirectory.class;
        Long duration = longValue(m, movie, mov ? QuickTimeDirectory.TAG_DURATION : Mp4Directory.TAG_DURATION);
        Long timescale = longValue(m, movie, mov ? QuickTimeDirectory.TAG_TIME_SCALE : Mp4Directory.TAG_TIME_SCALE);
        // the two containers' directories number their tags differently
        Integer w = integer(m, video, mov ? QuickTimeVideoDirectory.TAG_WIDTH : Mp4VideoDirectory.TAG_WIDTH);
        Integer h = integer(m, video, mov ? QuickTimeVideoDirectory.TAG_HEIGHT : Mp4VideoDirectory.TAG_HEIGHT);
        if (duration == null || timescale == null || timescale <= 0) {
            return new ProbeResult.Unreadable(format, format.name() + " has no movie header (mvhd) with a duration");
        }
        if (w == null || h == null) {
            return new ProbeResult.Unreadable(format, format.name() + " has no video track");
        }
        Double fps = track.fps() != null ? track.fps()
                : doubleValue(m, video, mov ? QuickTimeVideoDirectory.TAG_FRAME_RATE : Mp4VideoDirectory.TAG_FRAME_RATE);
        Directory s = m.getFirstDirectoryOfType(sound);
        String audioCodec = s == null ? null
                : s.getDescription(mov ? QuickTimeSoundDirectory.TAG_AUDIO_FORMAT : Mp4SoundDirectory.TAG_AUDIO_FORMAT);
        Integer rate = integer(m, sound, mov ? QuickTimeSoundDirectory.TAG_AUDIO_SAMPLE_RATE : Mp4SoundDirectory.TAG_AUDIO_SAMPLE_RATE);
        Integer channels = integer(m, sound, mov ? QuickTimeSoundDirectory.TAG_NUMBER_OF_CHANNELS : Mp4SoundDirectory.TAG_NUMBER_OF_CHANNELS);
        long ms = Math.round(duration * 1000.0 / timescale);
        return new ProbeResult.Probed(new MediaFacts(format, bytes, null, w, h, ms, fps, track.codec(), audioCodec, rate, channels));
    }

    private static ProbeResult wav(Path file, long bytes) throws IOException {
        try {
            WavChunks.Wave w = WavChunks.read(file);
            String codec = switch (w.formatTag()) {
                case 1 -> "pcm_" + w.bitsPerSample();
                case 3 -> "float_" + w.bitsPerSample();
                case 0xfffe -> "extensible_" + w.bitsPerSample();
                default -> "format_" + w.formatTag();
            };
            return new ProbeResult.Probed(MediaFacts.audio(MediaFormat.WAV, bytes, w.durationMs(), codec, w.sampleRate(), w.channels()));
        } catch (WavChunks.Broken b) {
            return new ProbeResult.Unreadable(MediaFormat.WAV, b.getMessage());
        }
    }

    private static ProbeResult mp3(Path file, long bytes) throws IOException {
        Mp3Frames.Stream s = Mp3Frames.read(file);
        if (s == null) {
            return new ProbeResult.Unreadable(MediaFormat.MP3, "MP3 has no MPEG audio frames");
        }
        return new ProbeResult.Probed(MediaFacts.audio(MediaFormat.MP3, bytes, s.durationMs(), "mp3", s.sampleRate(), s.channels()));
    }

    /** Width and height from the first chunk's header (RIFF "WEBP", then VP8 / VP8L / VP8X), or null. */
    static int[] webpSize(Path file) throws IOException {
        byte[] b = new byte[32];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(b, 0, b.length);
        }
        if (n < 30) {
            return null;
        }
        if (FormatSniffer.ascii(b, 12, "VP8X")) {
            return new int[] {1 + le24(b, 24), 1 + le24(b, 27)};
        }
        if (FormatSniffer.ascii(b, 12, "VP8L") && (b[20] & 0xff) == 0x2f) {
            long bits = (b[21] & 0xffL) | ((b[22] & 0xffL) << 8) | ((b[23] & 0xffL) << 16) | ((b[24] & 0xffL) << 24);
            return new int[] {1 + (int) (bits & 0x3fff), 1 + (int) ((bits >> 14) & 0x3fff)};
        }
        if (FormatSniffer.ascii(b, 12, "VP8 ") && (b[23] & 0xff) == 0x9d && (b[24] & 0xff) == 0x01 && (b[25] & 0xff) == 0x2a) {
            return new int[] {((b[26] & 0xff) | ((b[27] & 0xff) << 8)) & 0x3fff, ((b[28] & 0xff) | ((b[29] & 0xff) << 8)) & 0x3fff};
        }
        return null;
    }

    private static int le24(byte[] b, int at) {
        return (b[at] & 0xff) | ((b[at + 1] & 0xff) << 8) | ((b[at + 2] & 0xff) << 16);
    }

    private static InputStream stream(Path file) throws IOException {
        return new BufferedInputStream(Files.newInputStream(file), STREAM_BUFFER);
    }

    private static Integer integer(Metadata m, Class<? extends Directory> type, int tag) {
        Directory d = m.getFirstDirectoryOfType(type);
        return d == null ? null : d.getInteger(tag);
    }

    private static Long longValue(Metadata m, Class<? extends Directory> type, int tag) {
        Directory d = m.getFirstDirectoryOfType(type);
        return d == null ? null : d.getLongObject(tag);
    }

    private static Double doubleValue(Metadata m, Class<? extends Directory> type, int tag) {
        Directory d = m.getFirstDirectoryOfType(type);
        return d == null ? null : d.getDoubleObject(tag);
    }
}
