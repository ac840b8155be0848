package dev.assetlib.logging;

/**
 * Text from outside (an object key, an idempotency key, an account attribute, an upstream answer)
 * made safe to put in a log line: every line break and other control character is written as an
 * escape ({@code \n}, {@code \r}, {@code \u0007}), so no input can start a forged log line (log
 * injection), and it is cut at {@link #MAX} characters. Every log call that echoes input uses it.
 */
public final class LogText {
    public static final int MAX = 1000;

    private LogText() {
    }

    public static String safe(Object value) {
        String text = String.valueOf(value);
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX) + 16);
        for (int i = 0; i < text.length() && out.length() < MAX; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c == '\u0085') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (out.length() >= MAX && text.length() > MAX) {
            out.setLength(MAX);
            out.append("...(").append(text.length()).append(" characters)");
        }
        return out.toString();
    }
}
