package dev.assetlib.bench.scale;

/**
 * A token bucket as AWS describes its throttles (Step Functions' StartExecution and state
 * transitions, API Gateway): it holds at most {@code capacity} tokens, gains {@code refillPerSecond}
 * tokens a second up to that, starts full, and each request takes one token or is refused.
 */
public final class TokenBucket {
    private final double capacity;
    private final double refillPerSecond;
    private double tokens;
    private double time;

    public TokenBucket(double capacity, double refillPerSecond) {
        if (capacity <= 0 || refillPerSecond <= 0) {
            throw new IllegalArgumentException("capacity and refill must be positive");
        }
        this.capacity = capacity;
        this.refillPerSecond = refillPerSecond;
        this.tokens = capacity;
    }

    /** Asks for {@code requests} tokens at {@code atSeconds} (never earlier than a previous ask); returns how many were granted. */
    public double take(double atSeconds, double requests) {
        refill(atSeconds);
        double granted = Math.min(requests, tokens);
        tokens -= granted;
        return granted;
    }

    /** One request at {@code atSeconds}: true if a token was there (and is now taken). */
    public boolean tryTake(double atSeconds) {
        refill(atSeconds);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    public double tokens(double atSeconds) {
        refill(atSeconds);
        return tokens;
    }

    public double capacity() {
        return capacity;
    }

    public double refillPerSecond() {
        return refillPerSecond;
    }

    private void refill(double atSeconds) {
        if (atSeconds < time) {
            throw new IllegalArgumentException("time went backwards: " + atSeconds + " < " + time);
        }
        tokens = Math.min(capacity, tokens + (atSeconds - time) * refillPerSecond);
        time = atSeconds;
    }
}
