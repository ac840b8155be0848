package dev.assetlib.cli.term;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    String written() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void showsBytesRateAndTimeLeftFromTheClock() {
        ProgressBar bar = new ProgressBar(err, true, now::get, 100, "clip.mp4", 10 * 1024 * 1024);
        now.addAndGet(2_000_000_000L); // 2 s later, 4 MiB sent: 2 MiB/s, 6 MiB left = 3 s
        bar.advance(4 * 1024 * 1024);

        assertThat(bar.render()).startsWith("clip.mp4 [").contains(" 40%", "4.0 MiB / 10 MiB", "2.0 MiB/s", "0:03 left");
        assertThat(bar.render().length()).isLessThanOrEqualTo(100);
        assertThat(written()).startsWith("\rclip.mp4 [").doesNotContain("\n");
    }

    @Test
    void redrawsAtMostEveryHundredMillisecondsAndEndsItsLineWhenDone() {
        ProgressBar bar = new ProgressBar(err, true, now::get, 80, "a.png", 1000);
        bar.advance(100);
        bar.advance(100); // the same instant as the first drawing: not redrawn
        long drawsBefore = written().chars().filter(c -> c == '\r').count();
        now.addAndGet(ProgressBar.REDRAW_NANOS);
        bar.advance(800);
        bar.finish();

        assertThat(drawsBefore).isEqualTo(1); // only the start
        assertThat(written().chars().filter(c -> c == '\r').count()).isEqualTo(3); // + 100 ms later, + finish
        assertThat(written()).endsWith("done\n").contains("100%");
    }

    @Test
    void writesNothingAtAllWhenNotOnATerminal() {
        ProgressBar bar = new ProgressBar(err, false, now::get, 80, "a.png", 1000);
        now.addAndGet(1_000_000_000L);
        bar.advance(1000);
        bar.finish();
        assertThat(written()).isEmpty();
        assertThat(bar.sent()).isEqualTo(1000);
    }
}
