package dev.assetlib.objects;

import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * The media copies' life cycle beside the media step: deleted with their asset, and tagged
 * {@value #STATUS_TAG}={@value #FAILED} when their asset fails, which the bucket's lifecycle rule
 * {@code expire-failed-media} expires after FailedMediaRetentionDays. Copies of live assets carry no
 * tag and no rule touches them.
 */
public final class S3MediaCopies implements MediaCopies {
    public static final String STATUS_TAG = "asset-status";
    public static final String FAILED = "failed";

    private final S3Client s3;
    private final String bucket;

    public S3MediaCopies(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /** DeleteObject (S3 answers 204 for a missing key too); the SDK's standard retries cover transient faults. */
    @Override
    public void delete(String accountId, String assetId) {
        s3.deleteObject(d -> d.bucket(bucket).key(S3MediaStore.key(accountId, assetId)));
        // and the JPEG rendition made for review, if one was (a missing key answers 204 too)
        s3.deleteObject(d -> d.bucket(bucket).key(S3MediaStore.reviewKey(S3MediaStore.key(accountId, assetId))));
    }

    /**
     * Marks the copy of a Failed asset for expiry; false when there is no copy (refused bytes are
     * never stored). For the media step's and the review's fail paths.
     */
    @Override
    public boolean markFailed(String accountId, String assetId, String sha256) {
        // PutObjectTagging replaces the whole set: the copy's SHA-256 tag goes in again beside the mark
        List<Tag> tags = sha256 == null
                ? List.of(Tag.builder().key(STATUS_TAG).value(FAILED).build())
                : List.of(Tag.builder().key(STATUS_TAG).value(FAILED).build(), Tag.builder().key(S3MediaStore.SHA256_TAG).value(sha256).build());
        try {
            s3.putObjectTagging(t -> t.bucket(bucket).key(S3MediaStore.key(accountId, assetId)).tagging(g -> g.tagSet(tags)));
            markRenditionFailed(S3MediaStore.key(accountId, assetId));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (SdkException e) {
            if (e instanceof software.amazon.awssdk.services.s3.model.S3Exception s3e && s3e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** The review rendition beside a Failed copy expires with it (most copies have none). */
    private void markRenditionFailed(String copyKey) {
        try {
            s3.putObjectTagging(t -> t.bucket(bucket).key(S3MediaStore.reviewKey(copyKey))
                    .tagging(g -> g.tagSet(List.of(Tag.builder().key(STATUS_TAG).value(FAILED).build()))));
        } catch (NoSuchKeyException none) {
            // no rendition was made
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
        }
    }
}
