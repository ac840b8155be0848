package dev.assetlib.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assetlib.app.limits.RateLimiter;
import dev.assetlib.aws.AwsClients;
import dev.assetlib.domain.RouteClass;
import dev.assetlib.testing.LocalAws;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The token buckets in DynamoDB Local: limits across instances, refill, isolation, the calls they cost. */
@ExtendWith(LocalAws.class)
class DynamoRateLimiterTest {
    private static AwsClients clients;
    private static String table;

    @BeforeAll
    static void start(LocalAws aws) {
        clients = aws.clients();
        table = aws.table();
    }

    /** A clock that moves only when told. */
    private static final class StepClock extends Clock {
        final AtomicLong millis = new AtomicLong(Instant.parse("2026-12-01T10:00:00Z").toEpochMilli());

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    }

    private static String account() {
        return "rate-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aBurstOverTheLimitIsRefusedWithRetryAfterAndPassesAgainOnceTheBucketRefills() {
        StepClock clock = new StepClock();
        DynamoRateLimiter limiter = new DynamoRateLimiter(clients.dynamoDb(), table, clock);
        String account = account();
        for (int i = 0; i < 5; i++) {
            RateLimiter.Decision d = limiter.acquire(account, RouteClass.UPLOADS, 5);
            assertThat(d.allowed()).isTrue();
            assertThat(d.limit()).isEqualTo(5);
            assertThat(d.remaining()).isEqualTo(4 - i);
        }
        RateLimiter.Decision refused = limiter.acquire(account, RouteClass.UPLOADS, 5);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
        assertThat(refused.remaining()).isZero();

        clock.millis.addAndGet(200); // one token back (5 per second)
        assertThat(limiter.acquire(account, RouteClass.UPLOADS, 5).allowed()).isTrue();
        assertThat(limiter.acquire(account, RouteClass.UPLOADS, 5).allowed()).isFalse();
        clock.millis.addAndGet(5_000); // idle: full again, not more than full
        int passed = 0;
        for (int i = 0; i < 8; i++) {
            passed += limiter.acquire(account, RouteClass.UPLOADS, 5).allowed() ? 1 : 0;
        }
        assertThat(passed).isEqualTo(5);
    }

    @Test
    void classesAndAccountsHaveBucketsOfTheirOwn() {
        StepClock clock = new StepClock();
        DynamoRateLimiter limiter = new DynamoRateLimiter(clients.dynamoDb(), table, clock);
        String a = account();
        String b = account();
        for (int i = 0; i < 3; i++) {
            limiter.acquire(a, RouteClass.UPLOADS, 3);
        }
        assertThat(limiter.acquire(a, RouteClass.UPLOADS, 3).allowed()).isFalse();
        assertThat(limiter.acquire(a, RouteClass.READS, 3).allowed()).isTrue();
        assertThat(limiter.acquire(b, RouteClass.UPLOADS, 3).allowed()).isTrue();
    }

    @Test
    void manyInstancesAtOnceShareOneBucket() throws Exception {
        StepClock clock = new StepClock(); // frozen: no refill during the burst
        String account = account();
        ExecutorService threads = Executors.newFixedThreadPool(16);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            DynamoRateLimiter instance = new DynamoRateLimiter(clients.dynamoDb(), table, clock); // one per "Lambda instance"
            results.add(threads.submit(() -> {
                go.await();
                return instance.acquire(account, RouteClass.READS, 10).allowed();
            }));
        }
        go.countDown();
        int allowed = 0;
        for (Future<Boolean> r : results) {
            allowed += r.get() ? 1 : 0;
        }
        threads.shutdown();
        // A request that loses every retry to contention is refused, never let through: at most 10.
        assertThat(allowed).isBetween(8, 10);
    }

    @Test
    void aWarmInstanceSpendsOneUpdatePerRequestUnderSteadyLoad() {
        StepClock clock = new StepClock();
        DynamoRateLimiter limiter = new DynamoRateLimiter(clients.dynamoDb(), table, clock);
        String account = account();
        limiter.acquire(account, RouteClass.READS, 100);
        long before = limiter.calls();
        for (int i = 0; i < 50; i++) {
            clock.millis.addAndGet(5); // 200 requests per second's pace against 100/s: the bucket stays busy
            limiter.acquire(account, RouteClass.READS, 100);
        }
        assertThat(limiter.calls() - before).isEqualTo(50);
    }
}
