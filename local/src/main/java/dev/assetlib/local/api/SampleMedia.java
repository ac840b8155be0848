package dev.assetlib.local.api;

import com.sun.net.httpserver.HttpExchange;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * The local stack's own sample media at {@code /samples/}, on an origin the media step is allowed
 * to fetch (127.0.0.1 is otherwise refused by the SSRF guard), so the quick start and the
 * end-to-end tests work without internet. Any path is served by its extension: {@code .jpg},
 * {@code .jpeg}, {@code .png} and {@code .gif} a 640x640 image (or W x H when the name ends in
 * {@code -WxH}, e.g. {@code thumb-240x180.jpg}), {@code .webp} a 400x300 still, {@code .mp4} and
 * {@code .mov} a 2-3 s 640x640 clip, {@code .mp3} and {@code .wav} a 2-3 s tone (the files made by
 * resources/samples/make-samples.sh). A path's bytes are its own (the path is drawn into the
 * image, or carried in a trailing free box or RIFF chunk; mp3 and webp excepted), so two paths
 * are different bytes while one path is always the same. {@code /samples/status/NNN/...}
 * answers that HTTP status.
 */
public final class SampleMedia {
    public static final String PATH = "/samples/";
    private static final Pattern SIZE = Pattern.compile("-(\\d{1,4})x(\\d{1,4})\\.[a-z0-9]+$");
    private static final Pattern STATUS = Pattern.compile("^/samples/status/(\\d{3})/");
    private static final Map<String, String> TYPES = Map.of("jpg", "image/jpeg", "jpeg", "image/jpeg", "png", "image/png",
            "gif", "image/gif", "webp", "image/webp", "mp4", "video/mp4", "mov", "video/quicktime", "mp3", "audio/mpeg", "wav", "audio/wav");
    private final byte[] mp4 = resource("clip.mp4");
    private final byte[] mov = resource("clip.mov");
    private final byte[] mp3 = resource("voice.mp3");
    private final byte[] wav = resource("voice.wav");
    private final byte[] webp = resource("still.webp");

    public static boolean handles(String rawPath) {
        return rawPath.startsWith(PATH);
    }

    public void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            Matcher status = STATUS.matcher(path);
            if (status.find()) {
                send(exchange, Integer.parseInt(status.group(1)), "text/plain", "sample status\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            int dot = path.lastIndexOf('.');
            String ext = dot < 0 ? "" : path.substring(dot + 1).toLowerCase(Locale.ROOT);
            byte[] body = bytes(path, ext);
            if (body == null) {
                send(exchange, 404, "text/plain", ("no sample for " + path + ": use .jpg .png .gif .webp .mp4 .mov .mp3 .wav\n")
                        .getBytes(StandardCharsets.UTF_8));
                return;
            }
            send(exchange, 200, TYPES.get(ext), exchange.getRequestMethod().equals("HEAD") ? null : body);
        }
    }

    /** The sample's bytes for this path, or null for an extension it has none of. */
    byte[] bytes(String path, String ext) {
        return switch (ext) {
            case "jpg", "jpeg" -> image(path, "jpg");
            case "png" -> image(path, "png");
            case "gif" -> image(path, "gif");
            case "webp" -> webp;
            case "mp4" -> withFreeBox(mp4, path);
            case "mov" -> withFreeBox(mov, path);
            case "wav" -> withChunk(wav, path);
            case "mp3" -> mp3;
            default -> null;
        };
    }

    private static byte[] image(String path, String format) {
        int w = 640;
        int h = 640;
        Matcher size = SIZE.matcher(path);
        if (size.find()) {
            w = Math.max(1, Math.min(6001, Integer.parseInt(size.group(1))));
            h = Math.max(1, Math.min(6001, Integer.parseInt(size.group(2))));
        }
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        int hash = path.hashCode();
        g.setColor(new Color(0x40 + (hash & 0x3f), 0x60 + ((hash >> 6) & 0x3f), 0x80 + ((hash >> 12) & 0x3f)));
        g.fillRect(0, 0, w, h);
        // the path's hash as 32 black/white blocks: distinct paths give distinct bytes, even as JPEG
        int block = Math.max(1, Math.min(w, h) / 16);
        for (int bit = 0; bit < 32; bit++) {
            g.setColor(((hash >>> bit) & 1) == 1 ? Color.WHITE : Color.BLACK);
            g.fillRect((bit % 8) * block, (bit / 8) * block, block, block);
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** An ISO-BMFF top-level {@code free} box carrying the path: players and probes skip it. */
    private static byte[] withFreeBox(byte[] file, String path) {
        byte[] text = path.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(file.length + 8 + text.length);
        b.put(file).putInt(8 + text.length).put("free".getBytes(StandardCharsets.US_ASCII)).put(text);
        return b.array();
    }

    /** A RIFF chunk after the data carrying the path (the RIFF size grown to include it). */
    private static byte[] withChunk(byte[] file, String path) {
        byte[] text = path.getBytes(StandardCharsets.UTF_8);
        int padded = text.length + (text.length & 1);
        ByteBuffer b = ByteBuffer.allocate(file.length + 8 + padded).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(file).put("note".getBytes(StandardCharsets.US_ASCII)).putInt(text.length).put(text);
        b.putInt(4, file.length + 8 + padded - 8);
        return b.array();
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body == null ? -1 : body.length == 0 ? -1 : body.length);
        if (body != null && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = SampleMedia.class.getResourceAsStream("/samples/" + name)) {
            if (in == null) {
                throw new IllegalStateException("sample " + name + " is missing from the local module's resources");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
