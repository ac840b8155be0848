package dev.assetlib.objects;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Bytes handed from the thread that reads them (the fetch) to the thread that sends them (an SDK
 * PutObject) through a fixed set of recycled buffers: the writer fills one while the sender drains
 * another and waits when all are full, so memory stays at {@code buffers x bufferSize} whatever
 * the body's size, and nothing is allocated per chunk. A failed writer makes the sender's read
 * throw (so S3 never completes a short object); a sender that has stopped makes every later
 * write a no-op (so the writer never waits for nobody).
 */
final class PipedBody {
    /** A filled buffer and how much of it holds bytes; {@code length} -1 ends the stream. */
    private record Chunk(byte[] bytes, int length) {
    }

    private static final Chunk END = new Chunk(new byte[0], -1);

    private final BlockingQueue<byte[]> free;
    private final BlockingQueue<Chunk> full;
    private byte[] filling; // the writer's buffer, null until the first write
    private int filled;
    private volatile boolean failed;
    private volatile boolean senderGone;

    PipedBody(int buffers, int bufferSize) {
        this.free = new ArrayBlockingQueue<>(buffers);
        this.full = new ArrayBlockingQueue<>(buffers + 1); // + END
        for (int i = 0; i < buffers; i++) {
            free.add(new byte[bufferSize]);
        }
    }

    /** Copies the bytes in; waits while every buffer is full, gives up when the sender is gone. */
    void write(byte[] b, int off, int len) {
        while (len > 0 && !senderGone && !failed) {
            if (filling == null && (filling = nextFree()) == null) {
                return;
            }
            int n = Math.min(len, filling.length - filled);
            System.arraycopy(b, off, filling, filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == filling.length) {
                handOver(new Chunk(filling, filled));
            }
        }
    }

    /** Everything was written: the sender's stream ends after the last bytes. */
    void end() {
        if (failed) {
            return;
        }
        if (filling != null && filled > 0) {
            handOver(new Chunk(filling, filled));
        }
        put(END);
    }

    /** The body will not be complete: the sender's next read throws. */
    void fail() {
        failed = true;
        full.clear();
        full.offer(END); // wakes a waiting sender, which then sees failed
    }

    /** The sender stopped (answered or failed): writes are dropped from now on. */
    void senderGone() {
        senderGone = true;
        full.clear();
    }

    private void handOver(Chunk chunk) {
        filling = null;
        filled = 0;
        put(chunk);
    }

    private void put(Chunk chunk) {
        try {
            while (!senderGone && !failed && !full.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                // the sender is still sending: wait for room
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail();
        }
    }

    /** A free buffer, or null when the sender is gone or the writer was interrupted. */
    private byte[] nextFree() {
        try {
            byte[] b = null;
            while (b == null && !senderGone && !failed) {
                b = free.poll(100, TimeUnit.MILLISECONDS);
            }
            return b;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail();
            return null;
        }
    }

    /** The sender's side: the bytes in order, then end of stream, or an IOException if the writer failed. */
    InputStream input() {
        return new InputStream() {
            private Chunk current;
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
                while (current == null || pos == current.length()) {
                    if (current != null) {
                        free.offer(current.bytes()); // drained: the writer may fill it again
                        current = null;
                    }
                    if (ended) {
                        return -1;
                    }
                    Chunk next = take();
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
                int n = Math.min(len, current.length() - pos);
                System.arraycopy(current.bytes(), pos, b, off, n);
                pos += n;
                return n;
            }

            private Chunk take() throws IOException {
                try {
                    return full.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for the body");
                }
            }
        };
    }
}
