package dev.assetlib.domain;

/** Byte counts in failure messages: "50 MB" for whole mebibytes, otherwise "1.5 MB" or "812 bytes". */
public final class ByteSizes {
    public static final long MB = 1024L * 1024L;

    private ByteSizes() {
    }

    public static String describe(long bytes) {
        if (bytes >= MB) {
            if (bytes % MB == 0) {
                return (bytes / MB) + " MB";
            }
            return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / (double) MB);
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return (bytes / 1024) + " KB";
        }
        return bytes + (bytes == 1 ? " byte" : " bytes");
    }
}
