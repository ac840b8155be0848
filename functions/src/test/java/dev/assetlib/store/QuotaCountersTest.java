package dev.assetlib.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.assetlib.app.limits.PlanSource;
import dev.assetlib.aws.AwsClients;
import dev.assetlib.domain.AccountLimits;
import dev.assetlib.domain.Actors;
import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetIds;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.domain.AssetType;
import dev.assetlib.testing.LocalAws;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The quota counters kept in the asset transactions, against DynamoDB Local with real threads. */
@ExtendWith(LocalAws.class)
class QuotaCountersTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static AwsClients clients;
    private static String table;

    @BeforeAll
    static void start(LocalAws aws) {
        clients = aws.clients();
        table = aws.table();
    }

    private static AccountLimits plan(long inReview, long storedAssets, long storedBytes, long perDay) {
        return AccountLimits.VENDOR_DEFAULTS.with(Map.of(AccountLimits.IN_REVIEW, inReview,
                AccountLimits.STORED_ASSETS, storedAssets, AccountLimits.STORED_BYTES, storedBytes,
                AccountLimits.UPLOADS_PER_DAY, perDay));
    }

    private static QuotaCounters counters(AccountLimits limits) {
        PlanSource fixed = account -> limits;
        return new QuotaCounters(clients.dynamoDb(), table, fixed);
    }

    private static AssetStore store(QuotaCounters counters) {
        return new AssetStore(clients.dynamoDb(), table, new AssetIds(), counters);
    }

    private static String account() {
        return "quota-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static NewAsset image(int i) {
        return new NewAsset(AssetType.Image, "https://example.com/" + i + ".jpg", null, AssetStatus.Processing);
    }

    @Test
    void fiftyConcurrentUploadsAgainstAQuotaOfThirtyInReviewAcceptExactlyThirty() throws Exception {
        String account = account();
        QuotaCounters counters = counters(plan(30, 1000, Long.MAX_VALUE / 2, 1000));
        AssetStore store = store(counters);
        ExecutorService threads = Executors.newFixedThreadPool(50);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int n = i;
            results.add(threads.submit(() -> {
                go.await();
                try {
                    store.createAll(account, List.of(image(n)), true, NOW);
                    return true;
                } catch (QuotaExceededException refused) {
                    assertThat(refused.quota()).isEqualTo("inReview");
                    assertThat(refused.limit()).isEqualTo(30);
                    return false;
                }
            }));
        }
        go.countDown();
        int accepted = 0;
        for (Future<Boolean> r : results) {
            accepted += r.get() ? 1 : 0;
        }
        threads.shutdown();
        assertThat(accepted).isEqualTo(30);
        assertThat(counters.usage(account, NOW)).isEqualTo(new dev.assetlib.app.limits.UsageCounters.Usage(30, 30, 0, 30));
    }

    @Test
    void aBatchOverTheQuotaIsRefusedWholeNamingTheQuotaItsUsageAndItsLimit() {
        String account = account();
        QuotaCounters counters = counters(plan(5, 1000, Long.MAX_VALUE / 2, 1000));
        AssetStore store = store(counters);
        store.createAll(account, List.of(image(1), image(2), image(3)), true, NOW);

        assertThatThrownBy(() -> store.createAll(account, List.of(image(4), image(5), image(6)), true, NOW))
                .isInstanceOfSatisfying(QuotaExceededException.class, e -> {
                    assertThat(e.quota()).isEqualTo("inReview");
                    assertThat(e.usage()).isEqualTo(3);
                    assertThat(e.requested()).isEqualTo(3);
                    assertThat(e.limit()).isEqualTo(5);
                });
        assertThat(counters.usage(account, NOW).inReview()).isEqualTo(3);
        store.createAll(account, List.of(image(4), image(5)), true, NOW);
        assertThat(counters.usage(account, NOW).inReview()).isEqualTo(5);
    }

    @Test
    void anAssetThatEndsReleasesItsPlaceInReviewOnceAndAFailedOneItsStoredPlaceToo() {
        String account = account();
        QuotaCounters counters = counters(plan(2, 1000, Long.MAX_VALUE / 2, 1000));
        AssetStore store = store(counters);
        List<Asset> created = store.createAll(account, List.of(image(1), image(2)), true, NOW);
        StatusChange approve = StatusChange.of(account, created.get(0).assetId()).from(EnumSet.of(AssetStatus.Processing))
                .to(AssetStatus.Active).by(Actors.REVIEWER).at(NOW);
        assertThat(store.transition(approve)).isPresent();
        assertThat(store.transition(approve)).isEmpty(); // a retried change finds it moved: nothing released twice
        StatusChange reject = StatusChange.of(account, created.get(1).assetId()).from(EnumSet.of(AssetStatus.Processing))
                .to(AssetStatus.Failed).failing("REVIEW_REJECTED", "no").by(Actors.REVIEWER).at(NOW);
        assertThat(store.transition(reject)).isPresent();

        assertThat(counters.usage(account, NOW)).isEqualTo(new dev.assetlib.app.limits.UsageCounters.Usage(0, 1, 0, 2));
    }

    @Test
    void aDeleteReleasesWhatTheAssetStillHeldAndARetriedDeleteNothingMore() {
        String account = account();
        QuotaCounters counters = counters(plan(10, 10, Long.MAX_VALUE / 2, 1000));
        AssetStore store = store(counters);
        List<Asset> created = store.createAll(account, List.of(image(1), image(2)), true, NOW);
        store.transition(StatusChange.of(account, created.get(0).assetId()).from(EnumSet.of(AssetStatus.Processing))
                .to(AssetStatus.Active).by(Actors.REVIEWER).at(NOW));
        store.delete(account, created.get(0).assetId(), NOW, Duration.ofDays(30)); // Active: stored only
        store.delete(account, created.get(1).assetId(), NOW, Duration.ofDays(30)); // under review: both
        store.delete(account, created.get(1).assetId(), NOW, Duration.ofDays(30));

        assertThat(counters.usage(account, NOW)).isEqualTo(new dev.assetlib.app.limits.UsageCounters.Usage(0, 0, 0, 2));
    }

    @Test
    void assetsWhoseReviewCouldNotStartAreGivenBack() {
        String account = account();
        QuotaCounters counters = counters(plan(10, 10, Long.MAX_VALUE / 2, 1000));
        AssetStore store = store(counters);
        store.discardUnstarted(store.createAll(account, List.of(image(1), image(2)), true, NOW));

        assertThat(counters.usage(account, NOW).inReview()).isZero();
        assertThat(counters.usage(account, NOW).storedAssets()).isZero();
    }

    @Test
    void storedAssetsAndUploadsPerDayAreQuotasOfTheirOwnAndTheDayCounterStartsAgainTheNextDay() {
        String account = account();
        QuotaCounters counters = counters(plan(100, 100, Long.MAX_VALUE / 2, 3));
        AssetStore store = store(counters);
        store.createAll(account, List.of(image(1), image(2), image(3)), true, NOW);
        assertThatThrownBy(() -> store.createAll(account, List.of(image(4)), true, NOW))
                .isInstanceOfSatisfying(QuotaExceededException.class, e -> assertThat(e.quota()).isEqualTo("uploadsPerDay"));
        Instant tomorrow = NOW.plus(Duration.ofDays(1));
        store.createAll(account, List.of(image(4)), true, tomorrow);
        assertThat(counters.usage(account, tomorrow)).isEqualTo(new dev.assetlib.app.limits.UsageCounters.Usage(4, 4, 0, 1));

        String other = account();
        QuotaCounters two = counters(plan(100, 2, Long.MAX_VALUE / 2, 100));
        store(two).createAll(other, List.of(image(1), image(2)), true, NOW);
        assertThatThrownBy(() -> store(two).createAll(other, List.of(image(3)), true, NOW))
                .isInstanceOfSatisfying(QuotaExceededException.class, e -> assertThat(e.quota()).isEqualTo("storedAssets"));
    }

    @Test
    void storedBytesCountWhenADirectUploadArrivesAndRefuseUploadsOnceAtTheLimit() {
        String account = account();
        QuotaCounters counters = counters(plan(100, 100, 1000, 100));
        AssetStore store = store(counters);
        NewAsset direct = new NewAsset(AssetType.Image, null, null, AssetStatus.Processing,
                new NewAsset.DirectUpload("bucket", "image/png"));
        Asset a = store.createAll(account, List.of(direct), true, NOW).get(0);
        assertThat(store.recordUpload(account, a.assetId(), 1000, NOW)).isTrue();
        assertThat(store.recordUpload(account, a.assetId(), 1000, NOW)).isFalse(); // a duplicate event counts nothing
        assertThat(counters.usage(account, NOW).storedBytes()).isEqualTo(1000);
        assertThatThrownBy(() -> store.createAll(account, List.of(image(1)), true, NOW))
                .isInstanceOfSatisfying(QuotaExceededException.class, e -> assertThat(e.quota()).isEqualTo("storedBytes"));
        store.delete(account, a.assetId(), NOW, Duration.ofDays(30));
        assertThat(counters.usage(account, NOW).storedBytes()).isZero();
        store.createAll(account, List.of(image(1)), true, NOW);
    }

    private static dev.assetlib.domain.AssetMedia copy(long bytes) {
        return new dev.assetlib.domain.AssetMedia("jpeg", bytes, UUID.randomUUID().toString().replace("-", ""), 10, 10,
                null, null, "media/copy");
    }

    @Test
    void aFetchedUploadsStoredCopyCountsItsBytesOnceWhenRetriedStepsRaceAndIsGivenBackOnDelete() throws Exception {
        String account = account();
        QuotaCounters counters = counters(plan(100, 100, 1_000_000, 100));
        AssetStore store = store(counters);
        Asset a = store.createAll(account, List.of(image(1)), true, NOW).get(0);
        assertThat(counters.usage(account, NOW).storedBytes()).isZero(); // a URL upload's size is known only once fetched
        dev.assetlib.domain.AssetMedia media = copy(4321);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) { // the media task retried while an earlier attempt still writes
            results.add(threads.submit(() -> {
                go.await();
                return store.recordMedia(account, a.assetId(), media, NOW);
            }));
        }
        go.countDown();
        long recorded = 0;
        for (Future<Boolean> r : results) {
            recorded += r.get() ? 1 : 0;
        }
        threads.shutdown();
        assertThat(recorded).isEqualTo(1);
        assertThat(counters.usage(account, NOW).storedBytes()).isEqualTo(4321);
        store.delete(account, a.assetId(), NOW, Duration.ofDays(30));
        assertThat(counters.usage(account, NOW).storedBytes()).isZero();
        assertThat(counters.usage(account, NOW).storedAssets()).isZero();
    }

    @Test
    void aCopyOfAnAssetThatEndsFailedIsGivenBackThenAndAnActiveOnesStaysUntilItsDelete() {
        String account = account();
        QuotaCounters counters = counters(plan(100, 100, 1_000_000, 100));
        AssetStore store = store(counters);
        List<Asset> two = store.createAll(account, List.of(image(1), image(2)), true, NOW);
        assertThat(store.recordMedia(account, two.get(0).assetId(), copy(1000), NOW)).isTrue();
        assertThat(store.recordMedia(account, two.get(1).assetId(), copy(300), NOW)).isTrue();
        assertThat(counters.usage(account, NOW).storedBytes()).isEqualTo(1300);
        store.transition(StatusChange.of(account, two.get(0).assetId()).from(EnumSet.of(AssetStatus.Processing))
                .to(AssetStatus.Failed).failing(dev.assetlib.domain.FailureCode.REVIEW_REJECTED, "rejected")
                .by(Actors.REVIEWER).at(NOW));
        store.transition(StatusChange.of(account, two.get(1).assetId()).from(EnumSet.of(AssetStatus.Processing))
                .to(AssetStatus.Active).by(Actors.REVIEWER).at(NOW));
        assertThat(counters.usage(account, NOW).storedBytes()).isEqualTo(300);
        store.delete(account, two.get(0).assetId(), NOW, Duration.ofDays(30)); // gave its bytes back when it failed
        assertThat(counters.usage(account, NOW).storedBytes()).isEqualTo(300);
        store.delete(account, two.get(1).assetId(), NOW, Duration.ofDays(30));
        assertThat(counters.usage(account, NOW).storedBytes()).isZero();
    }

    @Test
    void aDirectUploadsCopyOfTheBytesCountedOnArrivalAddsNothingMoreAndItsDeleteGivesBackTheCopysSize() {
        String account = account();
        QuotaCounters counters = counters(plan(100, 100, 1_000_000, 100));
        AssetStore store = store(counters);
        NewAsset direct = new NewAsset(AssetType.Image, null, null, AssetStatus.Processing,
                new NewAsset.DirectUpload("bucket", "image/png"));
        Asset a = store.createAll(account, List.of(direct), true, NOW).get(0);
        assertThat(store.recordUpload(account, a.assetId(), 2000, NOW)).isTrue();
        assertThat(store.recordMedia(account, a.assetId(), copy(2000), NOW)).isTrue();
        assertThat(counters.usage(account, NOW).storedBytes()).isEqualTo(2000);
        store.delete(account, a.assetId(), NOW, Duration.ofDays(30));
        assertThat(counters.usage(account, NOW).storedBytes()).isZero();
    }

    @Test
    void withoutQuotasTheMediaRecordCountsNothing() {
        String account = account();
        QuotaCounters counters = counters(plan(100, 100, 1_000_000, 100));
        Asset a = store(null).createAll(account, List.of(image(1)), true, NOW).get(0);
        assertThat(store(null).recordMedia(account, a.assetId(), copy(999), NOW)).isTrue();
        assertThat(counters.usage(account, NOW).storedBytes()).isZero();
    }
}
