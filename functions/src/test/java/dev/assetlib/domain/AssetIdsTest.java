package dev.assetlib.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class AssetIdsTest {

    @Test
    void idCarriesTheUtcTimestampAndFiveLowercaseAlphanumerics() {
        String id = new AssetIds().next(Instant.parse("2026-03-30T14:21:58.123Z"));
        assertThat(id).startsWith("asset-20260330142158-").matches("asset-\\d{14}-[a-z0-9]{5}");
        assertThat(AssetIds.isWellFormed(id)).isTrue();
    }

    @Property(tries = 200)
    void everyGeneratedIdIsWellFormed(@ForAll @LongRange(min = 0, max = 4_102_444_799L) long epochSecond) {
        assertThat(AssetIds.isWellFormed(new AssetIds().next(Instant.ofEpochSecond(epochSecond)))).isTrue();
    }

    @Test
    void malformedIdsAreRecognised() {
        assertThat(AssetIds.isWellFormed(null)).isFalse();
        assertThat(AssetIds.isWellFormed("asset-2026033014215-q75m8")).isFalse();
        assertThat(AssetIds.isWellFormed("asset-20260330142158-Q75M8")).isFalse();
        assertThat(AssetIds.isWellFormed("asset-20260330142158-q75m8x")).isFalse();
        assertThat(AssetIds.isWellFormed("../asset-20260330142158-q75m8")).isFalse();
    }
}
