package dev.assetlib.aws;

import dev.assetlib.app.upload.SignedUpload;
import dev.assetlib.app.upload.UploadUrlSigner;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/**
 * Upload URLs as S3 presigned PUTs (SigV4, query-string auth). The content type is a signed header:
 * S3 refuses a PUT with another one. So is {@code If-None-Match: *} (an S3 conditional write): the
 * PUT succeeds only while no object exists under the key, so the URL stores exactly one object and
 * a second PUT with it is refused with 412 (leaving the header out breaks the signature, 403).
 * A presigned PUT cannot bound the object's size (only a signed
 * Content-Length, which would make the client declare the exact size in advance), so the size is
 * judged from the ObjectCreated event instead. Signing happens locally, with the function's role
 * credentials: a URL stops working when those (temporary) credentials expire, whatever its expiry,
 * which is why expiries are short.
 */
public final class S3UploadUrlSigner implements UploadUrlSigner {
    /** The If-None-Match value of a write that must not replace an object. */
    public static final String ONLY_IF_ABSENT = "*";

    private final S3Presigner presigner;
    private final String bucket;

    public S3UploadUrlSigner(S3Presigner presigner, String bucket) {
        this.presigner = presigner;
        this.bucket = bucket;
    }

    @Override
    public String bucket() {
        return bucket;
    }

    @Override
    public SignedUpload presignPut(String key, String contentType, Duration expiry) {
        PresignedPutObjectRequest signed = presigner.presignPutObject(r -> r.signatureDuration(expiry)
                .putObjectRequest(p -> p.bucket(bucket).key(key).contentType(contentType).ifNoneMatch(ONLY_IF_ABSENT)));
        Map<String, String> headers = new LinkedHashMap<>();
        signed.signedHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host")) {
                headers.put(canonical(name), String.join(",", values == null ? List.of() : values));
            }
        });
        try {
            return new SignedUpload(signed.url().toURI(), headers, signed.expiration());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("the SDK produced an invalid URL", e);
        }
    }

    private static String canonical(String header) {
        if (header.equalsIgnoreCase("content-type")) {
            return "Content-Type";
        }
        return header.equalsIgnoreCase("if-none-match") ? "If-None-Match" : header;
    }
}
