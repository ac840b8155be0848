package dev.assetlib.cli;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Media the tests make themselves: a PNG portrait drawn with ImageIO, other bytes as needed. */
public final class TestMedia {
    private TestMedia() {
    }

    /** A 400 x 500 PNG (inside the vendor's 300-6000 px and 0.4-2.5 aspect limits). */
    public static Path png(Path dir, String name) throws IOException {
        BufferedImage image = new BufferedImage(400, 500, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(0x204080));
        g.fillRect(0, 0, 400, 500);
        g.setColor(new Color(0xF0C090));
        g.fillOval(100, 80, 200, 260);
        g.dispose();
        Path file = dir.resolve(name);
        ImageIO.write(image, "png", file.toFile());
        return file;
    }
}
