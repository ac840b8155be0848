package dev.assetlib.review.rekognition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Runs one round's Rekognition work a few assets at a time, and starts none after the round's
 * budget: what is not started waits for the next round (an asset left out of an answer is asked
 * again), so a large batch never runs StatusCheckFunction into its time-out.
 */
final class RoundBudget {
    static final int CONCURRENCY = 4;
    private final long deadlineNanos;

    RoundBudget(Duration budget) {
        this.deadlineNanos = System.nanoTime() + budget.toNanos();
    }

    <T> void each(List<T> items, Consumer<T> work) {
        if (items.isEmpty()) {
            return;
        }
        if (items.size() == 1) {
            work.accept(items.get(0));
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(CONCURRENCY, items.size()), r -> {
            Thread t = new Thread(r, "rekognition-round");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> {
                    if (System.nanoTime() < deadlineNanos) {
                        work.accept(item);
                    }
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
