package dev.assetlib.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.bench.media.ChildRuns;
import dev.assetlib.bench.media.FileOrigin;
import dev.assetlib.bench.media.MediaFiles;
import dev.assetlib.bench.media.ReviewTransitions;
import dev.assetlib.bench.media.SyntheticMp4;
import dev.assetlib.fetch.FetchAllowList;
import dev.assetlib.fetch.FetchOutcome;
import dev.assetlib.fetch.FetchSettings;
import dev.assetlib.fetch.GuardedFetcher;
import dev.assetlib.local.s3.S3MockServer;
import dev.assetlib.local.template.SamTemplate;
import dev.assetlib.media.MediaProbe;
import dev.assetlib.media.ProbeResult;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code ./bench/run --only media}: the three media targets of issue 12. (1) Fetch + hash + probe +
 * store of a video at the Video limit from a local origin through the MediaFunction's code path,
 * in a child JVM with a 64 MB heap, against the floor (the same bytes from the same origin into
 * the same S3Mock with a bare GET and PutObject). (2) Probe time of a 6000x6000 JPEG and a 15 s
 * 1080p MP4 against the time to fetch them from the local origin. (3) State transitions per asset
 * of an SD2 batch against single uploads, media step included, on the local interpreter.
 */
final class MediaBench {
    /** How big the run is: the full one, --quick, and the tiny one of the bench's test. */
    record Sizes(long videoBytes, int jpegSide, int clipSeconds, boolean ffmpeg, int rounds, int iterations,
                 int probeRuns, int assets, boolean directMode, int reviewSeconds) {
        static final long VIDEO_LIMIT = 50L * 1024 * 1024; // MEDIA_VIDEO_MAX_BYTES: at most 50 MB

        static Sizes full() {
            return new Sizes(VIDEO_LIMIT, 6000, 15, true, 3, 3, 7, 20, true, 10);
        }

        static Sizes quick() {
            return new Sizes(VIDEO_LIMIT, 6000, 15, true, 1, 2, 5, 20, true, 10);
        }

        static Sizes tiny() {
            return new Sizes(2L * 1024 * 1024, 400, 2, false, 1, 2, 2, 2, false, 2);
        }
    }

    static final String BUCKET = "bench-media";

    private final Sizes sizes;
    private final Path project;
    private final String deploymentClasspath;

    MediaBench(Sizes sizes, Path project, String deploymentClasspath) {
        this.sizes = sizes;
        this.project = project;
        this.deploymentClasspath = deploymentClasspath;
    }

    /** MediaFunction's own deployment package (its CodeUri: classes + lib/, laid out by ./mvnw package). */
    static String deploymentClasspath(Path project) {
        String codeUri = SamTemplate.load(project.resolve("template.yaml")).functionProperty("MediaFunction", "CodeUri")
                .orElseThrow(() -> new IllegalStateException("template.yaml gives MediaFunction no CodeUri")).asText();
        Path task = project.resolve(codeUri);
        if (!Files.isDirectory(task.resolve("lib"))) {
            throw new IllegalStateException(task + " is missing: run through ./bench/run, whose ./mvnw package lays it out");
        }
        return task + java.io.File.pathSeparator + task.resolve("lib") + "/*";
    }

    void run(Report report) throws Exception {
        Path dir = Files.createTempDirectory("bench-media-");
        System.out.printf(Locale.ROOT, "bench: media, a %d-byte video through the media step (child JVM %s) and its floor, %d x %d iterations%n",
                sizes.videoBytes(), ChildRuns.LAMBDA_FLAGS.get(0), sizes.rounds(), sizes.iterations());
        S3MockServer s3 = S3MockServer.shared(0, null);
        try (S3Client client = S3Client.builder().region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                .endpointOverride(s3.endpoint()).forcePathStyle(true).build();
             FileOrigin origin = new FileOrigin()) {
            s3.createBucket(client, BUCKET);
            throughput(report, dir, origin, s3.endpoint());
            probeTime(report, dir, origin);
        }
        transitions(report);
    }

    // ---------------------------------------------------------------- 1. throughput and heap

    void throughput(Report report, Path dir, FileOrigin origin, URI s3Endpoint) throws Exception {
        Path video = dir.resolve("video-at-limit.mp4");
        SyntheticMp4.write(video, sizes.videoBytes(), 1920, 1080, 30, 15);
        URI url = origin.add("video-at-limit.mp4", video);
        ChildRuns children = new ChildRuns(deploymentClasspath, dir);
        // MediaFunction's own flags for the step and its floor alike (the floor is the same function doing less)
        SamTemplate template = SamTemplate.load(project.resolve("template.yaml"));
        List<String> flags = ChildRuns.flagsOf(template, "MediaFunction");
        List<String> globalFlags = ChildRuns.globalFlags(template);
        List<ChildRuns.Run> media = new ArrayList<>();
        List<ChildRuns.Run> floor = new ArrayList<>();
        for (int round = 0; round < sizes.rounds(); round++) { // alternating, so drift in machine load hits both
            media.add(children.run(flags, "media", url, s3Endpoint, BUCKET, sizes.iterations() + 1, origin.origin()));
            floor.add(children.run(flags, "floor", url, s3Endpoint, BUCKET, sizes.iterations() + 1, origin.origin()));
        }
        Throughput m = Throughput.of(media, sizes.videoBytes());
        Throughput f = Throughput.of(floor, sizes.videoBytes());
        for (ChildRuns.Run r : media) {
            if (!r.ok()) {
                System.out.println("bench: media child failed (exit " + r.exitCode() + "):\n" + r.log());
            }
        }
        Report.Table t = report.table("Media step throughput: fetch + hash + probe + store of a " + Report.num(sizes.videoBytes() / 1e6)
                        + " MB MP4 (1920x1080, 15 s) from a local origin into S3Mock; child JVMs with MediaFunction's flags "
                        + String.join(" ", flags),
                "path", "runs ok", "median s", "MB/s", "peak heap used MB (sampled)", "max heap after GC MB", "heap pool peaks MB", "GCs");
        t.row("media step (MediaInspector: guarded fetch, SHA-256, probe, check, S3MediaStore)", m.okRuns() + "/" + media.size(),
                m.medianSeconds(), m.mbPerSecond(), m.peakUsedMb(), m.afterGcMb(), m.poolPeaksMb(), m.gcs());
        t.row("floor (HTTP GET streamed into one SDK PutObject)", f.okRuns() + "/" + floor.size(), f.medianSeconds(), f.mbPerSecond(),
                f.peakUsedMb(), f.afterGcMb(), f.poolPeaksMb(), f.gcs());
        double ratio = m.allOk() && f.allOk() ? f.medianSeconds() / m.medianSeconds() : Double.NaN;
        t.row("media step / floor", "", "", Report.num(100 * ratio) + " %", "", "", "", "");
        // What-if, no target: the same pair with the other functions' C1-only flags (Globals), under which
        // SHA-256 runs as plain Java (it is a C2 intrinsic) and the step's own hash costs most.
        ChildRuns.Run mediaC1 = children.run(globalFlags, "media", url, s3Endpoint, BUCKET, sizes.iterations() + 1, origin.origin());
        ChildRuns.Run floorC1 = children.run(globalFlags, "floor", url, s3Endpoint, BUCKET, sizes.iterations() + 1, origin.origin());
        Throughput m2 = Throughput.of(List.of(mediaC1), sizes.videoBytes());
        Throughput f2 = Throughput.of(List.of(floorC1), sizes.videoBytes());
        t.row("what-if: media step with Globals' flags (" + String.join(" ", globalFlags) + ")", m2.okRuns() + "/1", m2.medianSeconds(),
                m2.mbPerSecond(), m2.peakUsedMb(), m2.afterGcMb(), m2.poolPeaksMb(), m2.gcs());
        t.row("what-if: floor with Globals' flags", f2.okRuns() + "/1", f2.medianSeconds(), f2.mbPerSecond(), f2.peakUsedMb(), f2.afterGcMb(),
                f2.poolPeaksMb(), f2.gcs());
        double ratioC1 = m2.allOk() && f2.allOk() ? f2.medianSeconds() / m2.medianSeconds() : Double.NaN;
        t.row("what-if: media step / floor, both with Globals' flags", "", "", Report.num(100 * ratioC1) + " %", "", "", "", "");
        phases(report, media);
        ObjectNode json = report.json.putObject("media");
        json.putObject("throughput").put("videoBytes", sizes.videoBytes()).put("jvmFlags", String.join(" ", flags))
                .put("mediaResult", media.isEmpty() ? "" : media.get(0).result())
                .put("mediaMedianSeconds", m.medianSeconds()).put("floorMedianSeconds", f.medianSeconds()).put("ratio", ratio)
                .put("mediaPeakUsedHeapBytes", m.peakUsed()).put("mediaMaxHeapAfterGcBytes", m.afterGc())
                .put("mediaHeapPoolPeaksBytes", m.poolPeaks()).put("floorPeakUsedHeapBytes", f.peakUsed())
                .put("mediaRunsOk", m.okRuns()).put("mediaRuns", media.size())
                .put("globalFlags", String.join(" ", globalFlags))
                .put("globalFlagsMediaMedianSeconds", m2.medianSeconds()).put("globalFlagsFloorMedianSeconds", f2.medianSeconds())
                .put("globalFlagsRatio", ratioC1).put("globalFlagsMediaPeakUsedHeapBytes", m2.peakUsed());
        report.target("media step throughput / floor (" + Report.num(sizes.videoBytes() / 1e6) + " MB video)", 100 * ratio, ">=", 80, " %");
        // NaN when a child failed (e.g. OutOfMemoryError at -Xmx64m): the target reads "missed"
        report.target("media step heap, peak used (child JVM -Xmx64m, every run succeeded)",
                m.allOk() ? m.peakUsedMb() : Double.NaN, "<=", 64, " MB");
    }

    /** Where the media step's time goes: its parts one by one in the same child JVMs (medians). */
    private static void phases(Report report, List<ChildRuns.Run> media) {
        List<String> parts = List.of("fetchSeconds", "hashOnlySeconds", "probeSeconds", "storeMultipartSeconds", "storeOnePutSeconds");
        List<String> labels = List.of("guarded fetch to /tmp (SHA-256 as it streams)", "of which SHA-256 alone (re-read from /tmp)",
                "probe", "store from the file in 8 MB parts (multipart; the default before)",
                "store from the file in one PutObject (S3MediaStore's default: unannounced bodies)");
        Report.Table t = report.table("Media step parts, one by one (same child JVMs, medians)", "part", "median s");
        var json = report.json.with("media").putObject("phases");
        for (int i = 0; i < parts.size(); i++) {
            List<Double> v = new ArrayList<>();
            for (ChildRuns.Run r : media) {
                for (JsonNode p : r.phases()) {
                    v.add(p.path(parts.get(i)).asDouble());
                }
            }
            double median = v.isEmpty() ? Double.NaN : Stats.median(v);
            t.row(labels.get(i), median);
            json.put(parts.get(i), median);
        }
    }

    /** The medians and heap maxima over the children of one path. */
    record Throughput(int okRuns, boolean allOk, double medianSeconds, double mbPerSecond, long peakUsed, long afterGc,
                      long poolPeaks, long gcs) {
        static Throughput of(List<ChildRuns.Run> runs, long bytes) {
            List<Double> seconds = new ArrayList<>();
            long peak = 0;
            long after = 0;
            long pools = 0;
            long gcs = 0;
            int ok = 0;
            for (ChildRuns.Run r : runs) {
                if (!r.ok()) {
                    continue;
                }
                ok++;
                seconds.addAll(r.measured());
                JsonNode h = r.heap();
                peak = Math.max(peak, h.path("sampledPeakUsedBytes").asLong());
                after = Math.max(after, h.path("peakAfterGcBytes").asLong());
                pools = Math.max(pools, h.path("sumOfPoolPeaksBytes").asLong());
                gcs = Math.max(gcs, h.path("gcs").asLong());
            }
            double median = seconds.isEmpty() ? Double.NaN : Stats.median(seconds);
            return new Throughput(ok, ok == runs.size() && ok > 0, median, bytes / 1e6 / median, peak, after, pools, gcs);
        }

        double peakUsedMb() {
            return peakUsed / (1024.0 * 1024);
        }

        double afterGcMb() {
            return afterGc / (1024.0 * 1024);
        }

        double poolPeaksMb() {
            return poolPeaks / (1024.0 * 1024);
        }
    }

    // ---------------------------------------------------------------- 2. probe time

    void probeTime(Report report, Path dir, FileOrigin origin) throws Exception {
        Path jpeg = MediaFiles.jpeg(dir, sizes.jpegSide());
        Path clip = sizes.ffmpeg() ? MediaFiles.ffmpegClip(dir, sizes.clipSeconds()) : null;
        String clipSource = "ffmpeg libx264 testsrc2, 30 fps";
        if (clip == null) {
            clip = dir.resolve("clip-1080p-synthetic.mp4");
            SyntheticMp4.write(clip, sizes.clipSeconds() * 1_000_000L, 1920, 1080, 30, sizes.clipSeconds()); // ~8 Mbit/s
            clipSource = sizes.ffmpeg() ? "synthetic (ffmpeg not found or failed)" : "synthetic (written by SyntheticMp4)";
        }
        GuardedFetcher fetcher = GuardedFetcher.create(FetchSettings.defaults().withAllowList(FetchAllowList.of(List.of(origin.origin()))));
        MediaProbe probe = new MediaProbe();
        Report.Table t = report.table("Probe time vs local fetch (GuardedFetcher from the local origin; MediaProbe on the fetched file; "
                        + "medians of " + sizes.probeRuns() + " after one unmeasured run, in the benchmark's JVM)",
                "file", "bytes", "what the probe saw", "fetch ms", "probe ms (first run)", "probe / fetch");
        var json = report.json.with("media").putArray("probe");
        record File(String label, String name, Path path) {
        }
        for (File file : List.of(new File(sizes.jpegSide() + "x" + sizes.jpegSide() + " JPEG (ImageIO)", "photo.jpg", jpeg),
                new File(sizes.clipSeconds() + " s 1080p MP4 (" + clipSource + ")", "clip.mp4", clip))) {
            URI url = origin.add(file.name(), file.path());
            Path fetched = dir.resolve("fetched-" + file.name());
            List<Double> fetchMs = new ArrayList<>();
            List<Double> probeMs = new ArrayList<>();
            double firstProbe = Double.NaN;
            String saw = "";
            for (int i = 0; i <= sizes.probeRuns(); i++) {
                long t0 = System.nanoTime();
                FetchOutcome o = fetcher.fetchTo(url, Long.MAX_VALUE, fetched);
                long t1 = System.nanoTime();
                if (!(o instanceof FetchOutcome.Fetched)) {
                    throw new IllegalStateException("fetch of " + url + " failed: " + o);
                }
                ProbeResult r = probe.probe(fetched);
                long t2 = System.nanoTime();
                saw = describe(r);
                if (i == 0) {
                    firstProbe = (t2 - t1) / 1e6;
                    continue;
                }
                fetchMs.add((t1 - t0) / 1e6);
                probeMs.add((t2 - t1) / 1e6);
            }
            double fetch = Stats.median(fetchMs);
            double probed = Stats.median(probeMs);
            double share = probed / fetch;
            t.row(file.label(), Files.size(file.path()), saw, fetch, Report.num(probed) + " (" + Report.num(firstProbe) + ")",
                    Report.num(100 * share) + " %");
            json.addObject().put("file", file.label()).put("bytes", Files.size(file.path())).put("probed", saw)
                    .put("fetchMedianMillis", fetch).put("probeMedianMillis", probed).put("probeFirstMillis", firstProbe).put("share", share);
            report.target("probe time / local fetch, " + file.label(), 100 * share, "<=", 5, " %");
        }
    }

    private static String describe(ProbeResult r) {
        if (r instanceof ProbeResult.Probed p) {
            var f = p.facts();
            return f.format() + " " + f.width() + "x" + f.height() + (f.durationMs() == null ? "" : " " + f.durationMs() + " ms")
                    + (f.fps() == null ? "" : " " + Report.num(f.fps()) + " fps") + (f.videoCodec() == null ? "" : " " + f.videoCodec());
        }
        return "unreadable: " + ((ProbeResult.Unreadable) r).reason();
    }

    // ---------------------------------------------------------------- 3. state transitions

    void transitions(Report report) throws Exception {
        ReviewTransitions rt = new ReviewTransitions(project);
        List<ReviewTransitions.Counts> counts = new ArrayList<>();
        System.out.println("bench: media, state transitions of " + sizes.assets() + " single uploads vs an SD2 batch of " + sizes.assets());
        counts.add(rt.measure("shared", sizes.assets(), sizes.reviewSeconds()));
        if (sizes.directMode()) {
            counts.add(rt.measure("direct", sizes.assets(), sizes.reviewSeconds()));
        }
        Report.Table t = report.table("Review state transitions per asset, media step included (local interpreter; " + sizes.assets()
                        + " single uploads vs one SD2 batch of " + sizes.assets() + ")",
                "ReviewStartMode", "single: executions", "single: transitions per asset", "batch: executions",
                "batch: transitions per asset", "batch / single", "InspectMedia in every execution");
        var json = report.json.with("media").putArray("transitions");
        for (ReviewTransitions.Counts c : counts) {
            t.row(c.mode().equals("shared") ? "shared (default; each single alone in its start window)" : "direct",
                    c.singleExecutions(), c.singlePerAsset(), c.batchExecutions(), c.batchPerAsset(), c.share(), c.mediaStepInEvery() ? "yes" : "NO");
            json.addObject().put("mode", c.mode()).put("assets", c.assets()).put("singleExecutions", c.singleExecutions())
                    .put("singleTransitions", c.singleTransitions()).put("batchExecutions", c.batchExecutions())
                    .put("batchTransitions", c.batchTransitions()).put("share", c.share()).put("mediaStepInEvery", c.mediaStepInEvery());
            report.target("SD2 batch of " + c.assets() + " vs single uploads, transitions per asset, media step included (" + c.mode() + ")",
                    c.mediaStepInEvery() ? c.share() : Double.NaN, "<=", 0.1, "");
        }
    }
}
