package dev.assetlib.cli.commands;

import dev.assetlib.cli.UsageException;
import dev.assetlib.cli.term.StatusBoard;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Option;

/** How {@code upload --wait} and {@code wait} poll. */
final class WaitOptions {
    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1s",
            description = "First pause between status checks, growing by half each round up to 10 s (default ${DEFAULT-VALUE}; 500ms, 2s, 1m).")
    String interval;

    @Option(names = "--timeout", paramLabel = "DURATION",
            description = "Stop waiting after this long (exit status 1 if any asset is still under review); default: no limit.")
    String timeout;

    Waiter waiter(BaseCommand command) {
        var root = command.root();
        var ctx = command.context();
        return new Waiter(command.api(), ctx.sleeper(), ctx.nanoTime(), new StatusBoard(ctx.err(), root.live()),
                root.terminal().stderrStyle(), duration("--interval", interval), timeout == null ? null : duration("--timeout", timeout),
                ctx.interrupts());
    }

    /** 500ms, 2s, 10m, 1h (or a bare number of seconds). */
    static Duration duration(String flag, String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            Duration d;
            if (t.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            } else if (t.endsWith("s")) {
                d = Duration.ofMillis((long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
            } else if (t.endsWith("m")) {
                d = Duration.ofMillis((long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 60_000));
            } else if (t.endsWith("h")) {
                d = Duration.ofMillis((long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 3_600_000));
            } else {
                d = Duration.ofMillis((long) (Double.parseDouble(t) * 1000));
            }
            if (d.isNegative() || d.isZero()) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " \"" + text + "\": use a positive duration like 500ms, 2s, 10m or 1h");
        }
    }
}
