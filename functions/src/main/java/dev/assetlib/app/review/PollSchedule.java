package dev.assetlib.app.review;

/**
 * How long to wait before each check: short at first (most reviews are quick), then growing
 * geometrically up to a cap, so a long review costs few checks while a quick one is seen quickly.
 * Never waits past the deadline, and never takes more than {@link #MAX_ROUNDS} checks in all,
 * whatever the deadline: a Standard execution's history holds at most 25,000 events and each
 * round writes about nine, so with a long deadline the waits stretch instead of the history.
 */
public record PollSchedule(double firstSeconds, double growthFactor, double maxSeconds) {
    /** Checks per review at most: 2,000 rounds of ~9 events leave room for retries under 25,000. */
    public static final int MAX_ROUNDS = 2_000;

    /** Seconds to wait before check number {@code round + 1}, given the seconds left until the deadline. */
    public long waitSeconds(int round, long secondsToDeadline) {
        long roundsLeft = Math.max(1, MAX_ROUNDS - 1 - round);
        // The cap rises only as far as the round budget needs; early waits still start short.
        double cap = Math.max(maxSeconds, Math.ceil((double) secondsToDeadline / roundsLeft));
        double scheduled = Math.min(cap, firstSeconds * Math.pow(growthFactor, round));
        long wait = Math.max(1, Math.round(scheduled));
        return Math.max(1, Math.min(wait, secondsToDeadline));
    }
}
