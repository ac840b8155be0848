package dev.assetlib.cli.term;

import java.util.Map;

/**
 * What the process is attached to. Java 17 cannot ask whether one stream is a terminal, so the
 * ./assetlib launcher tells it ({@code -Dassetlib.stdout.tty}, {@code -Dassetlib.stderr.tty}, from
 * {@code [ -t 1 ]} and {@code [ -t 2 ]}); without them, {@code System.console()} (stdin and stdout
 * both a terminal) stands for both. Injected, so tests can be a terminal or a pipe.
 */
public record Terminal(boolean stdoutTty, boolean stderrTty, boolean colourAllowed, int width) {
    public static final Terminal PIPE = new Terminal(false, false, false, 80);

    public static Terminal detect(Map<String, String> env) {
        boolean console = System.console() != null;
        boolean out = flag("assetlib.stdout.tty", console);
        boolean err = flag("assetlib.stderr.tty", console);
        return new Terminal(out, err, colourAllowed(env), width(env));
    }

    /** Colour unless NO_COLOR is set (to anything non-empty, per no-color.org) or TERM is dumb. */
    public static boolean colourAllowed(Map<String, String> env) {
        String noColor = env.get("NO_COLOR");
        return (noColor == null || noColor.isEmpty()) && !"dumb".equals(env.get("TERM"));
    }

    static int width(Map<String, String> env) {
        try {
            int w = Integer.parseInt(env.getOrDefault("COLUMNS", "80").strip());
            return w >= 40 ? w : 80;
        } catch (NumberFormatException e) {
            return 80;
        }
    }

    private static boolean flag(String property, boolean fallback) {
        String v = System.getProperty(property);
        return v == null || v.isBlank() ? fallback : v.equals("1") || v.equalsIgnoreCase("true");
    }

    public Style stdoutStyle() {
        return new Style(stdoutTty && colourAllowed);
    }

    public Style stderrStyle() {
        return new Style(stderrTty && colourAllowed);
    }

    public Terminal withoutColour() {
        return new Terminal(stdoutTty, stderrTty, false, width);
    }
}
