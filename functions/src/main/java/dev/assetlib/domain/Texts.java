package dev.assetlib.domain;

/**
 * Rules for stored text: lengths are counted in characters (Unicode code points, as JSON Schema's
 * maxLength and people count them), and a lone surrogate (half of a UTF-16 pair, which JSON's
 * {@code \\ud800} escapes can carry) is refused: DynamoDB stores UTF-8, where it would silently
 * become {@code ?}.
 */
public final class Texts {
    private Texts() {
    }

    /** The length in characters (code points), never in UTF-16 units. */
    public static int length(String text) {
        return text.codePointCount(0, text.length());
    }

    /** The character index (code points) of the first lone surrogate, or -1 when the text is valid Unicode. */
    public static int loneSurrogateAt(String text) {
        int index = 0;
        for (int i = 0; i < text.length(); index++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i += 2;
            } else if (Character.isSurrogate(c)) {
                return index;
            } else {
                i++;
            }
        }
        return -1;
    }

    /** Null when valid Unicode, else what to tell the client about {@code field}. */
    public static String unicodeProblem(String field, String text) {
        int at = text == null ? -1 : loneSurrogateAt(text);
        return at < 0 ? null : field + " is not valid Unicode text: it has a lone surrogate (half of a UTF-16 pair, e.g. \\ud800)"
                + " at character " + at + "; send the whole character or remove it";
    }
}
