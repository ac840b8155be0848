package dev.assetlib.app.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.domain.WebhookDelivery;
import dev.assetlib.domain.WebhookEndpoint;
import dev.assetlib.fetch.GuardedPoster;
import dev.assetlib.json.JsonCodec;
import dev.assetlib.security.Sha256;
import dev.assetlib.store.WebhookStore;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The delivery side: a completion becomes one delivery per matching, enabled endpoint of its
 * account (recorded, then one queue message each: the fan-out never calls an endpoint, so a slow
 * one holds up nothing else), and each queue message is one signed POST, recorded with its result
 * and followed by the next attempt of the {@link RetrySchedule} until a 2xx or the end.
 */
public final class WebhookDispatcher {
    /** A 410 Gone says the receiver is gone for good: the endpoint is disabled at once. */
    static final int GONE = 410;

    private final WebhookStore store;
    private final SecretSealer sealer;
    private final GuardedPoster poster;
    private final DeliveryQueue queue;
    private final RetrySchedule schedule;
    private final WebhookSettings settings;
    private final Clock clock;
    private final Clock wall;

    /**
     * @param clock the service's time (schedule, log); {@code wall} the time of the webhook-timestamp
     *              header, which receivers compare with their own clocks (they differ in the local stack only)
     */
    public WebhookDispatcher(WebhookStore store, SecretSealer sealer, GuardedPoster poster, DeliveryQueue queue,
                             RetrySchedule schedule, WebhookSettings settings, Clock clock, Clock wall) {
        this.wall = wall;
        this.store = store;
        this.sealer = sealer;
        this.poster = poster;
        this.queue = queue;
        this.schedule = schedule;
        this.settings = settings;
        this.clock = clock;
    }

    /** @return the deliveries it enqueued (a completion received again enqueues only what never went out) */
    public int fanOut(JsonNode completion) {
        Optional<String> type = WebhookEvents.of(completion);
        if (type.isEmpty()) {
            return 0;
        }
        String account = completion.path("accountId").asText();
        Instant eventTime = completion.hasNonNull("completedAt") ? Instant.parse(completion.get("completedAt").asText()) : clock.instant();
        String eventKey = completion.path("assetId").asText("") + "/" + completion.path("status").asText("")
                + "/" + completion.path("errorCode").asText("");
        int sent = 0;
        for (WebhookEndpoint e : store.list(account)) {
            if (e.enabled() && e.wants(type.get())) {
                String id = deliveryId(eventTime, eventKey, e.endpointId());
                enqueueNew(account, e.endpointId(), id, type.get(), payload(type.get(), eventTime, completion), eventTime);
                sent++;
            }
        }
        return sent;
    }

    /** A test event for one endpoint (its filter does not apply). */
    public String sendTest(WebhookEndpoint e, String nonce) {
        Instant now = clock.instant();
        ObjectNode data = JsonCodec.object().put("endpointId", e.endpointId()).put("message", "a test event from asset-library");
        String id = deliveryId(now, "test/" + nonce, e.endpointId());
        enqueueNew(e.accountId(), e.endpointId(), id, WebhookEvents.TEST, payload(WebhookEvents.TEST, now, data), now);
        return id;
    }

    private void enqueueNew(String account, String endpointId, String id, String type, String payload, Instant eventTime) {
        Instant now = clock.instant();
        WebhookDelivery d = new WebhookDelivery(account, endpointId, id, type, payload, eventTime, WebhookDelivery.PENDING, now, List.of());
        if (!store.putDelivery(d)) {
            // recorded by an earlier receive of this completion: enqueue again only if it never ran
            WebhookDelivery existing = store.getDelivery(account, endpointId, id).orElse(null);
            if (existing == null || !existing.attempts().isEmpty() || !existing.status().equals(WebhookDelivery.PENDING)) {
                return;
            }
        }
        queue.send(new DeliveryQueue.Ticket(account, endpointId, id, 1, now), now);
    }

    /** A manual retry's ticket, due now. */
    void requeue(DeliveryQueue.Ticket ticket) {
        queue.send(ticket, clock.instant());
    }

    /** One attempt of a queue ticket. Never throws for the endpoint's faults: they are the schedule's. */
    public void attempt(DeliveryQueue.Ticket ticket) {
        Instant now = clock.instant();
        if (queue.early(ticket, now)) {
            queue.send(ticket, now); // a wait longer than one queue hop: the next hop
            return;
        }
        WebhookDelivery d = store.getDelivery(ticket.accountId(), ticket.endpointId(), ticket.deliveryId()).orElse(null);
        if (d == null || d.attempts().size() != ticket.attempt() - 1 || !d.status().equals(WebhookDelivery.PENDING)) {
            return; // done already, or overtaken by a manual retry
        }
        WebhookEndpoint e = store.get(ticket.accountId(), ticket.endpointId()).orElse(null);
        if (e == null || !e.enabled()) {
            String why = e == null ? "the endpoint was deleted" : "the endpoint is disabled: " + e.disabledReason();
            store.recordAttempt(d.accountId(), d.endpointId(), d.deliveryId(),
                    new WebhookDelivery.Attempt(ticket.attempt(), now, 0, 0, why, null), WebhookDelivery.FAILED, null);
            return;
        }
        long timestamp = wall.instant().getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", "asset-library-webhooks/1");
        headers.put("webhook-id", d.deliveryId());
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", WebhookSigner.sign(keys(e, now), d.deliveryId(), timestamp, d.payload()));
        GuardedPoster.Result r = poster.post(URI.create(e.url()), headers, d.payload().getBytes(StandardCharsets.UTF_8));
        record(ticket, d, e, r, now);
    }

    private void record(DeliveryQueue.Ticket ticket, WebhookDelivery d, WebhookEndpoint e, GuardedPoster.Result r, Instant now) {
        int n = ticket.attempt();
        if (r.success()) {
            if (store.recordAttempt(d.accountId(), d.endpointId(), d.deliveryId(),
                    new WebhookDelivery.Attempt(n, now, r.status(), r.latencyMs(), null, null), WebhookDelivery.SUCCEEDED, null)) {
                if (e.consecutiveFailures() > 0) {
                    store.resetFailures(e.accountId(), e.endpointId());
                }
            }
            return;
        }
        String error = r.error() != null ? r.error() : "HTTP " + r.status() + " (a 2xx is expected)";
        boolean gone = r.status() == GONE;
        Optional<Duration> wait = gone ? Optional.empty() : schedule.after(n);
        Instant next = wait.map(now::plus).orElse(null);
        if (!store.recordAttempt(d.accountId(), d.endpointId(), d.deliveryId(), new WebhookDelivery.Attempt(n, now, r.status(),
                r.latencyMs(), error, next), next == null ? WebhookDelivery.FAILED : WebhookDelivery.PENDING, next)) {
            return; // another receive of this ticket recorded it
        }
        if (next != null) {
            queue.send(new DeliveryQueue.Ticket(d.accountId(), d.endpointId(), d.deliveryId(), n + 1, next), now);
        } else if (gone) {
            store.disable(e.accountId(), e.endpointId(), "the endpoint answered 410 Gone", now);
        } else if (store.addFailure(e.accountId(), e.endpointId()) >= settings.disableAfterFailures()) {
            store.disable(e.accountId(), e.endpointId(), settings.disableAfterFailures()
                    + " deliveries in a row failed after every retry", now);
        }
    }

    /** The current key, and the previous one while its 24 h of overlap last. */
    private List<byte[]> keys(WebhookEndpoint e, Instant now) {
        List<byte[]> keys = new ArrayList<>();
        keys.add(sealer.open(e.sealedSecret(), WebhookRegistry.context(e.accountId(), e.endpointId())));
        if (e.previousSealedSecret() != null && e.previousUntil() != null && now.isBefore(e.previousUntil())) {
            keys.add(sealer.open(e.previousSealedSecret(), WebhookRegistry.context(e.accountId(), e.endpointId())));
        }
        return keys;
    }

    static String payload(String type, Instant time, JsonNode data) {
        ObjectNode body = JsonCodec.object();
        body.put("type", type);
        body.put("timestamp", time.toString());
        body.set("data", data);
        return JsonCodec.write(body);
    }

    /** {@code msg_} + the event's time (so ids sort by it) + a hash of the event and the endpoint. */
    static String deliveryId(Instant eventTime, String eventKey, String endpointId) {
        return "msg_" + String.format("%013d", eventTime.toEpochMilli()) + "_"
                + Sha256.hex(eventKey + "|" + endpointId).substring(0, 20);
    }
}
