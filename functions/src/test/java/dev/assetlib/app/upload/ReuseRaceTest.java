package dev.assetlib.app.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assetlib.app.review.ReviewStarter;
import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetIds;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.domain.AssetType;
import dev.assetlib.store.AssetStore;
import dev.assetlib.store.StatusChange;
import dev.assetlib.testing.FakeSfnClient;
import dev.assetlib.testing.LocalAws;
import dev.assetlib.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code "reuse": true} under concurrency: which asset holds a URL is a reuse claim written with the
 * asset in one conditional transaction (DynamoDB Local), not the eventually consistent index, so
 * racing uploads of one URL make exactly one asset and one review.
 */
@ExtendWith(LocalAws.class)
class ReuseRaceTest {
    private final AssetStore store;
    private final FakeSfnClient sfn = new FakeSfnClient();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-30T14:21:58Z"));
    private final UploadService uploads;

    ReuseRaceTest(LocalAws aws) {
        store = new AssetStore(aws.clients().dynamoDb(), aws.table(), new AssetIds());
        uploads = new UploadService(store, new ReviewStarter(sfn, "arn:aws:states:us-east-1:000000000000:stateMachine:AssetReview"),
                Duration.ofHours(24), clock);
    }

    private UploadResult.Uploaded upload(String account, String url, boolean reuse) {
        return uploads.single(account, new UploadRequests.SingleUpload(AssetType.Image, url, null, reuse), null).uploaded().get(0);
    }

    private List<UploadResult.Uploaded> race(String account, String url, int racers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<UploadResult.Uploaded>> futures = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return upload(account, url, true);
                }));
            }
            go.countDown();
            List<UploadResult.Uploaded> out = new ArrayList<>();
            for (Future<UploadResult.Uploaded> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void tenConcurrentReuseUploadsOfOneUrlMakeOneAsset() throws Exception {
        List<UploadResult.Uploaded> answers = race("acct-race", "https://cdn.example.com/race.png", 10);

        Set<String> ids = answers.stream().map(u -> u.asset().assetId()).collect(Collectors.toSet());
        assertThat(ids).hasSize(1);
        assertThat(answers).filteredOn(u -> !u.reused()).hasSize(1);
        assertThat(answers).filteredOn(UploadResult.Uploaded::reused).hasSize(9);
        assertThat(sfn.started).as("one review").hasSize(1);
        assertThat(store.getLive("acct-race", ids.iterator().next())).isPresent();
    }

    @Test
    void aFailedHolderIsReplacedByOneNewAssetEvenWhenRacing() throws Exception {
        String url = "https://cdn.example.com/failed-then-again.png";
        Asset first = upload("acct-race2", url, true).asset();
        store.transition(StatusChange.of("acct-race2", first.assetId()).from(EnumSet.of(AssetStatus.Processing))
                .to(AssetStatus.Failed).failing("DOWNLOAD_FAILED", "HTTP 404 from cdn.example.com").by("reviewer").at(clock.instant()))
                .orElseThrow();

        List<UploadResult.Uploaded> answers = race("acct-race2", url, 6);

        Set<String> ids = answers.stream().map(u -> u.asset().assetId()).collect(Collectors.toSet());
        assertThat(ids).hasSize(1).doesNotContain(first.assetId());
        assertThat(answers).filteredOn(u -> !u.reused()).hasSize(1);
        assertThat(sfn.started).as("the first review and one more").hasSize(2);
    }

    @Test
    void uploadsWithoutReuseAreNewAssetsAndALaterReuseUploadAnswersOneOfThem() {
        String url = "https://cdn.example.com/no-reuse.png";
        Set<String> made = new java.util.HashSet<>();
        for (int i = 0; i < 3; i++) {
            made.add(upload("acct-race3", url, false).asset().assetId());
        }
        assertThat(made).hasSize(3);
        assertThat(sfn.started).hasSize(3);
        UploadResult.Uploaded again = upload("acct-race3", url, true);
        assertThat(again.reused()).as("unclaimed assets are found through the ByUrl index").isTrue();
        assertThat(again.asset().assetId()).isIn(made);
        assertThat(sfn.started).hasSize(3);
    }
}
