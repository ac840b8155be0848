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
        return waitSeconds(round, secondsToDeadline, MAX_ROUNDS);
    }

    /**
     * The same within a budget of {@code maxRounds} checks. The cap rises only as far as the
     * budget needs, so early waits still start short; in the second half of the budget no wait
     * is shorter than the time left shared by the rounds left, so the budget holds even when the
     * waits grow slowly or not at all (a growth factor of 1).
     */
    public long waitSeconds(int round, long secondsToDeadline, int maxRounds) {
        long roundsLeft = Math.max(1, maxRounds - 1 - round);
        double share = Math.ceil((double) secondsToDeadline / roundsLeft);
        double cap = Math.max(maxSeconds, share);
        double scheduled = Math.min(cap, firstSeconds * Math.pow(growthFactor, round));
        if (round >= maxRounds / 2) {
            scheduled = Math.max(scheduled, share);
        }
        long wait = Math.max(1, Math.round(scheduled));
        return Math.max(1, Math.min(wait, secondsToDeadline));
    }

    /** The longest wait {@link #waitSeconds(int, long, int)} may be cut to and still keep its budget. */
    public static long budgetShare(int round, long secondsToDeadline, int maxRounds) {
        return (long) Math.ceil((double) secondsToDeadline / Math.max(1, maxRounds - 1 - round));
    }
}
