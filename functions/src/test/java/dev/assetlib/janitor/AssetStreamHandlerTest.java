package dev.assetlib.janitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.assetlib.objects.MediaCopies;
import dev.assetlib.app.manage.MediaLifecycle;
import dev.assetlib.objects.S3MediaCopies;
import dev.assetlib.objects.S3MediaStore;
import dev.assetlib.testing.Events;
import dev.assetlib.testing.LocalS3;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * The table stream's handler with the events/ sample (a Failed asset, a deleted one, a tombstone
 * removed by TTL, a history event) against S3Mock: the Failed asset's copy gets the
 * asset-status=failed tag, the deleted and removed assets' copies are deleted, nothing else moves.
 */
class AssetStreamHandlerTest {
    private static final String MEDIA = "media-bucket";
    private static final String ACCOUNT = "acct-demo";
    @TempDir
    static Path root;
    private static LocalS3 server;
    private static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        server = new LocalS3(Files.createDirectories(root.resolve("s3")), MEDIA);
        s3 = server.client();
    }

    @AfterAll
    static void stop() {
        s3.close();
        server.close();
    }

    private static void copy(String assetId) {
        s3.putObject(p -> p.bucket(MEDIA).key(S3MediaStore.key(ACCOUNT, assetId)), RequestBody.fromString(assetId));
    }

    private static boolean exists(String assetId) {
        try {
            s3.headObject(h -> h.bucket(MEDIA).key(S3MediaStore.key(ACCOUNT, assetId)));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    private static List<Tag> tags(String assetId) {
        return s3.getObjectTagging(t -> t.bucket(MEDIA).key(S3MediaStore.key(ACCOUNT, assetId))).tagSet();
    }

    @Test
    void aFailedAssetsCopyIsTaggedAndDeletedOrRemovedAssetsCopiesAreDeleted() {
        for (String id : List.of("asset-20260330142158-faild", "asset-20260330142158-delet", "asset-20260330142158-ttlgo",
                "asset-20260330142158-alive")) {
            copy(id);
        }
        AssetStreamHandler handler = new AssetStreamHandler(new MediaLifecycle(new S3MediaCopies(s3, MEDIA)));

        List<String> actions = handler.handleRequest(Events.dynamodb("dynamodb-asset-stream.json"), null);

        assertThat(actions).containsExactly("MARKED_FAILED", "DELETED_COPY", "DELETED_COPY", "SKIPPED");
        assertThat(tags("asset-20260330142158-faild")).as("the expiry mark, and the SHA-256 of the item's media kept")
                .extracting(t -> t.key() + "=" + t.value())
                .containsExactlyInAnyOrder(S3MediaCopies.STATUS_TAG + "=" + S3MediaCopies.FAILED,
                        S3MediaStore.SHA256_TAG + "=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
        assertThat(exists("asset-20260330142158-delet")).isFalse();
        assertThat(exists("asset-20260330142158-ttlgo")).isFalse();
        assertThat(exists("asset-20260330142158-alive")).isTrue();
        assertThat(tags("asset-20260330142158-alive")).isEmpty();

        // Redelivered: the same outcome, nothing breaks (the deleted copies are simply not there).
        assertThat(handler.handleRequest(Events.dynamodb("dynamodb-asset-stream.json"), null))
                .containsExactly("MARKED_FAILED", "DELETED_COPY", "DELETED_COPY", "SKIPPED");
    }

    @Test
    void aFailedAssetWithoutCopyChangesNothing() {
        AssetStreamHandler handler = new AssetStreamHandler(new MediaLifecycle(new S3MediaCopies(s3, "media-bucket")));
        var event = Events.dynamodb("dynamodb-asset-stream.json");
        event.setRecords(List.of(event.getRecords().get(0)));
        s3.deleteObject(d -> d.bucket(MEDIA).key(S3MediaStore.key(ACCOUNT, "asset-20260330142158-faild")));
        assertThat(handler.handleRequest(event, null)).containsExactly("NOTHING");
    }

    @Test
    void anS3FaultIsThrownSoTheStreamRetriesTheBatch() {
        MediaCopies down = new MediaCopies() {
            @Override
            public void delete(String accountId, String assetId) {
                throw new IllegalStateException("S3 unreachable");
            }

            @Override
            public boolean markFailed(String accountId, String assetId, String sha256) {
                throw new IllegalStateException("S3 unreachable");
            }
        };
        AssetStreamHandler handler = new AssetStreamHandler(new MediaLifecycle(down));
        assertThatThrownBy(() -> handler.handleRequest(Events.dynamodb("dynamodb-asset-stream.json"), null))
                .hasMessageContaining("S3 unreachable");
    }
}
