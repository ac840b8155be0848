package dev.assetlib.store;

import static dev.assetlib.store.AssetItems.STATUS;
import static dev.assetlib.store.AssetItems.n;
import static dev.assetlib.store.AssetItems.s;

import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The human review queue in the assets table. An asset awaiting a person has, in one transaction,
 * {@code humanReview = AWAITING} on its item and a queue item {@code pk = ACCOUNT#{account},
 * sk = REVIEWQ#{assetId}} in its account's partition, so a reviewer's list is a Query on its own
 * account's partition by key (never a Scan, never another account's), in upload order (asset ids
 * begin with their upload time), strongly consistent. A decision, again in one transaction, writes
 * {@code humanDecision}, {@code humanReason}, {@code decidedBy}, {@code decidedByAccount} and
 * {@code decidedAt} on the asset item (conditional on it still awaiting and {@code Processing}) and
 * removes the queue item; the review workflow reads it on its next check.
 */
public final class HumanReviewStore {
    static final String QUEUE_PREFIX = "REVIEWQ#";
    static final String HUMAN_REVIEW = "humanReview";
    static final String AWAITING = "AWAITING";
    static final String DECIDED = "DECIDED";

    private final DynamoDbClient dynamo;
    private final String table;
    private final AssetStore assets;

    public HumanReviewStore(DynamoDbClient dynamo, String table, AssetStore assets) {
        this.dynamo = dynamo;
        this.table = table;
        this.assets = assets;
    }

    /** A recorded decision: {@code verdict} is approve or reject; {@code decidedBy} the reviewer key's id. */
    public record Decision(String verdict, String reason, String decidedBy, String decidedByAccount, Instant decidedAt) {
    }

    /** Where an asset stands for the human queue; {@code decision} is null until a person decided. */
    public record State(AssetStatus status, boolean awaiting, Decision decision) {
    }

    public record Queued(Asset asset, Instant awaitingSince) {
    }

    /** A page of the queue; {@code lastAssetId} is where the next page starts after, null on the last page. */
    public record Page(List<Queued> items, String lastAssetId) {
    }

    public enum DecideResult { DECIDED, NOT_FOUND, NOT_AWAITING }

    /**
     * Puts each asset in the queue unless it is already there or decided (a retried submission). The
     * answer: the assets now awaiting or decided; an asset gone or already terminal is left out.
     */
    public Set<String> markAwaiting(String accountId, List<String> assetIds, Instant now) {
        Set<String> accepted = new LinkedHashSet<>();
        try {
            for (String assetId : assetIds) {
                TransactWriteItem mark = TransactWriteItem.builder().update(u -> u.tableName(table)
                        .key(AssetItems.assetKey(accountId, assetId))
                        .updateExpression("SET #hr = :awaiting, #since = :now")
                        .conditionExpression("attribute_exists(pk) AND attribute_not_exists(#hr) AND #status IN (:submitted, :processing)")
                        .expressionAttributeNames(Map.of("#hr", HUMAN_REVIEW, "#since", "awaitingSince", "#status", STATUS))
                        .expressionAttributeValues(Map.of(":awaiting", s(AWAITING), ":now", n(now.toEpochMilli()),
                                ":submitted", s(AssetStatus.submitted.name()), ":processing", s(AssetStatus.Processing.name())))).build();
                Map<String, AttributeValue> queueItem = new HashMap<>(queueKey(accountId, assetId));
                queueItem.put("assetId", s(assetId));
                queueItem.put("awaitingSince", n(now.toEpochMilli()));
                TransactWriteItem enqueue = TransactWriteItem.builder().put(p -> p.tableName(table).item(queueItem)
                        .conditionExpression("attribute_not_exists(pk)")).build();
                try {
                    dynamo.transactWriteItems(r -> r.transactItems(mark, enqueue));
                    accepted.add(assetId);
                } catch (TransactionCanceledException e) {
                    Map<String, AttributeValue> item = assets.getAllItems(accountId, List.of(assetId)).get(assetId);
                    if (item != null && item.containsKey(HUMAN_REVIEW)) {
                        accepted.add(assetId); // an earlier attempt queued it already
                    }
                }
            }
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not accept the human review queue entries", e);
        }
        return accepted;
    }

    /** Where each asset stands (one BatchGetItem per 100 ids); absent ids are gone. */
    public Map<String, State> states(String accountId, Collection<String> assetIds) {
        Map<String, State> states = new LinkedHashMap<>();
        assets.getAllItems(accountId, assetIds).forEach((id, item) -> states.put(id, state(item)));
        return states;
    }

    /** Records a person's decision on an asset awaiting one, and takes it off the queue, atomically. */
    public DecideResult decide(String accountId, String assetId, String verdict, String reason,
                               String decidedBy, Instant now) {
        Map<String, String> names = new HashMap<>(Map.of("#hr", HUMAN_REVIEW, "#status", STATUS, "#decision", "humanDecision",
                "#by", "decidedBy", "#byAccount", "decidedByAccount", "#at", "decidedAt"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":decided", s(DECIDED), ":awaiting", s(AWAITING),
                ":processing", s(AssetStatus.Processing.name()), ":decision", s(verdict), ":by", s(decidedBy),
                ":account", s(accountId), ":now", n(now.toEpochMilli())));
        String update = "SET #hr = :decided, #decision = :decision, #by = :by, #byAccount = :account, #at = :now";
        if (reason != null) {
            names.put("#reason", "humanReason");
            values.put(":reason", s(reason));
            update += ", #reason = :reason";
        }
        final String expression = update;
        TransactWriteItem record = TransactWriteItem.builder().update(u -> u.tableName(table)
                .key(AssetItems.assetKey(accountId, assetId)).updateExpression(expression)
                .conditionExpression("attribute_exists(pk) AND #hr = :awaiting AND #status = :processing")
                .expressionAttributeNames(names).expressionAttributeValues(values)).build();
        TransactWriteItem dequeue = TransactWriteItem.builder().delete(d -> d.tableName(table)
                .key(queueKey(accountId, assetId))).build();
        // The decision reaches the asset's history with the status change it causes: the workflow's
        // next check writes it with the actor reviewer:{decidedBy}@{account} (Actors.humanReviewer).
        try {
            dynamo.transactWriteItems(r -> r.transactItems(record, dequeue));
            return DecideResult.DECIDED;
        } catch (TransactionCanceledException e) {
            return assets.getLive(accountId, assetId).isPresent() ? DecideResult.NOT_AWAITING : DecideResult.NOT_FOUND;
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not accept the review decision", e);
        }
    }

    /**
     * Up to {@code limit} assets of the account awaiting a person, oldest upload first, after
     * {@code afterAssetId} (exclusive; null for the first page). Queue entries whose asset is no
     * longer awaiting (deleted, timed out) are skipped.
     */
    public Page pending(String accountId, int limit, String afterAssetId) {
        Map<String, AttributeValue> values = Map.of(":pk", AssetItems.assetKey(accountId, "x").get(AssetItems.PK),
                ":prefix", s(QUEUE_PREFIX));
        QueryResponse response;
        try {
            response = dynamo.query(r -> {
                r.tableName(table).keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                        .expressionAttributeValues(values).consistentRead(true).limit(limit + 1);
                if (afterAssetId != null) {
                    r.exclusiveStartKey(queueKey(accountId, afterAssetId));
                }
            });
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not answer", e);
        }
        List<Map<String, AttributeValue>> entries = response.items();
        boolean more = entries.size() > limit;
        List<Map<String, AttributeValue>> page = more ? entries.subList(0, limit) : entries;
        List<String> ids = page.stream().map(e -> e.get("assetId").s()).toList();
        Map<String, Map<String, AttributeValue>> items = ids.isEmpty() ? Map.of() : assets.getAllItems(accountId, ids);
        List<Queued> queued = new ArrayList<>();
        for (Map<String, AttributeValue> entry : page) {
            Map<String, AttributeValue> item = items.get(entry.get("assetId").s());
            if (item != null && state(item).awaiting()) {
                queued.add(new Queued(AssetItems.fromItem(item),
                        Instant.ofEpochMilli(Long.parseLong(entry.get("awaitingSince").n()))));
            }
        }
        return new Page(queued, more ? ids.get(ids.size() - 1) : null);
    }

    /** Takes assets off the queue (the workflow stopped waiting for them). */
    public void withdraw(String accountId, Collection<String> assetIds) {
        try {
            for (String assetId : assetIds) {
                dynamo.deleteItem(r -> r.tableName(table).key(queueKey(accountId, assetId)));
            }
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not remove the human review queue entries", e);
        }
    }

    private static State state(Map<String, AttributeValue> item) {
        AssetStatus status = AssetStatus.valueOf(item.get(STATUS).s());
        String human = str(item, HUMAN_REVIEW);
        Decision decision = null;
        if (DECIDED.equals(human)) {
            AttributeValue at = item.get("decidedAt");
            decision = new Decision(str(item, "humanDecision"), str(item, "humanReason"), str(item, "decidedBy"),
                    str(item, "decidedByAccount"), at == null ? null : Instant.ofEpochMilli(Long.parseLong(at.n())));
        }
        return new State(status, AWAITING.equals(human) && status == AssetStatus.Processing, decision);
    }

    private static Map<String, AttributeValue> queueKey(String accountId, String assetId) {
        return Map.of(AssetItems.PK, AssetItems.assetKey(accountId, assetId).get(AssetItems.PK),
                AssetItems.SK, s(QUEUE_PREFIX + assetId));
    }

    private static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }
}
