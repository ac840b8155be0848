package dev.assetlib.store;

import dev.assetlib.domain.WebhookDelivery;
import dev.assetlib.domain.WebhookEndpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Webhook endpoints and their deliveries, in the account's own partition of the assets table
 * (so one account's calls can never name another's items, and IAM's LeadingKeys stay ACCOUNT#*):
 * <pre>
 * endpoint        ACCOUNT#{acct}   WEBHOOK#{endpointId}
 * endpoint count  ACCOUNT#{acct}   WHCOUNT                       (the per-account limit, kept in a transaction)
 * delivery        ACCOUNT#{acct}   WHDELIVERY#{endpointId}#{deliveryId}   expiresAt: 30 days after the event
 * </pre>
 * No item has index attributes, so none appears in an asset list.
 */
public final class WebhookStore {
    static final String ENDPOINT = "WEBHOOK#";
    static final String COUNT = "WHCOUNT";
    static final String DELIVERY = "WHDELIVERY#";
    /** Delivery logs are kept this long, then DynamoDB's TTL removes them. */
    public static final Duration DELIVERY_RETENTION = Duration.ofDays(30);

    private final DynamoDbClient dynamo;
    private final String table;

    public WebhookStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    // ------------------------------------------------------------------ endpoints

    /** Creates the endpoint unless the account has {@code max} already; false when it has. */
    public boolean create(WebhookEndpoint e, int max) {
        TransactWriteItem count = TransactWriteItem.builder().update(u -> u.tableName(table).key(key(e.accountId(), COUNT))
                .updateExpression("ADD #n :one")
                .conditionExpression("attribute_not_exists(#n) OR #n < :max")
                .expressionAttributeNames(Map.of("#n", "count"))
                .expressionAttributeValues(Map.of(":one", n(1), ":max", n(max)))).build();
        TransactWriteItem put = TransactWriteItem.builder().put(p -> p.tableName(table).item(item(e))
                .conditionExpression("attribute_not_exists(pk)")).build();
        try {
            dynamo.transactWriteItems(r -> r.transactItems(count, put));
            return true;
        } catch (TransactionCanceledException t) {
            List<CancellationReason> reasons = t.cancellationReasons();
            if (!reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code())) {
                return false;
            }
            throw new StoreUnavailableException("DynamoDB refused the webhook creation", t);
        } catch (SdkException x) {
            throw new StoreUnavailableException("DynamoDB did not answer for the webhook creation", x);
        }
    }

    public List<WebhookEndpoint> list(String accountId) {
        List<WebhookEndpoint> out = new ArrayList<>();
        for (Map<String, AttributeValue> i : query(accountId, ENDPOINT, true, 1000)) {
            out.add(endpoint(i));
        }
        return out;
    }

    public Optional<WebhookEndpoint> get(String accountId, String endpointId) {
        try {
            Map<String, AttributeValue> i = dynamo.getItem(r -> r.tableName(table).key(key(accountId, ENDPOINT + endpointId))
                    .consistentRead(true)).item();
            return i == null || i.isEmpty() ? Optional.empty() : Optional.of(endpoint(i));
        } catch (SdkException x) {
            throw new StoreUnavailableException("DynamoDB did not answer for the webhook", x);
        }
    }

    /** Deletes the endpoint (its delivery log expires by TTL); false when there was none. */
    public boolean delete(String accountId, String endpointId) {
        TransactWriteItem del = TransactWriteItem.builder().delete(d -> d.tableName(table).key(key(accountId, ENDPOINT + endpointId))
                .conditionExpression("attribute_exists(pk)")).build();
        TransactWriteItem count = TransactWriteItem.builder().update(u -> u.tableName(table).key(key(accountId, COUNT))
                .updateExpression("ADD #n :minus").expressionAttributeNames(Map.of("#n", "count"))
                .expressionAttributeValues(Map.of(":minus", n(-1)))).build();
        try {
            dynamo.transactWriteItems(r -> r.transactItems(del, count));
            return true;
        } catch (TransactionCanceledException t) {
            if (!t.cancellationReasons().isEmpty() && "ConditionalCheckFailed".equals(t.cancellationReasons().get(0).code())) {
                return false;
            }
            throw new StoreUnavailableException("DynamoDB refused the webhook delete", t);
        } catch (SdkException x) {
            throw new StoreUnavailableException("DynamoDB did not answer for the webhook delete", x);
        }
    }

    /** A new current secret; the one it replaces keeps signing until {@code previousUntil}. False when missing. */
    public boolean rotate(String accountId, String endpointId, String sealed, String previousSealed, Instant previousUntil) {
        return update(accountId, endpointId, "SET secret = :s, prevSecret = :p, prevUntil = :u",
                Map.of(":s", s(sealed), ":p", s(previousSealed), ":u", s(previousUntil.toString())));
    }

    /** A delivery succeeded: the failure streak starts again. */
    public void resetFailures(String accountId, String endpointId) {
        update(accountId, endpointId, "SET failures = :z", Map.of(":z", n(0)));
    }

    /** A delivery ended failed: the streak, after this one (0 when the endpoint is gone). */
    public int addFailure(String accountId, String endpointId) {
        try {
            var r = dynamo.updateItem(u -> u.tableName(table).key(key(accountId, ENDPOINT + endpointId))
                    .updateExpression("ADD failures :one").conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(Map.of(":one", n(1))).returnValues("UPDATED_NEW"));
            return Integer.parseInt(r.attributes().get("failures").n());
        } catch (ConditionalCheckFailedException gone) {
            return 0;
        } catch (SdkException x) {
            throw new StoreUnavailableException("DynamoDB did not answer for the webhook", x);
        }
    }

    public void disable(String accountId, String endpointId, String reason, Instant at) {
        update(accountId, endpointId, "SET disabledReason = :r, disabledAt = :t",
                Map.of(":r", s(reason), ":t", s(at.toString())));
    }

    private boolean update(String accountId, String endpointId, String expression, Map<String, AttributeValue> values) {
        try {
            dynamo.updateItem(u -> u.tableName(table).key(key(accountId, ENDPOINT + endpointId)).updateExpression(expression)
                    .conditionExpression("attribute_exists(pk)").expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException gone) {
            return false;
        } catch (SdkException x) {
            throw new StoreUnavailableException("DynamoDB did not answer for the webhook", x);
        }
    }

    // ------------------------------------------------------------------ deliveries

    /** Records a new delivery; false when it exists already (a completion received twice). */
    public boolean putDelivery(WebhookDelivery d) {
        Map<String, AttributeValue> item = new HashMap<>(key(d.accountId(), DELIVERY + d.endpointId() + "#" + d.deliveryId()));
        item.put("eventType", s(d.eventType()));
        item.put("payload", s(d.payload()));
        item.put("createdAt", s(d.createdAt().toString()));
        item.put("status", s(d.status()));
        item.put("nextAttemptAt", s(d.nextAttemptAt().toString()));
        item.put("attemptCount", n(0));
        item.put("attempts", AttributeValue.fromL(List.of()));
        item.put("expiresAt", n(d.createdAt().plus(DELIVERY_RETENTION).getEpochSecond()));
        try {
            dynamo.putItem(p -> p.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
            return true;
        } catch (ConditionalCheckFailedException exists) {
            return false;
        } catch (SdkException x) {
            throw new StoreUnavailableException("DynamoDB did not answer for the webhook delivery", x);
        }
    }

    public Optional<WebhookDelivery> getDelivery(String accountId, String endpointId, String deliveryId) {
        try {
            Map<String, AttributeValue> i = dynamo.getItem(r -> r.tableName(table)
                    .key(key(accountId, DELIVERY + endpointId + "#" + deliveryId)).consistentRead(true)).item();
            return i == null || i.isEmpty() ? Optional.empty() : Optional.of(delivery(accountId, i));
        } catch (SdkException x) {
            throw new StoreUnavailableException("DynamoDB did not answer for the webhook delivery", x);
        }
    }

    /** The endpoint's deliveries, newest first (delivery ids start with the event's time). */
    public List<WebhookDelivery> deliveries(String accountId, String endpointId, int limit) {
        List<WebhookDelivery> out = new ArrayList<>();
        for (Map<String, AttributeValue> i : query(accountId, DELIVERY + endpointId + "#", false, limit)) {
            out.add(delivery(accountId, i));
        }
        return out;
    }

    /**
     * Appends attempt number {@code attempt.number()} and sets the delivery's state, only if it has
     * exactly {@code attempt.number() - 1} attempts: a queue message received twice, or a scheduled
     * retry overtaken by a manual one, records nothing. False when the condition failed.
     */
    public boolean recordAttempt(String accountId, String endpointId, String deliveryId, WebhookDelivery.Attempt attempt,
                                 String status, Instant nextAttemptAt) {
        Map<String, AttributeValue> a = new HashMap<>();
        a.put("n", n(attempt.number()));
        a.put("time", s(attempt.time().toString()));
        a.put("statusCode", n(attempt.statusCode()));
        a.put("latencyMs", n(attempt.latencyMs()));
        if (attempt.error() != null) {
            a.put("error", s(attempt.error()));
        }
        if (attempt.nextRetry() != null) {
            a.put("nextRetry", s(attempt.nextRetry().toString()));
        }
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":a", AttributeValue.fromL(List.of(AttributeValue.fromM(a))),
                ":status", s(status), ":next", s(nextAttemptAt == null ? "" : nextAttemptAt.toString()),
                ":count", n(attempt.number()), ":expected", n(attempt.number() - 1)));
        try {
            dynamo.updateItem(u -> u.tableName(table).key(key(accountId, DELIVERY + endpointId + "#" + deliveryId))
                    .updateExpression("SET attempts = list_append(attempts, :a), #s = :status, nextAttemptAt = :next, attemptCount = :count")
                    .conditionExpression("attemptCount = :expected")
                    .expressionAttributeNames(Map.of("#s", "status")).expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException stale) {
            return false;
        } catch (SdkException x) {
            throw new StoreUnavailableException("DynamoDB did not answer for the webhook delivery", x);
        }
    }

    /** A manual retry: pending again, due now, if it still has {@code attemptCount} attempts. */
    public boolean markPending(String accountId, String endpointId, String deliveryId, int attemptCount, Instant now) {
        try {
            dynamo.updateItem(u -> u.tableName(table).key(key(accountId, DELIVERY + endpointId + "#" + deliveryId))
                    .updateExpression("SET #s = :p, nextAttemptAt = :now").conditionExpression("attemptCount = :c")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":p", s(WebhookDelivery.PENDING), ":now", s(now.toString()), ":c", n(attemptCount))));
            return true;
        } catch (ConditionalCheckFailedException moved) {
            return false;
        } catch (SdkException x) {
            throw new StoreUnavailableException("DynamoDB did not answer for the webhook delivery", x);
        }
    }

    // ------------------------------------------------------------------ items

    private List<Map<String, AttributeValue>> query(String accountId, String prefix, boolean forward, int limit) {
        try {
            List<Map<String, AttributeValue>> out = new ArrayList<>();
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> from = start;
                var page = dynamo.query(q -> q.tableName(table).keyConditionExpression("pk = :pk AND begins_with(sk, :p)")
                        .expressionAttributeValues(Map.of(":pk", s(pk(accountId)), ":p", s(prefix)))
                        .scanIndexForward(forward).consistentRead(true).limit(Math.min(limit, 100)).exclusiveStartKey(from));
                out.addAll(page.items());
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null && out.size() < limit);
            return out.size() > limit ? out.subList(0, limit) : out;
        } catch (SdkException x) {
            throw new StoreUnavailableException("DynamoDB did not answer for the webhooks", x);
        }
    }

    private static Map<String, AttributeValue> item(WebhookEndpoint e) {
        Map<String, AttributeValue> i = new HashMap<>(key(e.accountId(), ENDPOINT + e.endpointId()));
        i.put("url", s(e.url()));
        i.put("events", AttributeValue.fromL(e.events().stream().map(WebhookStore::s).toList()));
        i.put("createdAt", s(e.createdAt().toString()));
        i.put("secret", s(e.sealedSecret()));
        i.put("failures", n(0));
        return i;
    }

    private static WebhookEndpoint endpoint(Map<String, AttributeValue> i) {
        String sk = i.get("sk").s();
        String account = i.get("pk").s().substring("ACCOUNT#".length());
        return new WebhookEndpoint(account, sk.substring(ENDPOINT.length()), i.get("url").s(),
                i.get("events").l().stream().map(AttributeValue::s).toList(), Instant.parse(i.get("createdAt").s()),
                i.get("secret").s(), str(i, "prevSecret"), instant(i, "prevUntil"),
                i.containsKey("failures") ? Integer.parseInt(i.get("failures").n()) : 0,
                str(i, "disabledReason"), instant(i, "disabledAt"));
    }

    private static WebhookDelivery delivery(String accountId, Map<String, AttributeValue> i) {
        String rest = i.get("sk").s().substring(DELIVERY.length());
        int hash = rest.indexOf('#');
        List<WebhookDelivery.Attempt> attempts = new ArrayList<>();
        for (AttributeValue v : i.get("attempts").l()) {
            Map<String, AttributeValue> a = v.m();
            attempts.add(new WebhookDelivery.Attempt(Integer.parseInt(a.get("n").n()), Instant.parse(a.get("time").s()),
                    Integer.parseInt(a.get("statusCode").n()), Long.parseLong(a.get("latencyMs").n()), str(a, "error"),
                    instant(a, "nextRetry")));
        }
        return new WebhookDelivery(accountId, rest.substring(0, hash), rest.substring(hash + 1), i.get("eventType").s(),
                i.get("payload").s(), Instant.parse(i.get("createdAt").s()), i.get("status").s(), instant(i, "nextAttemptAt"),
                attempts);
    }

    private static Map<String, AttributeValue> key(String accountId, String sk) {
        return Map.of("pk", s(pk(accountId)), "sk", s(sk));
    }

    private static String pk(String accountId) {
        return "ACCOUNT#" + accountId;
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    private static String str(Map<String, AttributeValue> i, String name) {
        AttributeValue v = i.get(name);
        return v == null || v.s() == null || v.s().isEmpty() ? null : v.s();
    }

    private static Instant instant(Map<String, AttributeValue> i, String name) {
        String v = str(i, name);
        return v == null ? null : Instant.parse(v);
    }
}
