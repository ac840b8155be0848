package dev.assetlib.app.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/** The event types an endpoint may subscribe to, and which one a completion message is. */
public final class WebhookEvents {
    public static final String ACTIVE = "asset.active";
    public static final String FAILED = "asset.failed";
    public static final String DELETED = "asset.deleted";
    /** Sent by POST .../test only, whatever the endpoint's filter. */
    public static final String TEST = "webhook.test";
    public static final List<String> ALL = List.of(ACTIVE, FAILED, DELETED);

    private WebhookEvents() {
    }

    /**
     * A completion's event type: Active, a delete before the decision (Failed with DELETED), or any
     * other Failed. Empty for a message of no asset's account (nothing to deliver it to).
     */
    public static Optional<String> of(JsonNode completion) {
        if (!completion.path("accountId").isTextual()) {
            return Optional.empty();
        }
        String status = completion.path("status").asText("");
        if (status.equals("Active")) {
            return Optional.of(ACTIVE);
        }
        if (!status.equals("Failed")) {
            return Optional.empty();
        }
        return Optional.of("DELETED".equals(completion.path("errorCode").asText()) ? DELETED : FAILED);
    }
}
