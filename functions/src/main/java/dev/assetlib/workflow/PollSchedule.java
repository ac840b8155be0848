package dev.assetlib.workflow;

/**
 * How long to wait before each check: short at first (most reviews are quick), then growing
 * geometrically up to a cap, so a long review costs few checks while a quick one is seen quickly.
 * Never waits past the deadline.
 */
public record PollSchedule(double firstSeconds, double growthFactor, double maxSeconds) {

    /** Seconds to wait before check number {@code round + 1}, given the seconds left until the deadline. */
    public long waitSeconds(int round, long secondsToDeadline) {
        double wait = Math.min(maxSeconds, firstSeconds * Math.pow(growthFactor, round));
        long whole = Math.max(1, Math.round(wait));
        return Math.max(1, Math.min(whole, secondsToDeadline));
    }
}
