package dev.assetlib.objects;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Bytes handed from the thread that reads them (the fetch) to the thread that sends them (an SDK
 * PutObject), with at most {@code capacity} chunks in flight: the writer waits while the sender
 * lags, so memory stays bounded whatever the size. The sender reads {@link #input()}; a failed
 * writer makes the sender's read throw (so S3 never completes a short object), and a sender that
 * has stopped makes every later write a no-op (so the writer never waits for nobody).
 */
final class PipedBody {
    private static final byte[] END = new byte[0];

    private final BlockingQueue<byte[]> chunks;
    private volatile boolean failed;
    private volatile boolean senderGone;

    PipedBody(int capacity) {
        this.chunks = new ArrayBlockingQueue<>(capacity);
    }

    /** Copies the bytes in; waits while the queue is full, gives up when the sender is gone. */
    void write(byte[] b, int off, int len) {
        if (len == 0 || senderGone || failed) {
            return;
        }
        byte[] chunk = new byte[len];
        System.arraycopy(b, off, chunk, 0, len);
        offer(chunk);
    }

    /** Everything was written: the sender's stream ends after the last chunk. */
    void end() {
        if (!failed) {
            offer(END);
        }
    }

    /** The body will not be complete: the sender's next read throws. */
    void fail() {
        failed = true;
        chunks.clear();
        chunks.offer(END); // wakes a waiting sender; room is certain after clear() unless it refilled, then it sees failed
    }

    /** The sender stopped (answered or failed): writes are dropped from now on. */
    void senderGone() {
        senderGone = true;
        chunks.clear();
    }

    private void offer(byte[] chunk) {
        try {
            while (!senderGone && !failed && !chunks.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                // the sender is still reading (or has not started): wait for room
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail();
        }
    }

    /** The sender's side: the chunks in order, then end of stream, or an IOException if the writer failed. */
    InputStream input() {
        return new InputStream() {
            private byte[] current = new byte[0];
            private int pos;
            private boolean ended;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n == -1 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                while (pos == current.length) {
                    if (ended) {
                        return -1;
                    }
                    byte[] next = take();
                    if (failed) {
                        throw new IOException("the body's source failed before it was complete");
                    }
                    if (next == END) {
                        ended = true;
                        return -1;
                    }
                    current = next;
                    pos = 0;
                }
                int n = Math.min(len, current.length - pos);
                System.arraycopy(current, pos, b, off, n);
                pos += n;
                return n;
            }

            private byte[] take() throws IOException {
                try {
                    return chunks.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while waiting for the body");
                }
            }
        };
    }
}
