package dev.assetlib.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Questions to the user: on a console the secret is read without echo; without one (a pipe, a
 * script) lines are read from stdin, so {@code printf '%s\n' "$KEY" | assetlib configure} works.
 */
public final class Prompter {
    private final Console console;
    private final BufferedReader in;
    private final PrintStream err;

    public Prompter(Console console, InputStream stdin, PrintStream err) {
        this.console = console;
        this.in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
        this.err = err;
    }

    public boolean interactive() {
        return console != null;
    }

    /** A line, or null at end of input. */
    public String line(String prompt) throws IOException {
        if (console != null) {
            return console.readLine("%s", prompt);
        }
        err.print(prompt);
        err.flush();
        return in.readLine();
    }

    /** A secret: never echoed on a console; read as a line from stdin otherwise (not echoed either). */
    public String secret(String prompt) throws IOException {
        if (console != null) {
            char[] chars = console.readPassword("%s", prompt);
            return chars == null ? null : new String(chars);
        }
        err.print(prompt);
        err.flush();
        String line = in.readLine();
        err.println();
        return line;
    }
}
