package dev.assetlib.cli.http;

import java.time.Duration;

/** Waits between retries and polls; tests pass one that records instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
    Sleeper REAL = d -> Thread.sleep(Math.max(0, d.toMillis()));

    void sleep(Duration duration) throws InterruptedException;
}
