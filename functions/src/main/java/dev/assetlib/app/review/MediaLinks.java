package dev.assetlib.app.review;

import java.time.Duration;

/** Short-lived links to the service's stored media copies (S3 presigned GETs in AWS and locally). */
public interface MediaLinks {
    /** A GET of {@code key} in the media bucket, valid for {@code ttl}. */
    String presignedGet(String key, Duration ttl);

    MediaLinks NONE = (key, ttl) -> null;
}
