package dev.assetlib.domain;

import java.time.Instant;
import java.util.List;

/**
 * One account's webhook endpoint. The secrets are sealed (encrypted): {@code previousSecret} keeps
 * signing beside the current one until {@code previousUntil}, after a rotation.
 *
 * @param consecutiveFailures deliveries in a row that ended failed (a success resets it)
 * @param disabledReason      null while enabled
 */
public record WebhookEndpoint(String accountId, String endpointId, String url, List<String> events, Instant createdAt,
                              String sealedSecret, String previousSealedSecret, Instant previousUntil,
                              int consecutiveFailures, String disabledReason, Instant disabledAt) {
    public boolean enabled() {
        return disabledReason == null;
    }

    public boolean wants(String eventType) {
        return events.contains(eventType);
    }
}
