package dev.assetlib.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TokenBucketTest {
    @Test
    void startsFullAndRefusesOnceEmpty() {
        TokenBucket bucket = new TokenBucket(3, 1);
        assertThat(bucket.tryTake(0)).isTrue();
        assertThat(bucket.tryTake(0)).isTrue();
        assertThat(bucket.tryTake(0)).isTrue();
        assertThat(bucket.tryTake(0)).isFalse();
    }

    @Test
    void refillsAtItsRateButNeverPastItsCapacity() {
        TokenBucket bucket = new TokenBucket(1_300, 300);
        assertThat(bucket.take(0, 1_300)).isEqualTo(1_300);
        assertThat(bucket.tokens(0.5)).isCloseTo(150, within(1e-9));
        assertThat(bucket.tryTake(0.5)).isTrue();
        assertThat(bucket.tokens(1_000)).isEqualTo(1_300);
    }

    @Test
    void grantsOnlyWhatItHolds() {
        TokenBucket bucket = new TokenBucket(4, 2);
        assertThat(bucket.take(0, 10)).isEqualTo(4);
        assertThat(bucket.take(1, 10)).isCloseTo(2, within(1e-9));
    }

    @Test
    void sustainsExactlyItsRefillRate() {
        // 300 StartExecution calls a second for a minute pass; 301 a second do not.
        TokenBucket atRate = new TokenBucket(1_300, 300);
        TokenBucket over = new TokenBucket(1_300, 300);
        double refusedAtRate = 0;
        double refusedOver = 0;
        for (int s = 0; s < 60; s++) {
            refusedAtRate += 300 - atRate.take(s, 300);
            refusedOver += 400 - over.take(s, 400);
        }
        assertThat(refusedAtRate).isZero();
        assertThat(refusedOver).isCloseTo(60 * 100 - 1_000, within(1e-6));
    }

    @Test
    void refusesTimeGoingBackwards() {
        TokenBucket bucket = new TokenBucket(1, 1);
        bucket.tryTake(5);
        assertThatThrownBy(() -> bucket.tryTake(4)).isInstanceOf(IllegalArgumentException.class);
    }
}
