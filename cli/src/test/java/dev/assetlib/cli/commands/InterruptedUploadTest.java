package dev.assetlib.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assetlib.cli.CliContext;
import dev.assetlib.cli.CliRunner;
import dev.assetlib.cli.ExitCodes;
import dev.assetlib.cli.LocalStackExtension;
import dev.assetlib.cli.config.Connection;
import dev.assetlib.cli.http.ApiClient;
import dev.assetlib.cli.http.AssetApi;
import dev.assetlib.cli.media.MediaKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Ctrl-C in the middle of a file's PUT: the shutdown hook's clean-up (run here directly, as
 * Main's hook runs it) deletes the asset whose object never fully arrived, so the real service
 * ends it at once instead of leaving it to UPLOAD_MISSING.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class InterruptedUploadTest {
    @RegisterExtension
    static final LocalStackExtension STACK = LocalStackExtension.simulated();

    @Test
    void anInterruptedPutDeletesItsAssetAndSaysSo() throws Exception {
        CliRunner runner = CliRunner.against(STACK.endpoint(), LocalStackExtension.UPLOADER_KEY);
        CliContext ctx = runner.context("", new ByteArrayOutputStream(), new ByteArrayOutputStream());
        AssetApi api = new AssetApi(new ApiClient(Connection.endpoint(STACK.endpoint()), LocalStackExtension.UPLOADER_KEY, ctx.http(),
                ctx.retries(), ctx.sleeper(), ctx.clock(), null));
        CountDownLatch sending = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // A body that sends one chunk, then hangs, as a big file on a slow link would when Ctrl-C comes.
        DirectUpload.Body stalled = () -> new InputStream() {
            int sent;

            @Override
            public int read() throws IOException {
                if (sent++ < 1024) {
                    return 'x';
                }
                sending.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IOException("the upload was interrupted");
            }
        };
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> {
            try {
                new DirectUpload(api, ctx, false).upload("big.bin", "big.bin", stalled, 1 << 20, MediaKind.UNKNOWN_DOCUMENT, null);
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        assertThat(sending.await(60, TimeUnit.SECONDS)).isTrue();

        List<String> reports = ctx.interrupts().runPending();
        release.countDown();
        upload.get(60, TimeUnit.SECONDS);

        assertThat(reports).hasSize(1);
        String id = reports.get(0).replaceAll("^deleted asset (asset-\\S+) .*$", "$1");
        assertThat(reports.get(0)).startsWith("deleted asset asset-").contains("big.bin", "ends Failed with DELETED");
        assertThat(failure.get()).isNotNull();
        assertThat(runner.run("get", id).exit()).isEqualTo(ExitCodes.SERVICE); // deleted: 404 for its owner
        var history = runner.run("history", id, "-o", "json").json().path("events");
        assertThat(history.findValuesAsText("change")).contains("created", "deleted");
        assertThat(history.findValuesAsText("errorCode")).contains("DELETED");
    }
}
