package dev.assetlib.app.review;

import java.time.Duration;

/** Short-lived links to the service's stored media copies (S3 presigned GETs in AWS and locally). */
public interface MediaLinks {
    /**
     * A GET of {@code key} in the media bucket, valid for {@code ttl}, answered as {@code fileName}
     * (the client URL's file name, or null): so the link still names the file, and a reviewer's
     * rules on names see it.
     */
    String presignedGet(String key, Duration ttl, String fileName);

    MediaLinks NONE = (key, ttl, fileName) -> null;

    /** The last path segment of a media URL, kept to letters, digits, '.', '_' and '-'; null if none. */
    static String fileName(String url) {
        if (url == null) {
            return null;
        }
        String path = url.replaceFirst("[?#].*$", "");
        String last = path.substring(path.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "");
        return last.isEmpty() || last.length() > 200 ? null : last;
    }
}
