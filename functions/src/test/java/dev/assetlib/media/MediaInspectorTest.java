package dev.assetlib.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assetlib.domain.AssetType;
import dev.assetlib.fetch.FetchAllowList;
import dev.assetlib.fetch.FetchSettings;
import dev.assetlib.fetch.GuardedFetcher;
import dev.assetlib.fetch.HostResolver;
import dev.assetlib.objects.MediaEncryption;
import dev.assetlib.objects.S3MediaStore;
import dev.assetlib.testing.LocalS3;
import dev.assetlib.testing.RawOrigin;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The media step end to end on this machine: a real origin on 127.0.0.1 (reached as cdn.test, on
 * the allow-list), the SSRF guard, the probe and checker, and S3Mock as the media bucket.
 */
class MediaInspectorTest {
    @TempDir
    static Path shared;
    private static LocalS3 server;
    private static S3Client s3;
    private static RawOrigin origin;
    private static MediaInspector inspector;
    /** The S3 calls of {@link #recorded}'s store, in order: "PutObject media/acct-1/asset-x". */
    private static final List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static MediaInspector recorded;

    @BeforeAll
    static void start() throws Exception {
        server = new LocalS3(Files.createDirectories(shared.resolve("s3")), "media", "uploads");
        s3 = server.client();
        origin = new RawOrigin();
        HostResolver resolver = host -> switch (host) {
            case "cdn.test" -> List.of(InetAddress.getLoopbackAddress());
            case "private.test" -> List.of(InetAddress.getByName("192.168.1.20"));
            default -> throw new UnknownHostException(host);
        };
        FetchSettings settings = FetchSettings.defaults().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5))
                .withAllowList(FetchAllowList.parse("cdn.test:" + origin.port()));
        GuardedFetcher fetcher = new GuardedFetcher(resolver, settings, d -> { }, (SSLSocketFactory) SSLSocketFactory.getDefault());
        MediaLimits limits = MediaLimits.fromEnv(Map.of(MediaLimits.AUDIO_MAX_BYTES, "100000"));
        inspector = new MediaInspector(fetcher, new MediaProbe(), new MediaCheck(limits),
                new S3MediaStore(s3, "media", MediaEncryption.s3Managed()), Files.createDirectories(shared.resolve("tmp")));
        S3Client recording = server.client(new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
            @Override
            public void beforeExecution(software.amazon.awssdk.core.interceptor.Context.BeforeExecution context,
                                        software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
                calls.add(attributes.getAttribute(software.amazon.awssdk.core.interceptor.SdkExecutionAttribute.OPERATION_NAME)
                        + " " + context.request().getValueForField("Key", String.class).orElse(""));
            }
        });
        recorded = new MediaInspector(fetcher, new MediaProbe(), new MediaCheck(limits),
                new S3MediaStore(recording, "media", MediaEncryption.s3Managed()), Files.createDirectories(shared.resolve("tmp")));
    }

    private static Map<String, String> tags(String key) {
        Map<String, String> out = new java.util.TreeMap<>();
        s3.getObjectTagging(t -> t.bucket("media").key(key)).tagSet().forEach(t -> out.put(t.key(), t.value()));
        return out;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void aLargeBodyIsSentToS3WhileItIsFetchedThenTaggedWithItsHash() throws Exception {
        byte[] bmp = Files.readAllBytes(TestImages.image(shared, "bmp", 1000, 700, "large.bmp")); // 2.1 MB: streamed
        assertThat((long) bmp.length).isGreaterThanOrEqualTo(MediaInspector.STREAM_FROM_BYTES);
        origin.serve("/large.bmp", 200, "application/octet-stream", bmp);
        calls.clear();

        MediaOutcome.Accepted a = (MediaOutcome.Accepted) recorded.inspect(job("asset-large", AssetType.Image, "/large.bmp"));

        assertThat(a.facts().format()).isEqualTo(MediaFormat.BMP);
        assertThat(a.stored().bytes()).isEqualTo(bmp.length);
        assertThat(s3.getObjectAsBytes(g -> g.bucket("media").key("media/acct-1/asset-large")).asByteArray()).isEqualTo(bmp);
        assertThat(s3.headObject(h -> h.bucket("media").key("media/acct-1/asset-large")).contentType()).isEqualTo("image/bmp");
        assertThat(tags("media/acct-1/asset-large")).containsExactly(Map.entry(S3MediaStore.SHA256_TAG, sha256(bmp)));
        assertThat(calls).as("one streamed PUT, then its hash as a tag (the review rendition follows)")
                .startsWith("PutObject media/acct-1/asset-large", "PutObjectTagging media/acct-1/asset-large");
    }

    @Test
    void aLargeBodyTheChecksRefuseIsDeletedAgainFromTheBucket() throws Exception {
        byte[] wide = Files.readAllBytes(TestImages.image(shared, "bmp", 6500, 120, "wide.bmp")); // 2.3 MB, 6500 px wide
        origin.serve("/wide.bmp", 200, "image/bmp", wide);
        calls.clear();

        MediaOutcome o = recorded.inspect(job("asset-wide", AssetType.Image, "/wide.bmp"));

        assertThat(refused(o)).startsWith("IMAGE_DIMENSIONS: image is 6500x120 px");
        assertThat(calls).as("it was streamed").first().isEqualTo("PutObject media/acct-1/asset-wide");
        // abandoned if S3 had not answered yet, deleted if it had: never left in the bucket either way
        assertThat(stored("asset-wide")).as("the streamed copy is gone").isFalse();
    }

    @Test
    void aStreamedPutThatS3RefusesFallsBackToStoringTheFetchedFile() throws Exception {
        java.util.concurrent.atomic.AtomicInteger puts = new java.util.concurrent.atomic.AtomicInteger();
        S3Client flaky = server.client(new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
            @Override
            public void beforeTransmission(software.amazon.awssdk.core.interceptor.Context.BeforeTransmission context,
                                           software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
                if ("PutObject".equals(attributes.getAttribute(software.amazon.awssdk.core.interceptor.SdkExecutionAttribute.OPERATION_NAME))
                        && puts.incrementAndGet() == 1) {
                    throw software.amazon.awssdk.core.exception.SdkClientException.create("the first PUT fails (a scripted fault)");
                }
            }
        });
        FetchSettings settings = FetchSettings.defaults().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5))
                .withAllowList(FetchAllowList.parse("cdn.test:" + origin.port()));
        MediaInspector withFlakyS3 = new MediaInspector(new GuardedFetcher(host -> List.of(InetAddress.getLoopbackAddress()), settings,
                d -> { }, (SSLSocketFactory) SSLSocketFactory.getDefault()), new MediaProbe(), new MediaCheck(MediaLimits.fromEnv(Map.of())),
                new S3MediaStore(flaky, "media", MediaEncryption.s3Managed()), Files.createDirectories(shared.resolve("tmp")));
        byte[] bmp = Files.readAllBytes(TestImages.image(shared, "bmp", 800, 700, "flaky.bmp"));
        origin.serve("/flaky.bmp", 200, "image/bmp", bmp);

        MediaOutcome.Accepted a = (MediaOutcome.Accepted) withFlakyS3.inspect(job("asset-flaky", AssetType.Image, "/flaky.bmp"));

        assertThat(puts.get()).as("the streamed PUT, then the PUT of the file (then the rendition's)").isGreaterThanOrEqualTo(2);
        assertThat(s3.getObjectAsBytes(g -> g.bucket("media").key("media/acct-1/asset-flaky")).asByteArray()).isEqualTo(bmp);
        assertThat(tags("media/acct-1/asset-flaky")).containsEntry(S3MediaStore.SHA256_TAG, sha256(bmp));
        assertThat(a.stored().bytes()).isEqualTo(bmp.length);
        flaky.close();
    }

    @Test
    void aBodyCutShortIsFetchedAgainAndOnlyTheWholeOneIsStored() throws Exception {
        byte[] bmp = Files.readAllBytes(TestImages.image(shared, "bmp", 900, 700, "cut.bmp"));
        origin.route("/cut.bmp", (out, hit) -> {
            out.write(RawOrigin.head(200, "Content-Type: image/bmp\r\nContent-Length: " + bmp.length).getBytes(StandardCharsets.US_ASCII));
            out.write(bmp, 0, hit == 1 ? bmp.length / 2 : bmp.length); // the first answer breaks off half way
            out.flush();
        });

        MediaOutcome.Accepted a = (MediaOutcome.Accepted) recorded.inspect(job("asset-cut", AssetType.Image, "/cut.bmp"));

        assertThat(origin.hits("/cut.bmp")).isEqualTo(2);
        assertThat(a.stored().bytes()).isEqualTo(bmp.length);
        assertThat(s3.getObjectAsBytes(g -> g.bucket("media").key("media/acct-1/asset-cut")).asByteArray()).isEqualTo(bmp);
        assertThat(tags("media/acct-1/asset-cut")).containsEntry(S3MediaStore.SHA256_TAG, sha256(bmp));
    }

    @AfterAll
    static void stop() throws Exception {
        origin.close();
        s3.close();
        server.close();
    }

    private static URI at(String path) {
        return URI.create("http://cdn.test:" + origin.port() + path);
    }

    private static MediaJob job(String assetId, AssetType type, String path) {
        return new MediaJob("acct-1", assetId, type, new MediaSource.FromUrl(at(path)));
    }

    private static String refused(MediaOutcome o) {
        assertThat(o).isInstanceOf(MediaOutcome.Refused.class);
        return ((MediaOutcome.Refused) o).describe();
    }

    private static boolean stored(String assetId) {
        return !s3.listObjectsV2(l -> l.bucket("media").prefix(S3MediaStore.key("acct-1", assetId))).contents().isEmpty();
    }

    @Test
    void aPngServedAsAVideoIsProbedAsPngStoredPrivatelyWithItsHashAndKnown() throws Exception {
        Path png = TestImages.image(shared, "png", 800, 600, "good.png");
        byte[] bytes = Files.readAllBytes(png);
        origin.serve("/good.mp4", 200, "video/mp4", bytes); // name and Content-Type lie
        MediaOutcome o = inspector.inspect(job("asset-good", AssetType.Image, "/good.mp4"));
        assertThat(o).isInstanceOf(MediaOutcome.Accepted.class);
        MediaOutcome.Accepted a = (MediaOutcome.Accepted) o;
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        assertThat(a.facts().format()).isEqualTo(MediaFormat.PNG);
        assertThat(a.facts().width()).isEqualTo(800);
        assertThat(a.facts().height()).isEqualTo(600);
        assertThat(a.facts().bytes()).isEqualTo(bytes.length);
        assertThat(a.facts().sha256()).isEqualTo(sha);
        assertThat(a.stored().key()).isEqualTo("media/acct-1/asset-good");
        var head = s3.headObject(h -> h.bucket("media").key("media/acct-1/asset-good"));
        assertThat(head.contentType()).isEqualTo("image/png");
        assertThat(tags("media/acct-1/asset-good")).containsEntry(S3MediaStore.SHA256_TAG, sha);
        assertThat(s3.getObjectAsBytes(g -> g.bucket("media").key("media/acct-1/asset-good")).asByteArray()).isEqualTo(bytes);
    }

    @Test
    void aWebpGetsAJpegRenditionForReviewBesideItsCopyAndAPngDoesNot() throws Exception {
        byte[] webp = Files.readAllBytes(Path.of("src/test/resources/media/image-400x300.webp"));
        origin.serve("/still.webp", 200, "image/webp", webp);
        MediaOutcome.Accepted a = (MediaOutcome.Accepted) inspector.inspect(job("asset-webp", AssetType.Image, "/still.webp"));
        assertThat(a.stored().reviewKey()).isEqualTo("media/acct-1/asset-webp.review.jpg");
        var head = s3.headObject(h -> h.bucket("media").key("media/acct-1/asset-webp.review.jpg"));
        assertThat(head.contentType()).isEqualTo("image/jpeg");
        assertThat(tags("media/acct-1/asset-webp.review.jpg")).as("a derivative claims no hash").isEmpty();
        assertThat(tags("media/acct-1/asset-webp")).containsEntry(S3MediaStore.SHA256_TAG, sha256(webp));
        java.awt.image.BufferedImage jpeg = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(
                s3.getObjectAsBytes(g -> g.bucket("media").key("media/acct-1/asset-webp.review.jpg")).asByteArray()));
        assertThat(jpeg.getWidth()).isEqualTo(400);
        assertThat(jpeg.getHeight()).isEqualTo(300);
        // the copy itself is the client's bytes, unchanged
        assertThat(s3.getObjectAsBytes(g -> g.bucket("media").key("media/acct-1/asset-webp")).asByteArray()).isEqualTo(webp);

        Path png = TestImages.image(shared, "png", 800, 600, "as-is.png");
        origin.serve("/as-is.png", 200, "image/png", Files.readAllBytes(png));
        MediaOutcome.Accepted p = (MediaOutcome.Accepted) inspector.inspect(job("asset-png", AssetType.Image, "/as-is.png"));
        assertThat(p.stored().reviewKey()).isNull();
        assertThat(s3.listObjectsV2(l -> l.bucket("media").prefix("media/acct-1/asset-png.review")).contents()).isEmpty();
    }

    @Test
    void aLyingContentTypeDoesNotMakeAPngAVideo() throws Exception {
        origin.serve("/lie.mp4", 200, "video/mp4", Files.readAllBytes(TestImages.png(shared, 640, 640)));
        assertThat(refused(inspector.inspect(job("asset-lie", AssetType.Video, "/lie.mp4"))))
                .isEqualTo("MEDIA_TYPE_MISMATCH: declared Video but the file is a PNG image");
        assertThat(stored("asset-lie")).isFalse();
    }

    @Test
    void aThumbnailFailsWithItsMeasuredSidesAndIsNotStored() throws Exception {
        origin.serve("/thumb.jpg", 200, "image/jpeg", Files.readAllBytes(TestImages.image(shared, "jpeg", 240, 180, "t.jpg")));
        MediaOutcome o = inspector.inspect(job("asset-thumb", AssetType.Image, "/thumb.jpg"));
        assertThat(refused(o)).isEqualTo("IMAGE_DIMENSIONS: image is 240x180 px; each side must be 300 to 6000 px");
        assertThat(((MediaOutcome.Refused) o).facts().format()).isEqualTo(MediaFormat.JPEG);
        assertThat(stored("asset-thumb")).isFalse();
    }

    @Test
    void videoAndAudioFixturesPassOrFailOnTheirMeasuredValues() throws Exception {
        for (String f : List.of("video-640x640-25fps-15s.mov", "video-640x640-24fps-16s.mp4", "audio-15s.mp3")) {
            origin.serve("/" + f, 200, "application/octet-stream", Files.readAllBytes(TestImages.fixture(f)));
        }
        MediaOutcome mov = inspector.inspect(job("asset-mov", AssetType.Video, "/video-640x640-25fps-15s.mov"));
        assertThat(mov).isInstanceOf(MediaOutcome.Accepted.class);
        assertThat(((MediaOutcome.Accepted) mov).facts().fps()).isEqualTo(25.0);
        assertThat(((MediaOutcome.Accepted) mov).facts().durationMs()).isEqualTo(15000);
        assertThat(s3.headObject(h -> h.bucket("media").key("media/acct-1/asset-mov")).contentType()).isEqualTo("video/quicktime");
        assertThat(refused(inspector.inspect(job("asset-long", AssetType.Video, "/video-640x640-24fps-16s.mp4"))))
                .isEqualTo("MEDIA_DURATION: video is 16 s long; it must be 2 to 15 s");
        assertThat(inspector.inspect(job("asset-mp3", AssetType.Audio, "/audio-15s.mp3"))).isInstanceOf(MediaOutcome.Accepted.class);
    }

    @Test
    void fetchFailuresEndWithTheirCodeAndMessage() throws Exception {
        origin.serve("/empty.png", 200, "image/png", new byte[0]);
        Path whole = TestImages.image(shared, "png", 640, 400, "whole.png");
        origin.serve("/cut.png", 200, "image/png", Files.readAllBytes(TestImages.truncated(whole, shared, 300)));
        origin.route("/endless.wav", (out, hit) -> {
            out.write(RawOrigin.head(200, "Content-Type: audio/wav").getBytes(StandardCharsets.ISO_8859_1));
            for (int i = 0; i < 10_000; i++) {
                out.write(new byte[4096]);
            }
        });
        assertThat(refused(inspector.inspect(job("asset-404", AssetType.Image, "/nothing.png"))))
                .isEqualTo("DOWNLOAD_FAILED: HTTP 404 from cdn.test");
        assertThat(refused(inspector.inspect(job("asset-empty", AssetType.Image, "/empty.png"))))
                .isEqualTo("MEDIA_EMPTY: cdn.test answered with an empty body");
        assertThat(refused(inspector.inspect(job("asset-cut", AssetType.Image, "/cut.png"))))
                .isEqualTo("MEDIA_UNREADABLE: PNG ends before its IEND chunk (truncated after 300 bytes)");
        assertThat(refused(inspector.inspect(job("asset-endless", AssetType.Audio, "/endless.wav"))))
                .isEqualTo("MEDIA_TOO_LARGE: more than 100000 bytes: cdn.test sent more and the fetch stopped there");
        MediaJob privateJob = new MediaJob("acct-1", "asset-private", AssetType.Image,
                new MediaSource.FromUrl(URI.create("https://private.test/a.png")));
        assertThat(refused(inspector.inspect(privateJob)))
                .isEqualTo("URL_NOT_PUBLIC: private.test resolves to 192.168.1.20, a private address; the URL must be publicly reachable");
        for (String id : List.of("asset-404", "asset-empty", "asset-cut", "asset-endless", "asset-private")) {
            assertThat(stored(id)).as(id).isFalse();
        }
    }

    @Test
    void aDirectUploadIsCopiedPinnedAndAReplacedOneFailsAsReplaced() throws Exception {
        byte[] png = Files.readAllBytes(TestImages.png(shared, 500, 500));
        String eTag = s3.putObject(p -> p.bucket("uploads").key("u/acct-1/asset-up"), RequestBody.fromBytes(png)).eTag();
        MediaOutcome o = inspector.inspect(new MediaJob("acct-1", "asset-up", AssetType.Image,
                new MediaSource.FromUpload("uploads", "u/acct-1/asset-up", null, eTag)));
        assertThat(o).isInstanceOf(MediaOutcome.Accepted.class);
        assertThat(s3.getObjectAsBytes(g -> g.bucket("media").key("media/acct-1/asset-up")).asByteArray()).isEqualTo(png);

        s3.putObject(p -> p.bucket("uploads").key("u/acct-1/asset-up"), RequestBody.fromString("swapped"));
        MediaOutcome again = inspector.inspect(new MediaJob("acct-1", "asset-up2", AssetType.Image,
                new MediaSource.FromUpload("uploads", "u/acct-1/asset-up", null, eTag)));
        assertThat(refused(again)).startsWith("UPLOAD_REPLACED: s3://uploads/u/acct-1/asset-up is no longer the object with ETag " + eTag);
        assertThat(s3.getObjectAsBytes(g -> g.bucket("media").key("media/acct-1/asset-up")).asByteArray()).isEqualTo(png);
    }

    @Test
    void aBatchRunsBoundedAndEachBadItemFailsAlone() throws Exception {
        origin.serve("/b-ok.png", 200, "image/png", Files.readAllBytes(TestImages.png(shared, 1000, 800)));
        origin.route("/b-flaky.png", (out, hit) -> {
            if (hit == 1) {
                out.write(RawOrigin.head(500, "Content-Length: 0").getBytes(StandardCharsets.ISO_8859_1));
            } else {
                byte[] b = Files.readAllBytes(TestImages.png(shared, 700, 700));
                out.write(RawOrigin.head(200, "Content-Length: " + b.length).getBytes(StandardCharsets.ISO_8859_1));
                out.write(b);
            }
        });
        List<MediaJob> jobs = List.of(
                job("b-1", AssetType.Image, "/b-ok.png"),
                job("b-2", AssetType.Image, "/b-missing.png"),
                job("b-3", AssetType.Video, "/b-ok.png"),
                job("b-4", AssetType.Image, "/b-flaky.png"),
                new MediaJob("acct-1", "b-5", AssetType.Image, new MediaSource.FromUrl(URI.create("http://169.254.169.254/latest/meta-data/"))));
        List<MediaOutcome> out = inspector.inspectAll(jobs, 2);
        assertThat(out).extracting(MediaOutcome::assetId).containsExactly("b-1", "b-2", "b-3", "b-4", "b-5");
        assertThat(out.get(0)).isInstanceOf(MediaOutcome.Accepted.class);
        assertThat(refused(out.get(1))).isEqualTo("DOWNLOAD_FAILED: HTTP 404 from cdn.test");
        assertThat(refused(out.get(2))).isEqualTo("MEDIA_TYPE_MISMATCH: declared Video but the file is a PNG image");
        assertThat(out.get(3)).isInstanceOf(MediaOutcome.Accepted.class);
        assertThat(refused(out.get(4))).isEqualTo("URL_NOT_PUBLIC: 169.254.169.254 is a link-local or metadata address; the URL must be publicly reachable");
    }

    @Test
    void aStoreFaultIsAFaultOfOursNotARefusalOfTheMedia() throws Exception {
        origin.serve("/f.png", 200, "image/png", Files.readAllBytes(TestImages.png(shared, 400, 400)));
        MediaInspector noBucket = new MediaInspector(
                new GuardedFetcher(h -> List.of(InetAddress.getLoopbackAddress()),
                        FetchSettings.defaults().withAllowList(FetchAllowList.parse("cdn.test:" + origin.port())), d -> { },
                        (SSLSocketFactory) SSLSocketFactory.getDefault()),
                new MediaProbe(), new MediaCheck(MediaLimits.vendorDefaults()),
                new S3MediaStore(s3, "no-such-bucket", MediaEncryption.s3Managed()), shared);
        List<MediaOutcome> out = noBucket.inspectAll(List.of(job("f-1", AssetType.Image, "/f.png"), job("f-2", AssetType.Image, "/none")), 4);
        assertThat(out.get(0)).isInstanceOf(MediaOutcome.Fault.class);
        assertThat(((MediaOutcome.Fault) out.get(0)).message()).contains("NoSuchBucket");
        assertThat(refused(out.get(1))).isEqualTo("DOWNLOAD_FAILED: HTTP 404 from cdn.test");
    }
}
