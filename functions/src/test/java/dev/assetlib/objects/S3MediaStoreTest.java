package dev.assetlib.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.assetlib.testing.LocalS3;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** The media store against S3Mock, a real S3-compatible server started in this JVM. */
class S3MediaStoreTest {
    @TempDir
    static Path shared;
    @TempDir
    Path dir;
    private static LocalS3 server;
    private static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        server = new LocalS3(Files.createDirectories(shared.resolve("s3")), "media", "uploads");
        System.out.println("S3Mock started in " + server.startMillis() + " ms");
        s3 = server.client();
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
        server.close();
    }

    private static Path randomFile(Path dir, String name, long size) throws Exception {
        Path f = dir.resolve(name);
        Random r = new Random(size);
        byte[] buf = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(f)) {
            for (long left = size; left > 0; left -= buf.length) {
                r.nextBytes(buf);
                out.write(buf, 0, (int) Math.min(buf.length, left));
            }
        }
        return f;
    }

    private static java.util.Map<String, String> tags(String key) {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        s3.getObjectTagging(t -> t.bucket("media").key(key)).tagSet().forEach(t -> out.put(t.key(), t.value()));
        return out;
    }

    private static boolean exists(String key) {
        try {
            s3.headObject(h -> h.bucket("media").key(key));
            return true;
        } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
            return false;
        }
    }

    private static final java.time.Duration CALL = java.time.Duration.ofSeconds(30);

    @Test
    void aStreamedPutStoresTheBodyWrittenWhileItIsSentAndTagsItsSha256() throws Exception {
        Path f = randomFile(dir, "streamed", 3L * 1024 * 1024 + 17);
        byte[] bytes = Files.readAllBytes(f);
        S3MediaStore store = new S3MediaStore(s3, "media", MediaEncryption.s3Managed());
        StreamingPut put = store.startPut("media/acct-3/streamed", bytes.length, "video/mp4", CALL);
        for (int off = 0; off < bytes.length; off += 10_000) {
            put.write(bytes, off, Math.min(10_000, bytes.length - off)); // waits while the PUT lags: bounded memory
        }
        put.end();
        StoredMedia m = put.await(sha256(f), CALL).orElseThrow();
        store.tagSha256(m);

        assertThat(m.bytes()).isEqualTo(bytes.length);
        assertThat(s3.getObjectAsBytes(g -> g.bucket("media").key("media/acct-3/streamed")).asByteArray()).isEqualTo(bytes);
        HeadObjectResponse head = s3.headObject(h -> h.bucket("media").key("media/acct-3/streamed"));
        assertThat(head.contentType()).isEqualTo("video/mp4");
        assertThat(head.serverSideEncryptionAsString()).isEqualTo("AES256");
        assertThat(tags("media/acct-3/streamed")).containsExactly(java.util.Map.entry(S3MediaStore.SHA256_TAG, sha256(f)));
    }

    @Test
    void anAbandonedStreamedPutStoresNothing() throws Exception {
        byte[] half = new byte[600_000];
        S3MediaStore store = new S3MediaStore(s3, "media", MediaEncryption.s3Managed());
        StreamingPut put = store.startPut("media/acct-3/abandoned", 2 * half.length, "image/png", CALL);
        put.write(half, 0, half.length);
        put.abandon();
        assertThat(put.await("unused", CALL)).isEmpty();
        assertThat(put.failed()).isTrue();
        assertThat(exists("media/acct-3/abandoned")).isFalse();
    }

    @Test
    void aStreamedBodyShorterThanItsLengthIsNotStored() throws Exception {
        byte[] some = new byte[100_000];
        S3MediaStore store = new S3MediaStore(s3, "media", MediaEncryption.s3Managed());
        StreamingPut put = store.startPut("media/acct-3/short", some.length + 1, "image/png", CALL);
        put.write(some, 0, some.length);
        put.end(); // one byte short of the announced length
        assertThat(put.await("unused", CALL)).isEmpty();
        assertThat(exists("media/acct-3/short")).isFalse();
    }

    private static String sha256(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }

    @Test
    void storesASmallFileUnderTheServiceKeyWithItsSha256() throws Exception {
        Path f = randomFile(dir, "small", 100_000);
        String sha = sha256(f);
        S3MediaStore store = new S3MediaStore(s3, "media", MediaEncryption.s3Managed());
        String key = S3MediaStore.key("acct-1", "asset-20260330142158-q75m8");
        StoredMedia m = store.put(key, f, sha, "image/png");
        assertThat(key).isEqualTo("media/acct-1/asset-20260330142158-q75m8");
        assertThat(m.bytes()).isEqualTo(100_000);
        HeadObjectResponse head = s3.headObject(h -> h.bucket("media").key(key));
        assertThat(tags(key)).containsEntry(S3MediaStore.SHA256_TAG, sha);
        assertThat(head.contentLength()).isEqualTo(100_000);
        assertThat(head.contentType()).isEqualTo("image/png");
        assertThat(head.serverSideEncryptionAsString()).isEqualTo("AES256");
        assertThat(s3.getObjectAsBytes(g -> g.bucket("media").key(key)).asByteArray()).isEqualTo(Files.readAllBytes(f));
    }

    @Test
    void storesALargeFileInPartsAndTheBytesComeBackWhole() throws Exception {
        Path f = randomFile(dir, "large", 12L * 1024 * 1024 + 321);
        String sha = sha256(f);
        S3MediaStore store = new S3MediaStore(s3, "media", MediaEncryption.s3Managed(), S3MediaStore.MIN_PART_SIZE);
        StoredMedia m = store.put("media/acct-1/big", f, sha, "video/mp4");
        assertThat(m.eTag()).endsWith("-3\""); // a multipart ETag names its part count
        assertThat(tags("media/acct-1/big")).containsEntry(S3MediaStore.SHA256_TAG, sha);
        Path back = dir.resolve("back");
        s3.getObject(g -> g.bucket("media").key("media/acct-1/big"), back);
        assertThat(sha256(back)).isEqualTo(sha);
    }

    @Test
    void copiesADirectUploadPinnedToItsETagAndRefusesAReplacedOne() throws Exception {
        S3MediaStore store = new S3MediaStore(s3, "media", MediaEncryption.s3Managed());
        String first = s3.putObject(p -> p.bucket("uploads").key("u/acct-1/x"), RequestBody.fromString("approved bytes")).eTag();

        Path file = dir.resolve("dl");
        S3MediaStore.Download d = store.download("uploads", "u/acct-1/x", null, first, 1000, file);
        assertThat(d.tooLarge()).isFalse();
        assertThat(d.bytes()).isEqualTo(14);
        assertThat(d.sha256()).isEqualTo(sha256(file));
        StoredMedia copy = store.copyFromUpload("uploads", "u/acct-1/x", null, first, "media/acct-1/x", d.sha256(), "image/png", d.bytes());
        assertThat(copy.key()).isEqualTo("media/acct-1/x");
        assertThat(s3.getObjectAsBytes(g -> g.bucket("media").key("media/acct-1/x")).asUtf8String()).isEqualTo("approved bytes");
        assertThat(tags("media/acct-1/x")).as("the upload's own tags are not carried over").containsExactly(
                java.util.Map.entry(S3MediaStore.SHA256_TAG, d.sha256()));

        // the presigned PUT used again: the pinned copy refuses the new bytes and keeps the approved ones
        s3.putObject(p -> p.bucket("uploads").key("u/acct-1/x"), RequestBody.fromString("swapped bytes!"));
        assertThatThrownBy(() -> store.copyFromUpload("uploads", "u/acct-1/x", null, first, "media/acct-1/x", d.sha256(), "image/png", 14))
                .isInstanceOf(S3MediaStore.SourceChanged.class).hasMessageContaining("HTTP 412");
        assertThatThrownBy(() -> store.download("uploads", "u/acct-1/x", null, first, 1000, file))
                .isInstanceOf(S3MediaStore.SourceChanged.class);
        assertThat(s3.getObjectAsBytes(g -> g.bucket("media").key("media/acct-1/x")).asUtf8String()).isEqualTo("approved bytes");
    }

    @Test
    void aDirectUploadPastTheLimitStopsWithoutReadingIt() throws Exception {
        S3MediaStore store = new S3MediaStore(s3, "media", MediaEncryption.s3Managed());
        String eTag = s3.putObject(p -> p.bucket("uploads").key("u/acct-1/big"), RequestBody.fromBytes(new byte[5000])).eTag();
        S3MediaStore.Download d = store.download("uploads", "u/acct-1/big", null, eTag, 4999, dir.resolve("dl2"));
        assertThat(d.tooLarge()).isTrue();
        assertThat(d.bytes()).isEqualTo(5000);
    }

    @Test
    void encryptsWithTheConfiguredKmsKey() throws Exception {
        Path f = randomFile(dir, "kms", 1000);
        String kms = "valid-test-key-ref"; // the key id of LocalS3.KMS_KEY
        new S3MediaStore(s3, "media", new MediaEncryption(kms)).put("media/acct-1/kms", f, sha256(f), "image/jpeg");
        HeadObjectResponse head = s3.headObject(h -> h.bucket("media").key("media/acct-1/kms"));
        assertThat(head.serverSideEncryptionAsString()).isEqualTo("aws:kms");
        assertThat(head.ssekmsKeyId()).isEqualTo(kms);
        assertThat(MediaEncryption.fromEnv(java.util.Map.of("MEDIA_KMS_KEY_ID", kms)).kmsKeyId()).isEqualTo(kms);
        assertThat(MediaEncryption.fromEnv(java.util.Map.of()).kms()).isFalse();
    }

    @Test
    void deleteRemovesTheCopy() throws Exception {
        Path f = randomFile(dir, "gone", 10);
        S3MediaStore store = new S3MediaStore(s3, "media", MediaEncryption.s3Managed());
        store.put("media/acct-2/gone", f, sha256(f), "audio/mpeg");
        store.delete("media/acct-2/gone");
        assertThat(s3.listObjectsV2(l -> l.bucket("media").prefix("media/acct-2/")).contents()).isEmpty();
    }
}
