package dev.assetlib.aws;

import dev.assetlib.app.review.MediaLinks;
import java.time.Duration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Presigned GETs of the media bucket's copies, signed locally with the function's own credentials
 * (so the function needs s3:GetObject on media/*); no network call.
 */
public final class S3MediaLinks implements MediaLinks {
    private final S3Presigner presigner;
    private final String bucket;

    public S3MediaLinks(S3Presigner presigner, String bucket) {
        this.presigner = presigner;
        this.bucket = bucket;
    }

    @Override
    public String presignedGet(String key, Duration ttl, String fileName) {
        return presigner.presignGetObject(r -> r.signatureDuration(ttl).getObjectRequest(g -> {
            g.bucket(bucket).key(key);
            if (fileName != null) {
                g.responseContentDisposition("inline; filename=\"" + fileName + "\"");
            }
        })).url().toString();
    }
}
