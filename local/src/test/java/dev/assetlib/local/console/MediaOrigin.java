package dev.assetlib.local.console;

import com.sun.net.httpserver.HttpServer;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/**
 * Another origin than the console's, serving small images made here (a drawn face on a gradient,
 * its hue from the path), as client media URLs point elsewhere. {@code /face/{n}.png}; every other
 * path 404. Counts image requests, so a test can tell an image was really fetched.
 */
public final class MediaOrigin implements AutoCloseable {
    private final HttpServer server;
    private final AtomicInteger served = new AtomicInteger();

    public MediaOrigin() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/face/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                if (!path.matches("/face/[0-9]{1,6}\\.png")) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                byte[] png = face(Integer.parseInt(path.substring(6, path.length() - 4)));
                exchange.getResponseHeaders().set("Content-Type", "image/png");
                exchange.sendResponseHeaders(200, png.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(png);
                }
                served.incrementAndGet();
            }
        });
        server.start();
    }

    /** The origin, e.g. http://127.0.0.1:41234, as the console's CSP lists it. */
    public String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String imageUrl(int n) {
        return origin() + "/face/" + n + ".png";
    }

    public int served() {
        return served.get();
    }

    /**
     * A 400x300 PNG: a face (head, eyes, mouth) on a gradient whose hue depends on n; drawn on a
     * 320x240 grid scaled up, so each side passes the media step's 300 px minimum.
     */
    static byte[] face(int n) {
        BufferedImage image = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.scale(1.25, 1.25);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        float hue = (n * 0.13f) % 1f;
        g.setPaint(new GradientPaint(0, 0, Color.getHSBColor(hue, 0.45f, 0.95f), 320, 240, Color.getHSBColor(hue, 0.7f, 0.55f)));
        g.fillRect(0, 0, 320, 240);
        g.setColor(new Color(241, 203, 170));
        g.fillOval(110, 50, 100, 130);
        g.setColor(new Color(60, 40, 30));
        g.fillOval(135, 95, 14, 10);
        g.fillOval(171, 95, 14, 10);
        g.setStroke(new BasicStroke(4));
        g.drawArc(138, 125, 44, 28, 200, 140);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
