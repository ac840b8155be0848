package dev.assetlib.bench.scale;

import java.util.List;

/**
 * What one run of the model asked of each quota: its peak (per second over any one-second window
 * for a rate, at any tick for a level), that peak as a fraction of the default quota, and for rates
 * the share of requests a token bucket of the quota's size would have refused.
 */
public record Result(Workload workload, Design design, long assets, long executions, double meanStartDelaySeconds,
                     double maxStartDelaySeconds, List<Use> uses, double uploadConcurrency, double starterConcurrency,
                     double reviewTaskConcurrency) {

    /** {@code total}: everything asked over the run (rates only; 0 for levels). */
    public record Use(Quota quota, double peak, double refusedShare, double total) {
        public double fraction() {
            return peak / quota.limit();
        }
    }

    public double executionsPerUpload() {
        return (double) executions / assets;
    }

    public Use use(Quota quota) {
        return uses.stream().filter(u -> u.quota().equals(quota)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not modelled: " + quota.key()));
    }

    /** The quota used the most, as a fraction of its default. */
    public Use highest() {
        Use best = uses.get(0);
        for (Use u : uses) {
            if (u.fraction() > best.fraction()) {
                best = u;
            }
        }
        return best;
    }

    static Use rate(Quota q, double[] perTick) {
        double capacity = q.burst() > 0 ? q.burst() : q.limit();
        TokenBucket bucket = new TokenBucket(capacity, q.limit());
        double asked = 0;
        double granted = 0;
        for (int k = 0; k < perTick.length; k++) {
            asked += perTick[k];
            granted += bucket.take(k * LoadModel.TICK, perTick[k]);
        }
        return new Use(q, peakPerSecond(perTick), asked == 0 ? 0 : (asked - granted) / asked, asked);
    }

    static Use level(Quota q, double[] level) {
        return new Use(q, peak(level), 0, 0);
    }

    static double peak(double[] series) {
        double max = 0;
        for (double v : series) {
            max = Math.max(max, v);
        }
        return max;
    }

    /** The largest sum over any run of ticks lasting one second. */
    static double peakPerSecond(double[] perTick) {
        int window = (int) Math.round(1 / LoadModel.TICK);
        double sum = 0;
        double max = 0;
        for (int k = 0; k < perTick.length; k++) {
            sum += perTick[k];
            if (k >= window) {
                sum -= perTick[k - window];
            }
            max = Math.max(max, sum);
        }
        return max;
    }
}
