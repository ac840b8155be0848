package dev.assetlib.media;

import dev.assetlib.fetch.BodyTee;
import dev.assetlib.objects.S3MediaStore;
import dev.assetlib.objects.StoredMedia;
import dev.assetlib.objects.StreamingPut;
import java.time.Duration;
import java.util.Optional;

/**
 * The fetch's second destination: a PUT of the body to the copy's key while it arrives, for
 * bodies of announced length from {@link MediaInspector#STREAM_FROM_BYTES} (the format, hence the copy's
 * Content-Type, is named from the head). The latest attempt's PUT is the one that counts.
 */
final class StreamingUpload implements BodyTee {
    private final S3MediaStore store;
    private final String key;
    private final Duration callTimeout;
    private StreamingPut current;

    StreamingUpload(S3MediaStore store, String key, Duration callTimeout) {
        this.store = store;
        this.key = key;
        this.callTimeout = callTimeout;
    }

    @Override
    public Copy start(long length, byte[] head, int headLength) {
        if (length < MediaInspector.STREAM_FROM_BYTES) {
            return null; // unannounced (-1) or small: stored from the file once it passed
        }
        StreamingPut put = store.startPut(key, length, MediaInspector.contentType(FormatSniffer.sniff(head, headLength)), callTimeout);
        current = put;
        return new Copy() {
            @Override
            public void write(byte[] b, int off, int len) {
                put.write(b, off, len);
            }

            @Override
            public void end() {
                put.end();
            }

            @Override
            public void abandon() {
                put.abandon();
            }
        };
    }

    /** The streamed copy, if the last attempt's PUT stored it with the right Content-Type. */
    Optional<StoredMedia> stored(String contentType, String sha256) {
        if (current == null) {
            return Optional.empty();
        }
        Optional<StoredMedia> stored = current.await(sha256, callTimeout);
        return stored.isPresent() && contentType.equals(current.contentType()) ? stored : Optional.empty();
    }

    /** Refused or failed: the streamed bytes must not stay in the media bucket. */
    void discard() {
        if (current != null) {
            current.abandon();
            if (current.await(null, callTimeout).isPresent()) {
                store.delete(key);
            }
        }
    }
}
