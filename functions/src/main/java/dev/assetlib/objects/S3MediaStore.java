package dev.assetlib.objects;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * The media bucket: each asset's bytes as a private, encrypted object under a key the service owns
 * ({@link #key}), tagged with their SHA-256 ({@value #SHA256_TAG}={hex}; a tag, not metadata, because
 * a streamed copy's hash is known only after its last byte was sent). A fetched body is either
 * sent while it arrives ({@link #startPut}, then {@link #tagSha256}) or stored from the fetched
 * temp file in parts of {@code partSize} (multipart above it); either way a 50 MB video never sits
 * in the heap. A direct upload is read and copied pinned to the ETag (and version) that its
 * ObjectCreated event named, so a later PUT to the same upload key changes nothing.
 */
public final class S3MediaStore {
    /** Bucket variable of the functions that use it. */
    public static final String MEDIA_BUCKET = "MEDIA_BUCKET";
    /** The tag that holds a copy's SHA-256 (hex). */
    public static final String SHA256_TAG = "sha256";
    /** S3's smallest part (all but the last); also our default part size. */
    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    /** Files up to this size are stored in one PutObject, larger ones in parts of it. */
    public static final long DEFAULT_PART_SIZE = 256L * 1024 * 1024;
    private static final int COPY_BUFFER = 64 * 1024;

    private final S3Client s3;
    private final String bucket;
    private final MediaEncryption encryption;
    private final long partSize;

    public S3MediaStore(S3Client s3, String bucket, MediaEncryption encryption, long partSize) {
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("partSize must be at least " + MIN_PART_SIZE);
        }
        this.s3 = s3;
        this.bucket = bucket;
        this.encryption = encryption;
        this.partSize = partSize;
    }

    /**
     * One PutObject up to {@value #DEFAULT_PART_SIZE} bytes (more than any type's limit): S3 needs
     * parts only past 5 GB, and a single PUT of the file streams from disk as parts do, with one
     * request instead of a part per 8 MB and a completion (about half the time on S3Mock).
     */
    public S3MediaStore(S3Client s3, String bucket, MediaEncryption encryption) {
        this(s3, bucket, encryption, DEFAULT_PART_SIZE);
    }

    public String bucket() {
        return bucket;
    }

    /** The service-owned key of an asset's copy. */
    public static String key(String accountId, String assetId) {
        return "media/" + accountId + "/" + assetId;
    }

    /** The key of the JPEG rendition made for review beside a copy (media.ReviewRendition). */
    public static String reviewKey(String copyKey) {
        return copyKey + ".review.jpg";
    }

    /** The source object changed since its ObjectCreated event (ETag or version no longer match). */
    public static final class SourceChanged extends Exception {
        SourceChanged(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Stores {@code file} under {@code key}, tagged with {@code sha256} (hashed by whoever wrote the
     * file; null for a derivative such as the review rendition, which is not the asset's bytes).
     */
    public StoredMedia put(String key, Path file, String sha256, String contentType) throws IOException {
        long size = Files.size(file);
        String tagging = sha256 == null ? null : shaTag(sha256);
        if (size <= partSize) {
            PutObjectRequest.Builder b = PutObjectRequest.builder().bucket(bucket).key(key).contentType(contentType)
                    .contentLength(size).tagging(tagging);
            encrypt(b);
            var r = s3.putObject(b.build(), RequestBody.fromFile(file));
            return new StoredMedia(bucket, key, r.eTag(), r.versionId(), size, sha256);
        }
        CreateMultipartUploadRequest.Builder c = CreateMultipartUploadRequest.builder().bucket(bucket).key(key)
                .contentType(contentType).tagging(tagging);
        if (encryption.kms()) {
            c.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(encryption.kmsKeyId());
        } else {
            c.serverSideEncryption(ServerSideEncryption.AES256);
        }
        String uploadId = s3.createMultipartUpload(c.build()).uploadId();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            List<CompletedPart> parts = new ArrayList<>();
            int number = 1;
            for (long offset = 0; offset < size; offset += partSize, number++) {
                long length = Math.min(partSize, size - offset);
                long from = offset;
                int partNumber = number;
                // each part streams from its slice of the file; nothing larger than the SDK's buffer is held
                RequestBody body = RequestBody.fromContentProvider(
                        () -> Channels.newInputStream(slice(ch, from, length)), length, "application/octet-stream");
                String eTag = s3.uploadPart(p -> p.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber)
                        .contentLength(length), body).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(eTag).build());
            }
            var done = s3.completeMultipartUpload(CompleteMultipartUploadRequest.builder().bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()).build());
            return new StoredMedia(bucket, key, done.eTag(), done.versionId(), size, sha256);
        } catch (IOException | RuntimeException e) {
            try {
                s3.abortMultipartUpload(AbortMultipartUploadRequest.builder().bucket(bucket).key(key).uploadId(uploadId).build());
            } catch (RuntimeException abort) {
                e.addSuppressed(abort); // the bucket's abort-incomplete-multipart rule cleans up
            }
            throw e;
        }
    }

    /**
     * Starts a PUT of {@code length} bytes under {@code key} that are written to it as they arrive
     * (the fetch overlaps the upload). {@code callTimeout} bounds the whole PUT, which lasts as long
     * as the fetch feeding it.
     */
    public StreamingPut startPut(String key, long length, String contentType, Duration callTimeout) {
        PutObjectRequest.Builder b = PutObjectRequest.builder().bucket(bucket).key(key).contentType(contentType)
                .contentLength(length)
                .overrideConfiguration(o -> o.apiCallTimeout(callTimeout).apiCallAttemptTimeout(callTimeout));
        encrypt(b);
        return StreamingPut.start(s3, b.build(), length);
    }

    /** Tags a copy with its SHA-256 (a streamed one: known once its last byte was read), replacing its tag set. */
    public void tagSha256(StoredMedia stored) {
        s3.putObjectTagging(t -> t.bucket(bucket).key(stored.key())
                .tagging(g -> g.tagSet(Tag.builder().key(SHA256_TAG).value(stored.sha256()).build())));
    }

    /** The x-amz-tagging form of the SHA-256 tag (a hex digest needs no URL encoding). */
    static String shaTag(String sha256) {
        return SHA256_TAG + "=" + sha256;
    }

    /**
     * Reads a direct upload into {@code file}, hashing it, pinned to {@code eTag} (and
     * {@code versionId} when the bucket is versioned); stops past {@code maxBytes}.
     * Returns the SHA-256 (hex) and size, or -1 size when the object is larger than allowed.
     */
    public Download download(String sourceBucket, String sourceKey, String versionId, String eTag, long maxBytes, Path file)
            throws IOException, SourceChanged {
        GetObjectRequest.Builder g = GetObjectRequest.builder().bucket(sourceBucket).key(sourceKey).ifMatch(quoted(eTag));
        if (versionId != null) {
            g.versionId(versionId);
        }
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(g.build())) {
            Long announced = in.response().contentLength();
            if (announced != null && announced > maxBytes) {
                in.abort();
                return new Download(null, announced, true);
            }
            MessageDigest sha = sha256();
            long total = 0;
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                byte[] buf = new byte[COPY_BUFFER];
                int n;
                while ((n = in.read(buf)) != -1) {
                    total += n;
                    if (total > maxBytes) {
                        in.abort();
                        return new Download(null, total, true);
                    }
                    sha.update(buf, 0, n);
                    out.write(buf, 0, n);
                }
            }
            return new Download(HexFormat.of().formatHex(sha.digest()), total, false);
        } catch (S3Exception e) {
            throw changedOr(e, sourceBucket, sourceKey, eTag);
        }
    }

    /** The outcome of {@link #download}: {@code tooLarge} means the read stopped at {@code bytes}. */
    public record Download(String sha256, long bytes, boolean tooLarge) {
    }

    /**
     * Copies a direct upload into the media bucket under {@code key}, server-side, only if the source
     * still has {@code eTag} (x-amz-copy-source-if-match) and, when given, from {@code versionId}.
     */
    public StoredMedia copyFromUpload(String sourceBucket, String sourceKey, String versionId, String eTag, String key,
                                      String sha256, String contentType, long bytes) throws SourceChanged {
        CopyObjectRequest.Builder b = CopyObjectRequest.builder().sourceBucket(sourceBucket).sourceKey(sourceKey)
                .copySourceIfMatch(quoted(eTag)).destinationBucket(bucket).destinationKey(key)
                .metadataDirective(MetadataDirective.REPLACE).contentType(contentType);
        if (versionId != null) {
            b.sourceVersionId(versionId);
        }
        if (encryption.kms()) {
            b.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(encryption.kmsKeyId());
        } else {
            b.serverSideEncryption(ServerSideEncryption.AES256);
        }
        try {
            CopyObjectResponse r = s3.copyObject(b.build());
            String copied = r.copyObjectResult() == null ? null : r.copyObjectResult().eTag();
            StoredMedia stored = new StoredMedia(bucket, key, copied, r.versionId(), bytes, sha256);
            // the hash as a tag of its own (replacing whatever tags the upload carried; S3-compatible servers
            // do not all honour CopyObject's tagging directive)
            tagSha256(stored);
            return stored;
        } catch (S3Exception e) {
            throw changedOr(e, sourceBucket, sourceKey, eTag);
        }
    }

    /**
     * An entity tag as HTTP writes it. S3's ObjectCreated event names the ETag without its quotes
     * (the API's answers have them); a conditional header carries the quoted form.
     */
    static String quoted(String eTag) {
        return eTag == null || eTag.startsWith("\"") || eTag.startsWith("W/") ? eTag : "\"" + eTag + "\"";
    }

    public void delete(String key) {
        s3.deleteObject(d -> d.bucket(bucket).key(key));
    }

    /** 412 (ETag moved on) or 404 (deleted, or the version is gone) mean the pinned object is not there; others are faults. */
    private static SourceChanged changedOr(S3Exception e, String bucket, String key, String eTag) {
        if (e.statusCode() == 412 || e.statusCode() == 404) {
            return new SourceChanged("s3://" + bucket + "/" + key + " is no longer the object with ETag " + eTag
                    + " (HTTP " + e.statusCode() + ")");
        }
        throw e;
    }

    private void encrypt(PutObjectRequest.Builder b) {
        if (encryption.kms()) {
            b.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(encryption.kmsKeyId());
        } else {
            b.serverSideEncryption(ServerSideEncryption.AES256);
        }
    }

    private static java.nio.channels.ReadableByteChannel slice(FileChannel ch, long from, long length) {
        return new java.nio.channels.ReadableByteChannel() {
            private long pos = from;
            private final long end = from + length;

            @Override
            public int read(java.nio.ByteBuffer dst) throws IOException {
                if (pos >= end) {
                    return -1;
                }
                java.nio.ByteBuffer view = dst.duplicate();
                int room = (int) Math.min(view.remaining(), end - pos);
                view.limit(view.position() + room);
                int n = ch.read(view, pos);
                if (n > 0) {
                    pos += n;
                    dst.position(dst.position() + n);
                }
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
                // the channel belongs to put()
            }
        };
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
