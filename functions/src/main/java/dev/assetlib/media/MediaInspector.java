package dev.assetlib.media;

import dev.assetlib.domain.ByteSizes;
import dev.assetlib.domain.FailureCode;
import dev.assetlib.fetch.FetchOutcome;
import dev.assetlib.fetch.GuardedFetcher;
import dev.assetlib.objects.S3MediaStore;
import dev.assetlib.objects.StoredMedia;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The media step for one asset: fetch (through the SSRF guard) into a temp file while hashing,
 * probe it, check it against the limits, and keep the private copy only if it passes. A body of
 * announced length ({@value #STREAM_FROM_BYTES} bytes or more) is sent to S3 while it is fetched,
 * so the upload overlaps the download instead of following it; a refused one is deleted at once
 * (and a copy left by a crash is tagged for expiry when its asset fails). Smaller or unannounced
 * bodies are stored from the file after the checks, as is any body whose streamed PUT failed.
 * A direct upload is read and copied pinned to its ETag. Every
 * answer is a {@link MediaOutcome}; {@link #inspectAll} runs a batch with bounded concurrency,
 * each item alone (one's failure or fault never touches another's outcome).
 */
public final class MediaInspector {
    /** Bodies from this announced size are uploaded while they are fetched. */
    static final long STREAM_FROM_BYTES = 1024 * 1024;
    /** How long a streamed PUT may take beyond the fetch's own time-out (its last bytes, S3's answer). */
    private static final Duration PUT_MARGIN = Duration.ofSeconds(30);

    private final GuardedFetcher fetcher;
    private final MediaProbe probe;
    private final MediaCheck check;
    private final S3MediaStore store;
    private final Path tempDir;

    public MediaInspector(GuardedFetcher fetcher, MediaProbe probe, MediaCheck check, S3MediaStore store, Path tempDir) {
        this.fetcher = fetcher;
        this.probe = probe;
        this.check = check;
        this.store = store;
        this.tempDir = tempDir;
    }

    public MediaOutcome inspect(MediaJob job) {
        Path file = null;
        try {
            file = Files.createTempFile(tempDir, "media-", ".bin");
            return job.source() instanceof MediaSource.FromUrl u
                    ? fromUrl(job, u, file)
                    : fromUpload(job, (MediaSource.FromUpload) job.source(), file);
        } catch (IOException | RuntimeException e) {
            return new MediaOutcome.Fault(job.assetId(), e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // /tmp is the function's own and is reused: the next create gets a new name
                }
            }
        }
    }

    /** Each job's outcome, in order, with at most {@code concurrency} at a time. */
    public List<MediaOutcome> inspectAll(List<MediaJob> jobs, int concurrency) {
        if (jobs.isEmpty()) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(concurrency, jobs.size())), r -> {
            Thread t = new Thread(r, "media-step");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<MediaOutcome>> futures = new ArrayList<>();
            for (MediaJob job : jobs) {
                futures.add(pool.submit(() -> inspect(job)));
            }
            List<MediaOutcome> out = new ArrayList<>();
            for (int i = 0; i < jobs.size(); i++) {
                try {
                    out.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    out.add(new MediaOutcome.Fault(jobs.get(i).assetId(), String.valueOf(e.getCause())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    out.add(new MediaOutcome.Fault(jobs.get(i).assetId(), "interrupted"));
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private MediaOutcome fromUrl(MediaJob job, MediaSource.FromUrl u, Path file) throws IOException {
        String key = S3MediaStore.key(job.accountId(), job.assetId());
        StreamingUpload upload = new StreamingUpload(store, key, fetcher.settings().totalTimeout().plus(PUT_MARGIN));
        FetchOutcome fetched = fetcher.fetchTo(u.url(), check.limits().fetchLimit(job.declared()), file, upload);
        if (fetched instanceof FetchOutcome.Failed f) {
            upload.discard(); // every attempt's PUT was abandoned short of its length: nothing stored, unless a race
            return new MediaOutcome.Refused(job.assetId(), f.code(), f.message(), null);
        }
        FetchOutcome.Fetched ok = (FetchOutcome.Fetched) fetched;
        return judge(job, file, ok.sha256(), facts -> {
            String type = contentType(facts.format());
            Optional<StoredMedia> streamed = upload.stored(type, ok.sha256());
            if (streamed.isPresent()) {
                store.tagSha256(streamed.get());
                return streamed.get();
            }
            return store.put(key, file, ok.sha256(), type);
        }, upload::discard);
    }

    private MediaOutcome fromUpload(MediaJob job, MediaSource.FromUpload up, Path file) throws IOException {
        long limit = check.limits().fetchLimit(job.declared());
        if (up.eTag() == null && up.versionId() == null) {
            // Nothing to pin the read and the copy to: whatever is under the key now may not be what was uploaded.
            return new MediaOutcome.Refused(job.assetId(), FailureCode.UPLOAD_REPLACED, "s3://" + up.bucket() + "/" + up.key()
                    + " cannot be pinned: its ObjectCreated event named no ETag or version; upload again with a new upload URL", null);
        }
        S3MediaStore.Download d;
        try {
            d = store.download(up.bucket(), up.key(), up.versionId(), up.eTag(), limit, file);
        } catch (S3MediaStore.SourceChanged e) {
            return replaced(job, e);
        }
        if (d.tooLarge()) {
            return new MediaOutcome.Refused(job.assetId(), FailureCode.MEDIA_TOO_LARGE, "more than " + ByteSizes.describe(limit)
                    + ": the uploaded object has " + d.bytes() + " bytes", null);
        }
        if (d.bytes() == 0) {
            return new MediaOutcome.Refused(job.assetId(), FailureCode.MEDIA_EMPTY, "the uploaded object is empty", null);
        }
        try {
            return judge(job, file, d.sha256(), facts -> {
                try {
                    return store.copyFromUpload(up.bucket(), up.key(), up.versionId(), up.eTag(),
                            S3MediaStore.key(job.accountId(), job.assetId()), d.sha256(), contentType(facts.format()), d.bytes());
                } catch (S3MediaStore.SourceChanged e) {
                    throw new Replaced(e);
                }
            }, () -> { });
        } catch (Replaced r) {
            return replaced(job, r.cause);
        }
    }

    /** Probe, check, and keep only what passes ({@code onRefusal} removes whatever was sent early). */
    private MediaOutcome judge(MediaJob job, Path file, String sha256, StorerOrCopy storer, Runnable onRefusal) throws IOException {
        ProbeResult result = probe.probe(file);
        MediaFacts facts = result instanceof ProbeResult.Probed p ? p.facts().withSha256(sha256) : null;
        Optional<MediaProblem> problem = check.check(job.declared(), result);
        if (problem.isPresent()) {
            onRefusal.run();
            return new MediaOutcome.Refused(job.assetId(), problem.get().code(), problem.get().message(), facts);
        }
        if (facts == null) { // an unreadable Document: accepted as bytes of no known format
            facts = MediaFacts.other(((ProbeResult.Unreadable) result).format(), Files.size(file)).withSha256(sha256);
        }
        StoredMedia stored = storer.store(facts);
        return new MediaOutcome.Accepted(job.assetId(), facts, ReviewRendition.needed(facts) ? withRendition(stored, file) : stored);
    }

    /**
     * Stores the JPEG rendition Rekognition reviews beside the copy (formats or sizes it does not
     * read); without one (no decoder here reads the image) the reviewer hands the asset to a person.
     */
    private StoredMedia withRendition(StoredMedia stored, Path file) throws IOException {
        Path jpeg = Files.createTempFile(file.getParent(), "review-", ".jpg");
        try {
            if (ReviewRendition.render(file, jpeg).isEmpty()) {
                return stored;
            }
            String key = ReviewRendition.key(stored.key());
            store.put(key, jpeg, null, "image/jpeg"); // a derivative: the sha256 tag names the asset's own bytes only
            return stored.withReviewKey(key);
        } finally {
            Files.deleteIfExists(jpeg);
        }
    }

    /** Stores accepted media: a PUT of the fetched file, or the pinned copy of an upload. */
    @FunctionalInterface
    private interface StorerOrCopy {
        StoredMedia store(MediaFacts facts) throws IOException;
    }

    private static MediaOutcome replaced(MediaJob job, S3MediaStore.SourceChanged e) {
        return new MediaOutcome.Refused(job.assetId(), FailureCode.UPLOAD_REPLACED, e.getMessage()
                + "; the object was replaced after it was uploaded: upload again with a new upload URL", null);
    }

    /** Unchecked carrier of SourceChanged through the storing lambda. */
    private static final class Replaced extends RuntimeException {
        final S3MediaStore.SourceChanged cause;

        Replaced(S3MediaStore.SourceChanged cause) {
            super(cause.getMessage(), null, false, false);
            this.cause = cause;
        }
    }

    /** The stored copy's Content-Type, from what the bytes are (never the origin's header). */
    static String contentType(MediaFormat f) {
        return switch (f) {
            case JPEG -> "image/jpeg";
            case PNG -> "image/png";
            case WEBP -> "image/webp";
            case BMP -> "image/bmp";
            case TIFF -> "image/tiff";
            case GIF -> "image/gif";
            case HEIF -> "image/heif";
            case AVIF -> "image/avif";
            case MP4 -> "video/mp4";
            case MOV -> "video/quicktime";
            case WEBM -> "video/webm";
            case AVI -> "video/x-msvideo";
            case WAV -> "audio/wav";
            case MP3 -> "audio/mpeg";
            case M4A -> "audio/mp4";
            case OGG -> "audio/ogg";
            case FLAC -> "audio/flac";
            case PDF -> "application/pdf";
            case UNKNOWN -> "application/octet-stream";
        };
    }
}
