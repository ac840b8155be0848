package dev.assetlib.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.cli.CliContext;
import dev.assetlib.cli.http.ApiClient;
import dev.assetlib.cli.http.AssetApi;
import dev.assetlib.cli.http.ServiceException;
import dev.assetlib.cli.media.MediaKind;
import dev.assetlib.cli.term.ProgressBar;
import dev.assetlib.cli.term.Units;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * A local file through the direct-upload route: ask for an upload URL (the asset is created,
 * Processing, awaiting its object), then PUT the file there with exactly the method and headers
 * the answer gives, streamed from disk with a progress bar. Until the PUT succeeded, a Ctrl-C or
 * a failed PUT deletes the asset, which then ends Failed with DELETED at once.
 */
final class DirectUpload {
    /** Opens the bytes to send; the command opens the file, a test may slow it down. */
    interface Body {
        InputStream open() throws IOException;
    }

    private final AssetApi api;
    private final CliContext ctx;
    private final boolean progress;

    DirectUpload(AssetApi api, CliContext ctx, boolean progress) {
        this.api = api;
        this.ctx = ctx;
        this.progress = progress;
    }

    Outcome upload(String source, Path file, MediaKind kind, String name) throws IOException {
        long size = Files.size(file);
        return upload(source, file.getFileName().toString(), () -> Files.newInputStream(file), size, kind, name);
    }

    Outcome upload(String source, String label, Body body, long size, MediaKind kind, String name) {
        JsonNode issued = api.uploadUrl(kind.assetType(), name, kind.contentType()).data();
        String assetId = issued.path("assetId").asText();
        long maxBytes = issued.path("maxBytes").asLong(Long.MAX_VALUE);
        if (size > maxBytes) {
            api.delete(assetId);
            return new Outcome(source, assetId, kind.assetType(), "Failed", "UPLOAD_TOO_LARGE", "the file is " + Units.bytes(size)
                    + " (" + size + " bytes), over the " + Units.bytes(maxBytes) + " the service takes for " + kind.assetType()
                    + ": not sent, its asset deleted");
        }
        Object undo = ctx.interrupts().register(() -> {
            api.delete(assetId);
            return "deleted asset " + assetId + " (" + source + "): its file was not completely sent, so it ends Failed with DELETED";
        });
        try {
            put(issued, label, body, size);
        } catch (RuntimeException e) {
            ctx.interrupts().done(undo);
            try {
                api.delete(assetId);
            } catch (RuntimeException ignored) {
                // the service fails it as UPLOAD_MISSING after its upload wait
            }
            throw e;
        }
        ctx.interrupts().done(undo);
        return new Outcome(source, assetId, kind.assetType(), issued.path("status").asText("Processing"), null, null);
    }

    private void put(JsonNode issued, String label, Body body, long size) {
        URI url = URI.create(issued.path("uploadUrl").asText());
        String where = url.getScheme() + "://" + url.getAuthority() + url.getPath(); // never the signature in messages
        ProgressBar bar = new ProgressBar(ctx.err(), progress, ctx.nanoTime(), ctx.terminal().width(), label, size);
        Supplier<InputStream> stream = () -> {
            try {
                return new Counting(body.open(), bar);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .method(issued.path("method").asText("PUT"),
                        HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(stream), size));
        issued.path("headers").fields().forEachRemaining(h -> request.header(h.getKey(), h.getValue().asText()));
        HttpResponse<String> response;
        try {
            response = ctx.http().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw ApiClient.unreachable(url.getScheme() + "://" + url.getAuthority(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (response.statusCode() / 100 != 2) {
            String text = response.body() == null ? "" : response.body().strip();
            throw new ServiceException(response.statusCode(), null, text.isEmpty() ? "(no message)" : text, "PUT " + where);
        }
        bar.finish();
    }

    /** Counts bytes as the HTTP client reads them. */
    private static final class Counting extends FilterInputStream {
        private final ProgressBar bar;

        Counting(InputStream in, ProgressBar bar) {
            super(in);
            this.bar = bar;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                bar.advance(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                bar.advance(n);
            }
            return n;
        }
    }
}
