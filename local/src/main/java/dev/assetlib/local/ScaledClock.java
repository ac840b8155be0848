package dev.assetlib.local;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The stack's one clock under {@code --time-scale}: virtual time starts at the real time and then
 * runs 1/scale times faster. The interpreter shrinks its waits by the same factor, so the poll
 * schedule, the simulated reviewer's delay and the review deadline keep their proportions: a
 * 10-minute review at scale 0.01 takes about 6 real seconds and still looks like 10 minutes in
 * every timestamp. Monotonic (it runs on {@link System#nanoTime()}).
 */
final class ScaledClock extends Clock {
    private final Instant origin;
    private final long originNanos;
    private final double scale;

    private ScaledClock(Instant origin, long originNanos, double scale) {
        this.origin = origin;
        this.originNanos = originNanos;
        this.scale = scale;
    }

    /** The system clock at scale 1, a faster virtual clock below 1. */
    static Clock of(double scale) {
        if (!(scale > 0)) {
            throw new IllegalArgumentException("time scale must be > 0, got " + scale);
        }
        return scale == 1.0 ? Clock.systemUTC() : new ScaledClock(Instant.now(), System.nanoTime(), scale);
    }

    @Override
    public Instant instant() {
        return origin.plusNanos((long) ((System.nanoTime() - originNanos) / scale));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (!zone.equals(ZoneOffset.UTC)) {
            throw new UnsupportedOperationException("the local stack's clock is UTC");
        }
        return this;
    }
}
