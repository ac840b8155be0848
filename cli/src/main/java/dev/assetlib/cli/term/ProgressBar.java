package dev.assetlib.cli.term;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * One file's upload progress on one line of stderr: a bar, the bytes sent of the total, the rate
 * and the time left, redrawn in place (carriage return) at most every 100 ms. It draws only when
 * stderr is a terminal: on a pipe or in a log it writes nothing at all. The clock is injected.
 */
public final class ProgressBar {
    static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream err;
    private final boolean enabled;
    private final LongSupplier nanoTime;
    private final int width;
    private final String label;
    private final long total;
    private final long startNanos;
    private long sent;
    private long lastDraw = Long.MIN_VALUE;
    private int lastLength;

    public ProgressBar(PrintStream err, boolean enabled, LongSupplier nanoTime, int width, String label, long total) {
        this.err = err;
        this.enabled = enabled;
        this.nanoTime = nanoTime;
        this.width = width;
        this.label = label;
        this.total = total;
        this.startNanos = nanoTime.getAsLong();
        draw(false);
    }

    public synchronized void advance(long bytes) {
        sent += bytes;
        long now = nanoTime.getAsLong();
        if (now - lastDraw >= REDRAW_NANOS) {
            draw(false);
        }
    }

    /** Draws the final state and ends the line. */
    public synchronized void finish() {
        draw(true);
    }

    public synchronized long sent() {
        return sent;
    }

    /** The line as it is drawn now (without the carriage return). */
    public synchronized String render() {
        long now = nanoTime.getAsLong();
        double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
        double rate = sent / seconds;
        String left = sent >= total ? "done" : rate <= 0 ? "--:-- left" : Units.clock(Duration.ofSeconds((long) Math.ceil((total - sent) / rate))) + " left";
        int percent = total == 0 ? 100 : (int) Math.min(100, sent * 100 / total);
        String stats = String.format(java.util.Locale.ROOT, " %3d%%  %s / %s  %s/s  %s", percent, Units.bytes(sent), Units.bytes(total),
                Units.bytes((long) rate), left);
        String name = label.length() > 24 ? "..." + label.substring(label.length() - 21) : label;
        int barWidth = Math.max(10, width - name.length() - stats.length() - 5);
        int filled = (int) ((long) barWidth * percent / 100);
        return name + " [" + "=".repeat(filled) + (filled < barWidth ? ">" + " ".repeat(barWidth - filled - 1) : "") + "]" + stats;
    }

    private void draw(boolean last) {
        if (!enabled) {
            return;
        }
        lastDraw = nanoTime.getAsLong();
        String line = render();
        String pad = line.length() < lastLength ? " ".repeat(lastLength - line.length()) : "";
        lastLength = line.length();
        err.print("\r" + line + pad + (last ? "\n" : ""));
        err.flush();
    }
}
