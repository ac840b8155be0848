package dev.assetlib.app.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assetlib.app.upload.DirectUploadService;
import dev.assetlib.app.upload.UploadRequests;
import dev.assetlib.app.upload.UploadService;
import dev.assetlib.aws.AwsClients;
import dev.assetlib.aws.S3UploadUrlSigner;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.domain.AssetType;
import dev.assetlib.domain.AssetIds;
import dev.assetlib.fetch.FetchSettings;
import dev.assetlib.fetch.GuardedFetcher;
import dev.assetlib.media.MediaCheck;
import dev.assetlib.media.MediaInspector;
import dev.assetlib.media.MediaLimits;
import dev.assetlib.media.MediaProbe;
import dev.assetlib.objects.MediaEncryption;
import dev.assetlib.objects.S3MediaStore;
import dev.assetlib.store.AssetStore;
import dev.assetlib.testing.FakeSfnClient;
import dev.assetlib.testing.LocalAws;
import dev.assetlib.testing.LocalS3;
import dev.assetlib.testing.LocalSqs;
import dev.assetlib.testing.MutableClock;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The media step on a direct upload whose object arrived (what CheckReview hands back to
 * InspectMedia): the object is read and copied pinned to the ETag its ObjectCreated event named,
 * on DynamoDB Local, ElasticMQ and S3Mock. A later PUT to the key never becomes the asset's media.
 */
@ExtendWith(LocalAws.class)
class MediaStepDirectUploadTest {
    private static final String UPLOADS = "uploads-bucket";
    private static final String MEDIA = "media-bucket";
    @TempDir
    static Path root;
    private static LocalS3 server;
    private static S3Client s3;
    private static S3Presigner presigner;
    private static AwsClients clients;
    private static String table;

    private MutableClock clock;
    private AssetStore store;
    private String queue;
    private DirectUploadService direct;
    private MediaStep step;

    @BeforeAll
    static void start(LocalAws aws) throws Exception {
        server = new LocalS3(Files.createDirectories(root.resolve("s3")), UPLOADS, MEDIA);
        s3 = server.client();
        presigner = S3Presigner.builder().region(Region.US_EAST_1).endpointOverride(server.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build();
        clients = aws.clients();
        table = aws.table();
    }

    @AfterAll
    static void stop() {
        presigner.close();
        s3.close();
        server.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        clock = new MutableClock(Instant.parse("2026-03-30T14:21:58Z"));
        store = new AssetStore(clients.dynamoDb(), table, new AssetIds());
        queue = LocalSqs.newFifoQueue(clients.sqs());
        UploadService uploads = new UploadService(store, new ReviewStarter(new FakeSfnClient(),
                "arn:aws:states:us-east-1:000000000000:stateMachine:AssetReview"), Duration.ofHours(24), Duration.ofHours(1), clock);
        direct = new DirectUploadService(uploads, new S3UploadUrlSigner(presigner, UPLOADS), Duration.ofMinutes(15));
        MediaInspector inspector = new MediaInspector(GuardedFetcher.create(FetchSettings.defaults()), new MediaProbe(),
                new MediaCheck(MediaLimits.fromEnv(Map.of())), new S3MediaStore(s3, MEDIA, MediaEncryption.s3Managed()),
                Files.createDirectories(root.resolve("tmp")));
        step = new MediaStep(inspector, store, new CompletionPublisher(clients.sqs(), queue), 4, clock);
    }

    static byte[] png(int width, int height, int rgb) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(rgb));
        g.fillRect(0, 0, width, height);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** A direct-upload asset of {@code account} and the key its object goes to. */
    private String issue(String account) {
        return direct.issue(account, new UploadRequests.UploadUrlRequest(AssetType.Image, "direct", "image/png")).asset().assetId();
    }

    private static String key(String account, String id) {
        return "uploads/" + account + "/" + id;
    }

    /** PUTs the object and records its ObjectCreated event as S3 sends it (the ETag without quotes). */
    private String arrive(String account, String id, byte[] bytes) {
        String eTag = s3.putObject(p -> p.bucket(UPLOADS).key(key(account, id)), RequestBody.fromBytes(bytes)).eTag();
        String unquoted = eTag.replace("\"", "");
        assertThat(store.recordUpload(account, id, bytes.length, unquoted, null, clock.instant())).isTrue();
        return unquoted;
    }

    /** The state CheckReview passes on once the object arrived (its s3:// location, no reviewer ref yet). */
    private static ReviewState arrived(String account, String... ids) {
        List<ReviewState.PendingAsset> pending = java.util.Arrays.stream(ids)
                .map(id -> new ReviewState.PendingAsset(id, "Image", "s3://" + UPLOADS + "/" + key(account, id), null)).toList();
        return new ReviewState(account, "batch-" + ids[0], ReviewState.SINGLE, Instant.parse("2026-03-31T14:21:58Z").getEpochSecond(),
                0, 2, false, pending, null, true);
    }

    private byte[] copy(String account, String id) {
        return s3.getObjectAsBytes(g -> g.bucket(MEDIA).key(S3MediaStore.key(account, id))).asByteArray();
    }

    @Test
    void anArrivedObjectIsProbedAndCopiedFromTheObjectTheEventNamedAndGoesOnToReview() throws Exception {
        String id = issue("acct-direct");
        byte[] image = png(640, 480, 0x3366aa);
        arrive("acct-direct", id, image);

        ReviewState next = step.inspect(arrived("acct-direct", id));

        assertThat(next.inspect()).as("the media step is done").isFalse();
        assertThat(next.pending()).extracting(ReviewState.PendingAsset::assetId).containsExactly(id);
        var media = store.get("acct-direct", id).orElseThrow().media();
        assertThat(media.format()).isEqualTo("png");
        assertThat(media.width()).isEqualTo(640);
        assertThat(media.height()).isEqualTo(480);
        assertThat(media.bytes()).isEqualTo(image.length);
        assertThat(media.sha256()).isEqualTo(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(image)));
        assertThat(copy("acct-direct", id)).isEqualTo(image);
        assertThat(LocalSqs.drain(clients.sqs(), queue)).as("no completion: the review decides").isEmpty();
    }

    @Test
    void anObjectReplacedBeforeTheMediaStepReadItFailsUploadReplacedAndNothingIsCopied() throws Exception {
        String id = issue("acct-swap");
        String eTag = arrive("acct-swap", id, png(640, 480, 0x22aa44));
        // Another object under the key after the event (If-None-Match got past, or the bucket owner wrote it).
        s3.putObject(p -> p.bucket(UPLOADS).key(key("acct-swap", id)), RequestBody.fromBytes(png(800, 800, 0xaa2222)));

        ReviewState next = step.inspect(arrived("acct-swap", id));

        assertThat(next.pending()).isEmpty();
        var asset = store.get("acct-swap", id).orElseThrow();
        assertThat(asset.status()).isEqualTo(AssetStatus.Failed);
        assertThat(asset.errorCode()).isEqualTo("UPLOAD_REPLACED");
        assertThat(asset.errorMessage()).startsWith("UPLOAD_REPLACED: s3://" + UPLOADS + "/" + key("acct-swap", id)
                + " is no longer the object with ETag " + eTag).contains("upload again with a new upload URL");
        assertThat(asset.media()).isNull();
        assertThat(s3.listObjectsV2(l -> l.bucket(MEDIA).prefix(S3MediaStore.key("acct-swap", id))).contents()).isEmpty();
        assertThat(LocalSqs.drain(clients.sqs(), queue)).hasSize(1);
    }

    @Test
    void aTooSmallUploadedImageFailsWithTheSameCodeAsAUrlUpload() throws Exception {
        String id = issue("acct-small");
        arrive("acct-small", id, png(240, 180, 0x999999));

        step.inspect(arrived("acct-small", id));

        var asset = store.get("acct-small", id).orElseThrow();
        assertThat(asset.status()).isEqualTo(AssetStatus.Failed);
        assertThat(asset.errorCode()).isEqualTo("IMAGE_DIMENSIONS");
        assertThat(asset.errorMessage()).isEqualTo("IMAGE_DIMENSIONS: image is 240x180 px; each side must be 300 to 6000 px");
        assertThat(LocalSqs.drain(clients.sqs(), queue)).hasSize(1);
    }

    @Test
    void anUploadedPdfDeclaredAsAnImageFailsUnsupportedFormatAsAUrlUploadWould() throws Exception {
        String id = issue("acct-type");
        arrive("acct-type", id, "%PDF-1.4\n%\u00e2\u00e3\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));

        step.inspect(arrived("acct-type", id));

        var asset = store.get("acct-type", id).orElseThrow();
        assertThat(asset.status()).isEqualTo(AssetStatus.Failed);
        assertThat(asset.errorMessage()).isEqualTo("MEDIA_UNSUPPORTED_FORMAT: the file is a PDF document; Image accepts bmp, gif, jpeg, png, tiff, webp");
    }

    @Test
    void anAssetAlreadyHandedToTheReviewerIsNotLookedAtAgain() throws Exception {
        String id = issue("acct-ref");
        arrive("acct-ref", id, png(640, 480, 0x123456));
        ReviewState.PendingAsset underReview = new ReviewState.PendingAsset(id, "Image",
                "s3://" + UPLOADS + "/" + key("acct-ref", id), "sim-ref-1");
        ReviewState state = new ReviewState("acct-ref", "batch-ref", ReviewState.SINGLE,
                Instant.parse("2026-03-31T14:21:58Z").getEpochSecond(), 0, 2, false, List.of(underReview), null, true);

        ReviewState next = step.inspect(state);

        assertThat(next.pending()).extracting(ReviewState.PendingAsset::assetId, ReviewState.PendingAsset::ref)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(id, "sim-ref-1"));
        assertThat(store.get("acct-ref", id).orElseThrow().media()).as("not inspected: it was under review").isNull();
    }
}
