package dev.assetlib.cli.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    static HttpHeaders headers(String retryAfter) {
        return HttpHeaders.of(retryAfter == null ? Map.of() : Map.of("Retry-After", List.of(retryAfter)), (a, b) -> true);
    }

    final Instant now = Instant.parse("2026-03-30T14:21:58Z");

    @Test
    void retryAfterInSecondsOrAsAnHttpDateIsHonouredAndCapped() {
        RetryPolicy p = RetryPolicy.DEFAULT;
        assertThat(p.delay(1, headers("3"), now)).isEqualTo(Duration.ofSeconds(3));
        assertThat(p.delay(1, headers("Mon, 30 Mar 2026 14:22:08 GMT"), now)).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.delay(1, headers("Mon, 30 Mar 2026 14:00:00 GMT"), now)).isEqualTo(Duration.ZERO);
        assertThat(p.delay(1, headers("3600"), now)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void withoutAUsableRetryAfterTheBackoffDoublesWithJitterUpToItsCap() {
        RetryPolicy p = RetryPolicy.DEFAULT;
        for (int attempt = 1; attempt <= 8; attempt++) {
            long cap = Math.min(8000, 500L << (attempt - 1));
            assertThat(p.delay(attempt, headers(attempt % 2 == 0 ? "soon" : null), now).toMillis()).isBetween(cap / 2, cap);
        }
    }

    @Test
    void onlyThrottlingAndUnavailabilityAreRetried() {
        assertThat(RetryPolicy.DEFAULT.retryable(429)).isTrue();
        assertThat(RetryPolicy.DEFAULT.retryable(503)).isTrue();
        assertThat(RetryPolicy.DEFAULT.retryable(500)).isFalse();
        assertThat(RetryPolicy.DEFAULT.retryable(404)).isFalse();
    }
}
