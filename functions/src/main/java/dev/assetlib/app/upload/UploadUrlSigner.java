package dev.assetlib.app.upload;

import java.time.Duration;

/**
 * The port that issues upload URLs: one PUT of one object key, bound to its content type, until
 * the URL expires. In AWS an S3 presigned PUT ({@link S3UploadUrlSigner}); the local stack serves
 * its own stand-in, which raises the same ObjectCreated event.
 */
public interface UploadUrlSigner {
    /** The bucket objects are PUT to (part of the asset's {@code s3://} location). */
    String bucket();

    SignedUpload presignPut(String key, String contentType, Duration expiry);
}
