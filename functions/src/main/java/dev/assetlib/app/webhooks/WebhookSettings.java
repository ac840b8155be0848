package dev.assetlib.app.webhooks;

import java.time.Duration;

/**
 * How webhooks behave, from {@code Config}.
 *
 * @param maxEndpoints         endpoints per account
 * @param requireHttps         true in AWS; the local stack allows http
 * @param attemptTimeout       one attempt's whole exchange (connect, send, answer): 10 s
 * @param timeScale            the local stack's --time-scale (1 in AWS): retry delays on the queue are multiplied by it
 * @param disableAfterFailures deliveries in a row that end failed before an endpoint is disabled
 */
public record WebhookSettings(int maxEndpoints, boolean requireHttps, Duration attemptTimeout, double timeScale,
                              int disableAfterFailures) {
}
