package dev.assetlib.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assetlib.aws.AwsClients;
import dev.assetlib.domain.Actors;
import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetEvent;
import dev.assetlib.domain.AssetIds;
import dev.assetlib.domain.AssetMedia;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.domain.AssetType;
import dev.assetlib.testing.LocalAws;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The media step's records against DynamoDB Local: facts on the asset once, the approved-bytes marker. */
@ExtendWith(LocalAws.class)
class MediaRecordsTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final String SHA = "ab".repeat(32);
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

    private static Asset processing(String account) {
        return store().createAll(account, List.of(new NewAsset(AssetType.Image, "https://cdn.example.com/a.jpg", null,
                AssetStatus.Processing)), true, NOW).get(0);
    }

    private static AssetMedia jpeg(String key) {
        return new AssetMedia("jpeg", 12_345, SHA, 640, 480, null, null, key);
    }

    @Test
    void theFactsAreRecordedOnceWithAHistoryEventAndKeptByLaterStatusChanges() {
        Asset a = processing("media-acct-1");
        assertThat(store().recordMedia("media-acct-1", a.assetId(), jpeg("media/media-acct-1/" + a.assetId()), NOW)).isTrue();
        assertThat(store().recordMedia("media-acct-1", a.assetId(), jpeg("other"), NOW)).isFalse();

        assertThat(store().get("media-acct-1", a.assetId()).orElseThrow().media())
                .isEqualTo(jpeg("media/media-acct-1/" + a.assetId()));
        Asset active = store().transition(StatusChange.of("media-acct-1", a.assetId()).from(EnumSet.of(AssetStatus.Processing))
                .to(AssetStatus.Active).by(Actors.REVIEWER).at(NOW)).orElseThrow();
        assertThat(active.media()).isEqualTo(jpeg("media/media-acct-1/" + a.assetId()));
        List<AssetEvent> history = store().history("media-acct-1", a.assetId(), NOW).orElseThrow();
        assertThat(history).filteredOn(e -> e.change().equals(AssetEvent.MEDIA)).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo(Actors.MEDIA);
            assertThat(e.reason()).contains("jpeg", "12345 bytes", "640x480 px", SHA);
        });
    }

    @Test
    void aDecidedOrMissingAssetGetsNoFacts() {
        Asset a = processing("media-acct-2");
        store().transition(StatusChange.of("media-acct-2", a.assetId()).from(EnumSet.of(AssetStatus.Processing))
                .to(AssetStatus.Failed).failing("REVIEW_REJECTED", "no").by(Actors.REVIEWER).at(NOW));
        assertThat(store().recordMedia("media-acct-2", a.assetId(), jpeg("k"), NOW)).isFalse();
        assertThat(store().get("media-acct-2", a.assetId()).orElseThrow().media()).isNull();
        assertThat(store().recordMedia("media-acct-2", "asset-20261201100000-zzzzz", jpeg("k"), NOW)).isFalse();
    }

    @Test
    void theApprovedBytesMarkerIsPerAccountAndRemovedOnlyByItsOwnAsset() {
        store().markApproved("media-acct-3", SHA, "asset-20261201100000-aaaaa", NOW);
        assertThat(store().approvedTwin("media-acct-3", SHA)).contains("asset-20261201100000-aaaaa");
        assertThat(store().approvedTwin("media-acct-4", SHA)).isEmpty();
        assertThat(store().approvedTwin("media-acct-3", "cd".repeat(32))).isEmpty();

        store().unmarkApproved("media-acct-3", SHA, "asset-20261201100000-bbbbb");
        assertThat(store().approvedTwin("media-acct-3", SHA)).contains("asset-20261201100000-aaaaa");
        store().markApproved("media-acct-3", SHA, "asset-20261201100000-ccccc", NOW);
        assertThat(store().approvedTwin("media-acct-3", SHA)).contains("asset-20261201100000-ccccc");
        store().unmarkApproved("media-acct-3", SHA, "asset-20261201100000-ccccc");
        assertThat(store().approvedTwin("media-acct-3", SHA)).isEmpty();
    }
}
