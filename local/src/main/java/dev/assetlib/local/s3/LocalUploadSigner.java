package dev.assetlib.local.s3;

import dev.assetlib.app.upload.SignedUpload;
import dev.assetlib.app.upload.UploadUrlSigner;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The local counterpart of S3 presigning: URLs of the {@link LocalS3} stand-in, authorised by an
 * HMAC (a secret of this stack run) over the key, content type and expiry, not by SigV4. The same
 * guarantees as a presigned PUT: one key, one content type, until it expires on the stack's clock.
 */
public final class LocalUploadSigner implements UploadUrlSigner {
    private final LocalS3 s3;
    private final Clock clock;

    public LocalUploadSigner(LocalS3 s3, Clock clock) {
        this.s3 = s3;
        this.clock = clock;
    }

    @Override
    public String bucket() {
        return s3.bucket();
    }

    @Override
    public SignedUpload presignPut(String key, String contentType, Duration expiry) {
        Instant expires = clock.instant().plus(expiry);
        long expiresAt = expires.getEpochSecond();
        String query = "X-Local-Expires=" + expiresAt + "&X-Local-Signature=" + s3.signature(key, contentType, expiresAt);
        URI url = URI.create(s3.endpoint() + "/" + s3.bucket() + "/" + encodePath(key) + "?" + query);
        return new SignedUpload(url, Map.of("Content-Type", contentType), expires);
    }

    private static String encodePath(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
    }
}
