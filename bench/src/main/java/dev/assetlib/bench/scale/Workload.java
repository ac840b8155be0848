package dev.assetlib.bench.scale;

/**
 * The arrivals: {@code uploadsPerSecond} single-asset uploads, evenly spaced, for {@code seconds} of
 * virtual time; each asset's review takes {@code reviewSeconds} times a factor drawn uniformly from
 * [1 - spread, 1 + spread]; each belongs to one of {@code accounts} accounts drawn uniformly. All
 * draws come from one generator seeded with {@code seed}, so a run is repeatable.
 */
public record Workload(double uploadsPerSecond, double reviewSeconds, double spread, double seconds, int accounts, long seed) {
    public Workload {
        if (uploadsPerSecond <= 0 || reviewSeconds <= 0 || seconds <= 0 || accounts < 1 || spread < 0 || spread >= 1) {
            throw new IllegalArgumentException("rate, review time, duration > 0; accounts >= 1; 0 <= spread < 1");
        }
    }

    /**
     * A run long enough to reach steady state: the slowest review (1.25 T) plus the longest wait
     * between two checks (120 s) plus a minute of margin, at least five minutes.
     */
    public static Workload steady(double uploadsPerSecond, double reviewSeconds, int accounts, long seed) {
        return new Workload(uploadsPerSecond, reviewSeconds, 0.25, Math.max(300, 1.25 * reviewSeconds + 180), accounts, seed);
    }
}
