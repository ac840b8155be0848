package dev.assetlib.app.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.domain.DomainException;
import dev.assetlib.domain.ErrorCode;
import dev.assetlib.domain.WebhookDelivery;
import dev.assetlib.domain.WebhookEndpoint;
import dev.assetlib.fetch.FetchAllowList;
import dev.assetlib.fetch.HostResolver;
import dev.assetlib.fetch.UrlGuard;
import dev.assetlib.json.JsonCodec;
import dev.assetlib.store.WebhookStore;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The webhook routes' service: register, list, delete, rotate, the delivery log, a manual retry
 * and a test event, all within the caller's account. A secret is returned only by create and
 * rotate, and is stored sealed.
 */
public final class WebhookRegistry {
    /** How long a replaced secret keeps signing beside the new one. */
    public static final Duration ROTATION_OVERLAP = Duration.ofHours(24);
    static final int MAX_URL_LENGTH = 2048;
    private static final Pattern ENDPOINT_ID = Pattern.compile("wh_[0-9a-f]{24}");
    private static final Pattern DELIVERY_ID = Pattern.compile("msg_[0-9]{13}_[0-9a-f]{20}");

    private final WebhookStore store;
    private final SecretSealer sealer;
    private final UrlGuard guard;
    private final FetchAllowList allowList;
    private final WebhookDispatcher dispatcher;
    private final WebhookSettings settings;
    private final SecureRandom random;
    private final Clock clock;

    public WebhookRegistry(WebhookStore store, SecretSealer sealer, FetchAllowList allowList, HostResolver resolver,
                           WebhookDispatcher dispatcher, WebhookSettings settings, SecureRandom random, Clock clock) {
        this.store = store;
        this.sealer = sealer;
        this.allowList = allowList;
        this.guard = new UrlGuard(resolver, allowList);
        this.dispatcher = dispatcher;
        this.settings = settings;
        this.random = random;
        this.clock = clock;
    }

    static String context(String accountId, String endpointId) {
        return accountId + "/" + endpointId;
    }

    public ObjectNode register(String accountId, ObjectNode body) {
        String url = checkedUrl(body.get("url"));
        List<String> events = events(body.get("events"));
        byte[] idBytes = new byte[12];
        random.nextBytes(idBytes);
        String endpointId = "wh_" + HexFormat.of().formatHex(idBytes);
        String secret = WebhookSigner.newSecret(random);
        String sealed = sealer.seal(WebhookSigner.keyOf(secret), context(accountId, endpointId));
        WebhookEndpoint e = new WebhookEndpoint(accountId, endpointId, url, events, clock.instant(), sealed, null, null, 0, null, null);
        if (!store.create(e, settings.maxEndpoints())) {
            throw new DomainException(ErrorCode.WEBHOOK_LIMIT_REACHED, "this account has " + settings.maxEndpoints()
                    + " webhook endpoints, the most it may have: delete one first");
        }
        return view(e).put("secret", secret);
    }

    public ObjectNode list(String accountId) {
        ArrayNode items = JsonCodec.array();
        store.list(accountId).forEach(e -> items.add(view(e)));
        ObjectNode out = JsonCodec.object();
        out.set("items", items);
        return out;
    }

    public void delete(String accountId, String endpointId) {
        if (!store.delete(accountId, requireEndpointId(endpointId))) {
            throw notFound(endpointId);
        }
    }

    public ObjectNode rotate(String accountId, String endpointId) {
        WebhookEndpoint e = endpoint(accountId, endpointId);
        String secret = WebhookSigner.newSecret(random);
        Instant until = clock.instant().plus(ROTATION_OVERLAP);
        if (!store.rotate(accountId, e.endpointId(), sealer.seal(WebhookSigner.keyOf(secret), context(accountId, e.endpointId())),
                e.sealedSecret(), until)) {
            throw notFound(endpointId);
        }
        return JsonCodec.object().put("id", e.endpointId()).put("secret", secret).put("previousSecretExpiresAt", until.toString());
    }

    public ObjectNode deliveries(String accountId, String endpointId) {
        WebhookEndpoint e = endpoint(accountId, endpointId);
        ArrayNode items = JsonCodec.array();
        for (WebhookDelivery d : store.deliveries(accountId, e.endpointId(), 100)) {
            items.add(view(d));
        }
        ObjectNode out = JsonCodec.object();
        out.set("items", items);
        return out;
    }

    /** Sends the delivery again now, whatever its state; if that attempt fails too, the delivery is failed. */
    public ObjectNode retry(String accountId, String endpointId, String deliveryId) {
        WebhookEndpoint e = endpoint(accountId, endpointId);
        if (deliveryId == null || !DELIVERY_ID.matcher(deliveryId).matches()) {
            throw new DomainException(ErrorCode.WEBHOOK_ID_INVALID, "deliveryId must look like msg_0000000000000_0123456789abcdef0123");
        }
        WebhookDelivery d = store.getDelivery(accountId, e.endpointId(), deliveryId)
                .orElseThrow(() -> new DomainException(ErrorCode.WEBHOOK_DELIVERY_NOT_FOUND, "no delivery " + deliveryId + " for this webhook"));
        Instant now = clock.instant();
        if (!store.markPending(accountId, e.endpointId(), deliveryId, d.attempts().size(), now)) {
            throw new DomainException(ErrorCode.CONFLICT, "the delivery is being attempted right now: list its attempts and retry then");
        }
        dispatcher.requeue(new DeliveryQueue.Ticket(accountId, e.endpointId(), deliveryId, d.attempts().size() + 1, now));
        return JsonCodec.object().put("deliveryId", deliveryId).put("status", WebhookDelivery.PENDING);
    }

    public ObjectNode test(String accountId, String endpointId) {
        WebhookEndpoint e = endpoint(accountId, endpointId);
        byte[] nonce = new byte[8];
        random.nextBytes(nonce);
        String id = dispatcher.sendTest(e, HexFormat.of().formatHex(nonce));
        return JsonCodec.object().put("deliveryId", id).put("type", WebhookEvents.TEST);
    }

    private WebhookEndpoint endpoint(String accountId, String endpointId) {
        return store.get(accountId, requireEndpointId(endpointId)).orElseThrow(() -> notFound(endpointId));
    }

    private static String requireEndpointId(String endpointId) {
        if (endpointId == null || !ENDPOINT_ID.matcher(endpointId).matches()) {
            throw new DomainException(ErrorCode.WEBHOOK_ID_INVALID, "webhook id must look like wh_ followed by 24 hex digits");
        }
        return endpointId;
    }

    private static DomainException notFound(String endpointId) {
        return new DomainException(ErrorCode.WEBHOOK_NOT_FOUND, "no webhook " + endpointId + " in your account");
    }

    /** An absolute http(s) URL the guard accepts now (resolved and checked; it is checked again at every delivery). */
    private String checkedUrl(JsonNode node) {
        if (node == null || !node.isTextual() || node.asText().isEmpty() || node.asText().length() > MAX_URL_LENGTH) {
            throw new DomainException(ErrorCode.WEBHOOK_URL_INVALID, "url must be an absolute https URL of at most 2,048 characters");
        }
        URI uri;
        try {
            uri = new URI(node.asText());
        } catch (URISyntaxException e) {
            throw new DomainException(ErrorCode.WEBHOOK_URL_INVALID, "url is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new DomainException(ErrorCode.WEBHOOK_URL_INVALID, "url must be an absolute https URL with a host name");
        }
        int port = uri.getPort() == -1 ? (scheme.equals("https") ? 443 : 80) : uri.getPort();
        if (settings.requireHttps() && !scheme.equals("https") && !allowList.allows(uri.getHost().toLowerCase(Locale.ROOT), port)) {
            throw new DomainException(ErrorCode.WEBHOOK_URL_INVALID, "url must use https (deliveries are signed, not hidden)");
        }
        if (uri.getRawFragment() != null) {
            throw new DomainException(ErrorCode.WEBHOOK_URL_INVALID, "url must not have a #fragment");
        }
        try {
            guard.check(uri);
        } catch (UrlGuard.Refused r) {
            throw new DomainException(ErrorCode.WEBHOOK_URL_INVALID, "url refused: " + r.getMessage());
        }
        return uri.toString();
    }

    private static List<String> events(JsonNode node) {
        if (node == null || node.isNull()) {
            return WebhookEvents.ALL;
        }
        String rule = "events must be a non-empty array of " + String.join(", ", WebhookEvents.ALL);
        if (!node.isArray() || node.isEmpty()) {
            throw new DomainException(ErrorCode.WEBHOOK_EVENTS_INVALID, rule);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode n : node) {
            if (!n.isTextual() || !WebhookEvents.ALL.contains(n.asText())) {
                throw new DomainException(ErrorCode.WEBHOOK_EVENTS_INVALID, rule + "; got " + n);
            }
            if (!out.contains(n.asText())) {
                out.add(n.asText());
            }
        }
        return List.copyOf(out);
    }

    private static ObjectNode view(WebhookEndpoint e) {
        ObjectNode o = JsonCodec.object().put("id", e.endpointId()).put("url", e.url());
        ArrayNode events = o.putArray("events");
        e.events().forEach(events::add);
        o.put("createdAt", e.createdAt().toString()).put("enabled", e.enabled());
        if (!e.enabled()) {
            o.put("disabledReason", e.disabledReason()).put("disabledAt", e.disabledAt() == null ? null : e.disabledAt().toString());
        }
        if (e.previousUntil() != null) {
            o.put("previousSecretExpiresAt", e.previousUntil().toString());
        }
        return o;
    }

    private static ObjectNode view(WebhookDelivery d) {
        ObjectNode o = JsonCodec.object().put("deliveryId", d.deliveryId()).put("type", d.eventType())
                .put("createdAt", d.createdAt().toString()).put("status", d.status());
        if (d.status().equals(WebhookDelivery.PENDING) && d.nextAttemptAt() != null) {
            o.put("nextAttemptAt", d.nextAttemptAt().toString());
        }
        ArrayNode attempts = o.putArray("attempts");
        for (WebhookDelivery.Attempt a : d.attempts()) {
            ObjectNode x = attempts.addObject().put("attempt", a.number()).put("time", a.time().toString())
                    .put("latencyMs", a.latencyMs());
            if (a.statusCode() > 0) {
                x.put("statusCode", a.statusCode());
            } else {
                x.putNull("statusCode");
            }
            if (a.error() != null) {
                x.put("error", a.error());
            }
            x.put("nextRetry", a.nextRetry() == null ? null : a.nextRetry().toString());
        }
        return o;
    }
}
