package dev.assetlib.bench.media;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.GarbageCollectionNotificationInfo;
import dev.assetlib.aws.AwsClients;
import dev.assetlib.domain.AssetType;
import dev.assetlib.fetch.FetchSettings;
import dev.assetlib.fetch.GuardedFetcher;
import dev.assetlib.media.MediaCheck;
import dev.assetlib.media.MediaInspector;
import dev.assetlib.media.MediaJob;
import dev.assetlib.media.MediaLimits;
import dev.assetlib.media.MediaOutcome;
import dev.assetlib.media.MediaProbe;
import dev.assetlib.media.MediaSource;
import dev.assetlib.objects.MediaEncryption;
import dev.assetlib.objects.S3MediaStore;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The child JVM of the media throughput benchmark (started with {@code -Xmx64m} and Lambda's flags
 * on the deployment classpath): {@code media} runs the MediaFunction's per-asset code path
 * ({@link MediaInspector} built as Services builds it: the SSRF-guarded fetcher with the
 * environment's allow-list, the probe, the vendor limits, the S3 media store) on one URL;
 * {@code floor} streams the same URL into the same S3 server with a bare HTTP GET and one SDK
 * PutObject, nothing else. Each prints one {@code bench-media-run} JSON line per iteration and a
 * {@code bench-media-heap} line at the end: the peak of sampled heap use, the largest heap left
 * after a GC (the live set), the sum of the heap pools' peaks (an upper bound) and the GC count.
 * Usage: {@code media|floor URL S3_ENDPOINT BUCKET ITERATIONS}.
 */
public final class MediaStepRun {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong SAMPLED_PEAK = new AtomicLong();
    private static final AtomicLong AFTER_GC_PEAK = new AtomicLong();
    private static final AtomicLong GCS = new AtomicLong();

    private MediaStepRun() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        URI url = URI.create(args[1]);
        URI endpoint = URI.create(args[2]);
        String bucket = args[3];
        int iterations = Integer.parseInt(args[4]);
        watchHeap();
        Map<String, String> env = System.getenv();
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench"));
        Task task;
        Task phases = null;
        if (mode.equals("media")) {
            AwsClients clients = new AwsClients(Region.US_EAST_1, credentials, Map.of("s3", endpoint), AwsClients.Timeouts.LOCAL);
            MediaInspector inspector = new MediaInspector(GuardedFetcher.create(FetchSettings.fromEnv(env)), new MediaProbe(),
                    new MediaCheck(MediaLimits.fromEnv(env)), new S3MediaStore(clients.s3(), bucket, MediaEncryption.fromEnv(env)),
                    Path.of(System.getProperty("java.io.tmpdir")));
            S3MediaStore onePut = new S3MediaStore(clients.s3(), bucket, MediaEncryption.fromEnv(env));
            phases = () -> phases(GuardedFetcher.create(FetchSettings.fromEnv(env)), new MediaProbe(),
                    new S3MediaStore(clients.s3(), bucket, MediaEncryption.fromEnv(env), 8L * 1024 * 1024), onePut, url);
            task = () -> {
                MediaOutcome o = inspector.inspect(new MediaJob("bench-account", "bench-video", AssetType.Video, new MediaSource.FromUrl(url)));
                if (!(o instanceof MediaOutcome.Accepted a)) {
                    throw new IllegalStateException("the media step did not accept the video: " + o);
                }
                return a.stored().bytes() + " bytes " + a.facts().format() + " " + a.facts().width() + "x" + a.facts().height()
                        + " " + a.facts().durationMs() + " ms " + a.facts().fps() + " fps " + a.facts().videoCodec();
            };
        } else {
            S3Client s3 = S3Client.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                    .httpClient(UrlConnectionHttpClient.create()).endpointOverride(endpoint).forcePathStyle(true).build();
            task = () -> {
                HttpURLConnection c = (HttpURLConnection) url.toURL().openConnection();
                try (InputStream in = c.getInputStream()) {
                    long length = c.getContentLengthLong();
                    s3.putObject(p -> p.bucket(bucket).key("floor/bench-video").contentLength(length), RequestBody.fromInputStream(in, length));
                    return length + " bytes";
                } finally {
                    c.disconnect();
                }
            };
        }
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            String what = task.run();
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.println("bench-media-run " + JSON.writeValueAsString(JSON.createObjectNode()
                    .put("mode", mode).put("iteration", i).put("seconds", seconds).put("result", what)));
        }
        // where the media step's time goes: each part alone, after the measured runs (so the heap figures include them)
        for (int i = 0; phases != null && i < iterations - 1; i++) {
            System.out.println("bench-media-phases " + phases.run());
        }
        ObjectNode heap = JSON.createObjectNode();
        long poolPeaks = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                poolPeaks += pool.getPeakUsage().getUsed();
            }
        }
        heap.put("mode", mode).put("maxHeapBytes", Runtime.getRuntime().maxMemory()).put("sampledPeakUsedBytes", SAMPLED_PEAK.get())
                .put("peakAfterGcBytes", AFTER_GC_PEAK.get()).put("sumOfPoolPeaksBytes", poolPeaks).put("gcs", GCS.get());
        System.out.println("bench-media-heap " + JSON.writeValueAsString(heap));
        System.exit(0);
    }

    /** The media step's parts one by one on the same URL: fetch (streamed to disk, hashed), a re-hash alone, probe, store. */
    private static String phases(GuardedFetcher fetcher, MediaProbe probe, S3MediaStore store, S3MediaStore onePut, URI url) throws Exception {
        Path file = java.nio.file.Files.createTempFile("phases-", ".mp4");
        try {
            long t0 = System.nanoTime();
            var fetched = (dev.assetlib.fetch.FetchOutcome.Fetched) fetcher.fetchTo(url, Long.MAX_VALUE, file);
            long t1 = System.nanoTime();
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            try (InputStream in = java.nio.file.Files.newInputStream(file)) {
                byte[] buf = new byte[64 * 1024];
                for (int n; (n = in.read(buf)) > 0; ) {
                    sha.update(buf, 0, n);
                }
            }
            long t2 = System.nanoTime();
            probe.probe(file);
            long t3 = System.nanoTime();
            store.put("media/bench-account/phases", file, fetched.sha256(), "video/mp4");
            long t4 = System.nanoTime();
            onePut.put("media/bench-account/phases-one-put", file, fetched.sha256(), "video/mp4");
            long t5 = System.nanoTime();
            return JSON.writeValueAsString(JSON.createObjectNode().put("fetchSeconds", (t1 - t0) / 1e9).put("hashOnlySeconds", (t2 - t1) / 1e9)
                    .put("probeSeconds", (t3 - t2) / 1e9).put("storeMultipartSeconds", (t4 - t3) / 1e9).put("storeOnePutSeconds", (t5 - t4) / 1e9));
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    @FunctionalInterface
    private interface Task {
        String run() throws Exception;
    }

    /** Heap use sampled every millisecond, and after every GC (what survived it). */
    private static void watchHeap() {
        Thread sampler = new Thread(() -> {
            var memory = ManagementFactory.getMemoryMXBean();
            while (true) {
                SAMPLED_PEAK.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((n, handback) -> {
                if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                    return;
                }
                var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                long used = 0; // after-GC usage also lists the non-heap pools (metaspace, code cache): heap ones only
                for (var e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                    if (isHeapPool(e.getKey())) {
                        used += e.getValue().getUsed();
                    }
                }
                AFTER_GC_PEAK.accumulateAndGet(used, Math::max);
                GCS.incrementAndGet();
            }, null, null);
        }
    }

    private static boolean isHeapPool(String name) {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getName().equals(name)) {
                return pool.getType() == MemoryType.HEAP;
            }
        }
        return false;
    }
}
