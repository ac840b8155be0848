package dev.assetlib.app.manage;

import dev.assetlib.objects.MediaCopies;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.assetlib.app.review.CompletionPublisher;
import dev.assetlib.app.review.ReviewStarter;
import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetIds;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.domain.AssetType;
import dev.assetlib.domain.DomainException;
import dev.assetlib.objects.S3MediaCopies;
import dev.assetlib.objects.S3MediaStore;
import dev.assetlib.store.AssetStore;
import dev.assetlib.store.NewAsset;
import dev.assetlib.testing.FakeSfnClient;
import dev.assetlib.testing.LocalAws;
import dev.assetlib.testing.LocalS3;
import dev.assetlib.testing.LocalSqs;
import dev.assetlib.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Deleting an asset deletes its stored copy in the media bucket (S3Mock in this JVM, DynamoDB
 * Local, ElasticMQ); the copies of other assets stay, and S3 being unreachable never undoes or
 * fails the delete itself.
 */
@ExtendWith(LocalAws.class)
class DeleteRemovesMediaCopyTest {
    private static final String MEDIA = "media-bucket";
    @TempDir
    static Path root;
    private static LocalS3 server;
    private static S3Client s3;
    private final AssetStore store;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-30T14:21:58Z"));
    private final CompletionPublisher completions;
    private final ReviewStarter reviews = new ReviewStarter(new FakeSfnClient(), "arn:aws:states:us-east-1:000000000000:stateMachine:AssetReview");

    DeleteRemovesMediaCopyTest(LocalAws aws) {
        store = new AssetStore(aws.clients().dynamoDb(), aws.table(), new AssetIds());
        completions = new CompletionPublisher(aws.clients().sqs(), LocalSqs.newFifoQueue(aws.clients().sqs()));
    }

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

    private Asset assetWithCopy(String account) {
        Asset a = store.createAll(account, List.of(new NewAsset(AssetType.Image, "https://cdn.example.com/a.png", null,
                AssetStatus.Processing)), true, clock.instant()).get(0);
        s3.putObject(p -> p.bucket(MEDIA).key(S3MediaStore.key(account, a.assetId())), RequestBody.fromString("png bytes"));
        return a;
    }

    private boolean copyExists(String account, String assetId) {
        try {
            s3.headObject(h -> h.bucket(MEDIA).key(S3MediaStore.key(account, assetId)));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    @Test
    void deletingAnAssetRemovesItsCopyAndOnlyItsCopy() {
        AssetManagement manage = new AssetManagement(store, completions, reviews, Duration.ofDays(30), clock,
                new S3MediaCopies(s3, MEDIA));
        Asset deleted = assetWithCopy("acct-del");
        Asset kept = assetWithCopy("acct-del");
        assertThat(copyExists("acct-del", deleted.assetId())).isTrue();

        manage.delete("acct-del", deleted.assetId());

        assertThat(copyExists("acct-del", deleted.assetId())).isFalse();
        assertThat(copyExists("acct-del", kept.assetId())).isTrue();
        assertThat(store.get("acct-del", deleted.assetId()).orElseThrow().isDeleted()).isTrue();
    }

    @Test
    void anAssetWithoutCopyIsDeletedAsBefore() {
        AssetManagement manage = new AssetManagement(store, completions, reviews, Duration.ofDays(30), clock,
                new S3MediaCopies(s3, MEDIA));
        Asset a = store.createAll("acct-del2", List.of(new NewAsset(AssetType.Image, "https://cdn.example.com/b.png", null,
                AssetStatus.Processing)), true, clock.instant()).get(0);
        manage.delete("acct-del2", a.assetId());
        assertThat(store.get("acct-del2", a.assetId()).orElseThrow().isDeleted()).isTrue();
    }

    @Test
    void s3FailingDoesNotFailTheDeleteAndTheNextDeleteRemovesTheCopy() {
        Asset a = assetWithCopy("acct-del3");
        MediaCopies down = new MediaCopies() {
            @Override
            public void delete(String account, String id) {
                throw new IllegalStateException("S3 unreachable");
            }

            @Override
            public boolean markFailed(String account, String id, String sha256) {
                throw new IllegalStateException("S3 unreachable");
            }
        };
        new AssetManagement(store, completions, reviews, Duration.ofDays(30), clock, down).delete("acct-del3", a.assetId());
        assertThat(store.get("acct-del3", a.assetId()).orElseThrow().isDeleted()).isTrue();
        assertThat(copyExists("acct-del3", a.assetId())).isTrue();

        AssetManagement manage = new AssetManagement(store, completions, reviews, Duration.ofDays(30), clock,
                new S3MediaCopies(s3, MEDIA));
        assertThatThrownBy(() -> manage.delete("acct-del3", a.assetId())).isInstanceOf(DomainException.class);
        assertThat(copyExists("acct-del3", a.assetId())).as("the second DELETE (404) retried the copy").isFalse();
    }

    @Test
    void aFailedAssetsCopyIsTaggedForTheFailedMediaLifecycleRule() {
        Asset a = assetWithCopy("acct-del4");
        S3MediaCopies copies = new S3MediaCopies(s3, MEDIA);
        String sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        assertThat(copies.markFailed("acct-del4", a.assetId(), sha)).isTrue();
        assertThat(s3.getObjectTagging(t -> t.bucket(MEDIA).key(S3MediaStore.key("acct-del4", a.assetId()))).tagSet())
                .as("the expiry mark, and the copy's SHA-256 tag kept beside it")
                .extracting(t -> t.key() + "=" + t.value())
                .containsExactlyInAnyOrder("asset-status=failed", "sha256=" + sha);
        assertThat(copies.markFailed("acct-del4", "asset-20260330142158-zzzzz", null)).as("no copy").isFalse();
    }
}
