package dev.assetlib.objects;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * One PutObject whose body is sent while it is still arriving (the media step's fetch), on a
 * thread of its own: started once the length and the format are known, fed chunk by chunk, then
 * {@link #end ended} (S3 stores the object whole) or {@link #abandon abandoned} (the request fails
 * short of its Content-Length, and a single PUT that fails stores nothing). The body can be sent
 * once: an SDK retry fails the PUT, and the caller stores its file instead ({@link #await} empty).
 */
public final class StreamingPut {
    /** The buffers between the fetch and the PUT: 6 x 256 KB (1.5 MB), whatever the object's size. */
    private static final int BUFFERS = 6;
    private static final int BUFFER_SIZE = 256 * 1024;

    private final String bucket;
    private final String key;
    private final String contentType;
    private final long length;
    private final PipedBody body = new PipedBody(BUFFERS, BUFFER_SIZE);
    private final CompletableFuture<PutObjectResponse> answer = new CompletableFuture<>();

    private StreamingPut(String bucket, String key, String contentType, long length) {
        this.bucket = bucket;
        this.key = key;
        this.contentType = contentType;
        this.length = length;
    }

    static StreamingPut start(S3Client s3, PutObjectRequest request, long length) {
        StreamingPut put = new StreamingPut(request.bucket(), request.key(), request.contentType(), length);
        AtomicBoolean opened = new AtomicBoolean();
        RequestBody requestBody = RequestBody.fromContentProvider(() -> {
            if (!opened.compareAndSet(false, true)) {
                throw new IllegalStateException("a streamed body can be sent once; the file is stored instead");
            }
            return put.body.input();
        }, length, request.contentType());
        Thread sender = new Thread(() -> {
            try {
                put.answer.complete(s3.putObject(request, requestBody));
            } catch (Throwable e) {
                put.answer.completeExceptionally(e);
            } finally {
                put.body.senderGone();
            }
        }, "media-put");
        sender.setDaemon(true);
        sender.start();
        return put;
    }

    public String key() {
        return key;
    }

    public String contentType() {
        return contentType;
    }

    public long length() {
        return length;
    }

    public void write(byte[] b, int off, int len) {
        body.write(b, off, len);
    }

    public void end() {
        body.end();
    }

    public void abandon() {
        body.fail();
    }

    /**
     * S3's answer: the stored object (without its SHA-256 tag yet: {@link S3MediaStore#tagSha256}),
     * or empty when the PUT failed or did not answer within {@code max}.
     */
    public Optional<StoredMedia> await(String sha256, Duration max) {
        try {
            PutObjectResponse r = answer.get(max.toMillis(), TimeUnit.MILLISECONDS);
            return Optional.of(new StoredMedia(bucket, key, r.eTag(), r.versionId(), length, sha256));
        } catch (ExecutionException | TimeoutException e) {
            abandon();
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon();
            return Optional.empty();
        }
    }

    /** Whether the PUT failed (answered with an error); false while it runs or once it succeeded. */
    public boolean failed() {
        return answer.isCompletedExceptionally();
    }
}
