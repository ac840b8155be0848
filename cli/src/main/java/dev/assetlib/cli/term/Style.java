package dev.assetlib.cli.term;

/** ANSI colours when enabled, plain text otherwise. */
public record Style(boolean enabled) {
    public String status(String status) {
        if (status == null) {
            return "";
        }
        return switch (status) {
            case "Active" -> paint("32", status);
            case "Failed", "Refused", "NotFound" -> paint("31", status);
            case "Processing", "submitted" -> paint("33", status);
            default -> status;
        };
    }

    public String bold(String text) {
        return paint("1", text);
    }

    public String dim(String text) {
        return paint("2", text);
    }

    private String paint(String code, String text) {
        return enabled ? "\u001b[" + code + "m" + text + "\u001b[0m" : text;
    }
}
