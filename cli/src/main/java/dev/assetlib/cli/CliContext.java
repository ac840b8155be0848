package dev.assetlib.cli;

import dev.assetlib.cli.http.ApiClient;
import dev.assetlib.cli.http.RetryPolicy;
import dev.assetlib.cli.http.Sleeper;
import dev.assetlib.cli.term.Terminal;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Everything a command touches outside itself: environment, home, streams, terminal, prompts,
 * time, HTTP and the Ctrl-C registry. {@link Main} builds the real one; tests build their own.
 */
public record CliContext(
        Map<String, String> env,
        Path home,
        InputStream in,
        PrintStream out,
        PrintStream err,
        Terminal terminal,
        Prompter prompter,
        Sleeper sleeper,
        Clock clock,
        LongSupplier nanoTime,
        HttpClient http,
        RetryPolicy retries,
        Interrupts interrupts) {

    public static CliContext system() {
        Map<String, String> env = System.getenv();
        return new CliContext(env, Path.of(System.getProperty("user.home")), System.in, System.out, System.err,
                Terminal.detect(env), new Prompter(System.console(), System.in, System.err), Sleeper.REAL,
                Clock.systemUTC(), System::nanoTime, ApiClient.defaultHttpClient(), RetryPolicy.DEFAULT, new Interrupts());
    }
}
