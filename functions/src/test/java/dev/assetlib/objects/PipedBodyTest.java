package dev.assetlib.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** The hand-over between the fetch's thread and the PUT's: order, end, failure, and a sender that is gone. */
class PipedBodyTest {
    private static final Duration HANG_GUARD = Duration.ofSeconds(30); // a deadlock fails here instead of hanging the build

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private static CompletableFuture<byte[]> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buf = new byte[7_000]; // a read size unrelated to the buffers'
                for (int n; (n = in.read(buf)) != -1; ) {
                    out.write(buf, 0, n);
                }
                return out.toByteArray();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void everyByteArrivesInOrderThroughFewerBuffersThanTheBodyNeeds() {
        byte[] body = random(5 * 1024 * 1024 + 333);
        PipedBody pipe = new PipedBody(3, 64 * 1024); // 192 KB of buffers for a 5 MB body: they are recycled
        CompletableFuture<byte[]> received = drain(pipe.input());
        Assertions.assertTimeoutPreemptively(HANG_GUARD, () -> {
            for (int off = 0; off < body.length; off += 10_000) {
                pipe.write(body, off, Math.min(10_000, body.length - off));
            }
            pipe.end();
            assertThat(received.join()).isEqualTo(body);
        });
    }

    @Test
    void aFailedWriterMakesTheSendersReadThrowSoNoShortObjectIsCompleted() {
        PipedBody pipe = new PipedBody(3, 1024);
        CompletableFuture<byte[]> received = drain(pipe.input());
        Assertions.assertTimeoutPreemptively(HANG_GUARD, () -> {
            pipe.write(random(5000), 0, 5000);
            pipe.fail();
            assertThatThrownBy(received::join).hasRootCauseInstanceOf(IOException.class)
                    .hasRootCauseMessage("the body's source failed before it was complete");
        });
    }

    @Test
    void writesAfterTheSenderIsGoneNeverWait() {
        PipedBody pipe = new PipedBody(2, 1024); // no reader at all: 2 KB would fill it
        pipe.senderGone();
        Assertions.assertTimeoutPreemptively(HANG_GUARD, () -> {
            byte[] chunk = random(64 * 1024);
            for (int i = 0; i < 100; i++) {
                pipe.write(chunk, 0, chunk.length);
            }
            pipe.end();
        });
    }

    @Test
    void anEmptyBodyEndsAtOnce() throws IOException {
        PipedBody pipe = new PipedBody(2, 1024);
        pipe.end();
        assertThat(pipe.input().read(new byte[10])).isEqualTo(-1);
    }
}
