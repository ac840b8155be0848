package dev.assetlib.domain;

import java.time.Instant;
import java.util.List;

/**
 * One event for one endpoint, and its attempts. {@code deliveryId} is also the {@code webhook-id}
 * header: stable for the event and the endpoint, so the receiver can deduplicate on it.
 *
 * @param status    {@code pending} (an attempt is due at {@code nextAttemptAt}), {@code succeeded} or {@code failed}
 * @param payload   the body sent, exactly (its signature covers these bytes)
 */
public record WebhookDelivery(String accountId, String endpointId, String deliveryId, String eventType, String payload,
                              Instant createdAt, String status, Instant nextAttemptAt, List<Attempt> attempts) {
    public static final String PENDING = "pending";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";

    /**
     * @param statusCode 0 when there was no HTTP answer ({@code error} says why)
     * @param nextRetry  when the next attempt is due; null when none follows
     */
    public record Attempt(int number, Instant time, int statusCode, long latencyMs, String error, Instant nextRetry) {
    }
}
