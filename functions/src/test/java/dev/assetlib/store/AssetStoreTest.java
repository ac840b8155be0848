package dev.assetlib.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assetlib.testing.LocalAws;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.assetlib.aws.AwsClients;
import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetIds;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.domain.AssetType;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The store against DynamoDB Local: ids, conditional transitions, isolation between accounts. */
@ExtendWith(LocalAws.class)
class AssetStoreTest {
    private static final Instant NOW = Instant.parse("2026-03-30T14:21:58Z");
    private static AwsClients clients;
    private static String table;

    @BeforeAll
    static void start(LocalAws aws) {
        clients = aws.clients();
        table = aws.table();
    }

    private static AssetStore store() {
        return new AssetStore(clients.dynamoDb(), table, new AssetIds());
    }

    private static NewAsset image(String url) {
        return new NewAsset(AssetType.Image, url, "portrait", AssetStatus.Processing);
    }

    @Test
    void createdAssetsAreReadableByTheirOwnerOnly() {
        Asset created = store().createAll("acct-a", List.of(image("https://example.com/a.jpg")), true, NOW).get(0);

        Optional<Asset> own = store().get("acct-a", created.assetId());
        assertThat(own).get().satisfies(a -> {
            assertThat(a.status()).isEqualTo(AssetStatus.Processing);
            assertThat(a.url()).isEqualTo("https://example.com/a.jpg");
            assertThat(a.createdAt()).isEqualTo(NOW);
            assertThat(a.batchId()).isEqualTo(created.assetId());
        });
        assertThat(store().get("acct-b", created.assetId())).isEmpty();
        assertThat(store().getAll("acct-b", List.of(created.assetId()))).isEmpty();
    }

    @Test
    void aCollidingIdIsReplacedByAFreshOne() {
        // Two stores whose "random" sources produce the same sequence: the second one's first id
        // collides with the first one's and must be replaced, not overwrite it.
        Asset first = new AssetStore(clients.dynamoDb(), table, new AssetIds(repeating(42)))
                .createAll("acct-a", List.of(image("https://example.com/1.jpg")), true, NOW).get(0);
        Asset second = new AssetStore(clients.dynamoDb(), table, new AssetIds(repeating(42)))
                .createAll("acct-b", List.of(image("https://example.com/2.jpg")), true, NOW).get(0);

        assertThat(second.assetId()).isNotEqualTo(first.assetId());
        assertThat(store().get("acct-a", first.assetId())).get().extracting(Asset::url).isEqualTo("https://example.com/1.jpg");
        assertThat(store().get("acct-b", second.assetId())).get().extracting(Asset::url).isEqualTo("https://example.com/2.jpg");
    }

    @Test
    void aBatchGetsDistinctIdsAndOneBatchId() {
        List<NewAsset> items = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            items.add(image("https://example.com/" + i + ".jpg"));
        }
        List<Asset> created = store().createAll("acct-a", items, true, NOW);
        Set<String> ids = new HashSet<>();
        created.forEach(a -> ids.add(a.assetId()));
        assertThat(ids).hasSize(20);
        assertThat(created).allSatisfy(a -> assertThat(a.batchId()).isEqualTo(created.get(0).assetId()));
        assertThat(store().getAll("acct-a", ids)).hasSize(20);
    }

    @Test
    void terminalStatusesNeverMove() {
        Asset a = store().createAll("acct-a", List.of(image("https://example.com/t.jpg")), true, NOW).get(0);
        Set<AssetStatus> undecided = EnumSet.of(AssetStatus.submitted, AssetStatus.Processing);

        assertThat(store().transition(StatusChange.of("acct-a", a.assetId())
                .from(undecided).to(AssetStatus.Active)
                .by("reviewer").at(NOW.plusSeconds(5))))
                .get().satisfies(moved -> {
                    assertThat(moved.status()).isEqualTo(AssetStatus.Active);
                    assertThat(moved.updatedAt()).isEqualTo(NOW.plusSeconds(5));
                    assertThat(moved.completionSent()).isFalse();
                });
        assertThat(store().transition(StatusChange.of("acct-a", a.assetId())
                .from(undecided).to(AssetStatus.Failed).failing("REVIEW_REJECTED", "no")
                .by("reviewer").at(NOW)))
                .isEmpty();
        assertThat(store().get("acct-a", a.assetId())).get().extracting(Asset::status).isEqualTo(AssetStatus.Active);
    }

    @Test
    void anotherAccountCannotMoveAnAsset() {
        Asset a = store().createAll("acct-a", List.of(image("https://example.com/x.jpg")), true, NOW).get(0);
        assertThat(store().transition(StatusChange.of("acct-b", a.assetId())
                .from(EnumSet.of(AssetStatus.Processing)).to(AssetStatus.Active)
                .by("reviewer").at(NOW))).isEmpty();
        assertThat(store().get("acct-a", a.assetId())).get().extracting(Asset::status).isEqualTo(AssetStatus.Processing);
    }

    @Test
    void ofTwoConcurrentWritersExactlyOneWins() throws Exception {
        Asset a = store().createAll("acct-a", List.of(image("https://example.com/c.jpg")), true, NOW).get(0);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> writers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                AssetStatus to = i % 2 == 0 ? AssetStatus.Active : AssetStatus.Failed;
                writers.add(() -> store().transition(StatusChange.of("acct-a", a.assetId())
                        .from(EnumSet.of(AssetStatus.Processing)).to(to).failing(to == AssetStatus.Failed ? "REVIEW_REJECTED" : null, to == AssetStatus.Failed ? "r" : null)
                        .by("reviewer").at(NOW)).isPresent());
            }
            int winners = 0;
            for (Future<Boolean> f : pool.invokeAll(writers)) {
                winners += f.get() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theCompletionIsMarkedSentOnce() {
        Asset a = store().createAll("acct-a", List.of(image("https://example.com/m.jpg")), true, NOW).get(0);
        store().transition(StatusChange.of("acct-a", a.assetId())
                .from(EnumSet.of(AssetStatus.Processing)).to(AssetStatus.Failed).failing("REVIEW_REJECTED", "several faces")
                .by("reviewer").at(NOW));
        assertThat(store().markCompletionSent("acct-a", a.assetId())).isTrue();
        assertThat(store().markCompletionSent("acct-a", a.assetId())).isFalse();
        assertThat(store().get("acct-a", a.assetId())).get().satisfies(failed -> {
            assertThat(failed.completionSent()).isTrue();
            assertThat(failed.errorCode()).isEqualTo("REVIEW_REJECTED");
            assertThat(failed.errorMessage()).isEqualTo("several faces");
        });
    }

    @Test
    void unstartedAssetsCanBeDiscardedWithTheirIdReservation() {
        List<Asset> created = store().createAll("acct-a", List.of(image("https://example.com/d.jpg")), true, NOW);
        store().discardUnstarted(created);
        assertThat(store().get("acct-a", created.get(0).assetId())).isEmpty();
        var reservation = clients.dynamoDb().getItem(r -> r.tableName(table)
                .key(AssetItems.idReservationKey(created.get(0).assetId()))).item();
        assertThat(reservation).isEmpty();
    }

    /** A "random" source that yields the same sequence for the same seed (SHA1PRNG seeded before use). */
    private static SecureRandom repeating(long seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed);
            return r;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
