package dev.assetlib.cli.term;

import java.io.PrintStream;
import java.util.List;

/**
 * The live status lines of {@code --wait} and {@code wait}: one line per asset on stderr, redrawn
 * in place (cursor up, clear line) after every poll. Only on a terminal; on a pipe it is silent.
 */
public final class StatusBoard {
    private final PrintStream err;
    private final boolean enabled;
    private int drawn;

    public StatusBoard(PrintStream err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    public void draw(List<String> lines) {
        if (!enabled) {
            return;
        }
        StringBuilder out = new StringBuilder();
        if (drawn > 0) {
            out.append("\u001b[").append(drawn).append('A');
        }
        for (String line : lines) {
            out.append("\r\u001b[2K").append(line).append('\n');
        }
        drawn = lines.size();
        err.print(out);
        err.flush();
    }

    /** Removes the lines, so the final result stands alone. */
    public void clear() {
        if (!enabled || drawn == 0) {
            return;
        }
        StringBuilder out = new StringBuilder("\u001b[").append(drawn).append('A');
        out.append("\r\u001b[J");
        drawn = 0;
        err.print(out);
        err.flush();
    }
}
