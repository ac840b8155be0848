package dev.assetlib.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.assetlib.cli.http.ApiClient;
import dev.assetlib.cli.http.RetryPolicy;
import dev.assetlib.cli.http.Sleeper;
import dev.assetlib.cli.term.Terminal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs the CLI in this JVM as a user would run it, with its own environment (no inherited
 * ASSETLIB_* variables), a home and config directory of its own, stdin text, and stdout/stderr
 * captured. A pipe by default; {@link #terminal} makes stderr/stdout "terminals".
 */
public final class CliRunner {
    static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> env = new HashMap<>();
    private final Path home;
    private Terminal terminal = Terminal.PIPE;
    private Sleeper sleeper = Sleeper.REAL;
    private RetryPolicy retries = RetryPolicy.DEFAULT;
    private Interrupts interrupts = new Interrupts();

    public CliRunner() {
        try {
            home = Files.createTempDirectory("assetlib-cli-home");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
    }

    /** Endpoint and key in the environment, as ASSETLIB_ENDPOINT / ASSETLIB_KEY. */
    public static CliRunner against(String endpoint, String key) {
        return new CliRunner().env("ASSETLIB_ENDPOINT", endpoint).env("ASSETLIB_KEY", key);
    }

    public CliRunner env(String name, String value) {
        if (value == null) {
            env.remove(name);
        } else {
            env.put(name, value);
        }
        return this;
    }

    public CliRunner terminal(Terminal t) {
        this.terminal = t;
        return this;
    }

    public CliRunner sleeper(Sleeper s) {
        this.sleeper = s;
        return this;
    }

    public CliRunner retries(RetryPolicy r) {
        this.retries = r;
        return this;
    }

    public Path home() {
        return home;
    }

    public Map<String, String> environment() {
        return env;
    }

    public Interrupts interrupts() {
        return interrupts;
    }

    public CliContext context(String stdin, ByteArrayOutputStream out, ByteArrayOutputStream err) {
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        ByteArrayInputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        return new CliContext(Map.copyOf(env), home, in, o, e, terminal, new Prompter(null, in, e), sleeper, Clock.systemUTC(),
                System::nanoTime, ApiClient.defaultHttpClient(), retries, interrupts);
    }

    public Result run(String... args) {
        return runWithInput("", args);
    }

    public Result runWithInput(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Cli.run(context(stdin, out, err), args);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    public record Result(int exit, String out, String err) {
        public JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("stdout is not one JSON document: " + out + "\nstderr: " + err, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
