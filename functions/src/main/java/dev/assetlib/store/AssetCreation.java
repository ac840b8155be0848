package dev.assetlib.store;

import static dev.assetlib.store.AssetItems.COMPLETION;
import static dev.assetlib.store.AssetItems.COMPLETION_PENDING;
import static dev.assetlib.store.AssetItems.COMPLETION_SENT;
import static dev.assetlib.store.AssetItems.DELETED_AT;
import static dev.assetlib.store.AssetItems.ERROR_CODE;
import static dev.assetlib.store.AssetItems.ERROR_MESSAGE;
import static dev.assetlib.store.AssetItems.REVIEW_REF;
import static dev.assetlib.store.AssetItems.STATUS;
import static dev.assetlib.store.AssetItems.STATUS_KEY;
import static dev.assetlib.store.AssetItems.STATUS_TYPE_KEY;
import static dev.assetlib.store.AssetItems.UPDATED_AT;
import static dev.assetlib.store.AssetItems.URL_KEY;
import static dev.assetlib.store.AssetItems.VERSION;
import static dev.assetlib.store.AssetItems.n;
import static dev.assetlib.store.AssetItems.s;

import dev.assetlib.domain.Actors;
import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetEvent;
import dev.assetlib.domain.AssetIds;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.domain.AssetType;
import dev.assetlib.domain.FailureCode;
import dev.assetlib.domain.UploadKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Creating assets (all of a request or none, each id reserved by a conditional write, retried with
 * a new random part on collision), finding one to reuse, and removing the ones whose review could
 * not start.
 */
final class AssetCreation {
    private final DynamoDbClient dynamo;
    private final String table;
    private final AssetRecords ops;
    private final AssetIds ids;
    private static final int MAX_ID_ATTEMPTS = 8;
    private static final Set<AssetStatus> REUSABLE = EnumSet.of(AssetStatus.submitted, AssetStatus.Processing, AssetStatus.Active);

    /** Null: no quotas counted (tests of other concerns). */
    private final QuotaCounters quotas;

    AssetCreation(DynamoDbClient dynamo, String table, AssetRecords ops, AssetIds ids, QuotaCounters quotas) {
        this.dynamo = dynamo;
        this.table = table;
        this.ops = ops;
        this.ids = ids;
        this.quotas = quotas;
    }

    /**
     * Creates all the assets or none, in one transaction, each under a fresh unique id and with its
     * creation event (actor {@code upload}). The batch id, if wanted, is the first asset's id (unique
     * by the same reservation). A {@code guard}, if given, commits in the same transaction.
     * A {@link NewAsset#directUpload()} asset's url is the S3 location its object will have (known
     * once its id is), and it is marked as awaiting that object.
     */
    List<Asset> createAll(String accountId, List<NewAsset> items, boolean withBatchId, Instant now, CreateGuard guard) {
        return createAll(accountId, items, withBatchId, now, guard, null);
    }

    /**
     * As above; with {@code claims} (one per item, null for none) each claimed item's reuse claim is
     * written in the same transaction, only if there is none or it still names the stale asset the
     * caller saw ({@link ReuseClaim#staleAssetId()}). If another upload claimed the URL first,
     * nothing is created and {@link ReuseClaimLostException} says so: look the URL up again.
     */
    List<Asset> createAll(String accountId, List<NewAsset> items, boolean withBatchId, Instant now, CreateGuard guard,
                          List<ReuseClaim> claims) {
        int claimCount = claims == null ? 0 : (int) claims.stream().filter(java.util.Objects::nonNull).count();
        if (items.isEmpty() || items.size() > AssetStore.MAX_ASSETS_PER_CREATE
                || items.size() * AssetStore.ITEMS_PER_ASSET + claimCount + AssetStore.GUARD_ITEMS > AssetStore.MAX_TRANSACTION_ITEMS) {
            throw new IllegalArgumentException("create 1 to " + AssetStore.MAX_ASSETS_PER_CREATE + " assets at a time ("
                    + AssetStore.MAX_REUSE_ASSETS_PER_CREATE + " with reuse claims)");
        }
        List<String> chosen = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            chosen.add(ids.next(now));
        }
        for (int attempt = 1; ; attempt++) {
            String batchId = withBatchId ? chosen.get(0) : null;
            List<Asset> assets = new ArrayList<>();
            List<TransactWriteItem> writes = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                NewAsset item = items.get(i);
                String url = item.directUpload() == null ? item.url()
                        : UploadKeys.location(item.directUpload().bucket(), accountId, chosen.get(i));
                Asset asset = new Asset(accountId, chosen.get(i), item.assetType(), url, item.name(),
                        item.initialStatus(), now, now, null, null, batchId, false);
                assets.add(asset);
                writes.add(ops.putNew(AssetItems.idReservation(accountId, asset.assetId(), now)));
                Map<String, AttributeValue> assetItem = AssetItems.toItem(asset, items.size());
                if (item.directUpload() != null) {
                    assetItem.putAll(AssetItems.awaitingUpload(item.directUpload().contentType()));
                    assetItem.remove(URL_KEY); // its own s3:// location: nothing to reuse
                }
                if (quotas != null) {
                    assetItem.put(QuotaCounters.COUNTED, AttributeValue.fromBool(true));
                }
                if (i == 0 && batchId != null) {
                    // The outbox of the review start, in the creating transaction (see OpenReviews):
                    // a crash before StartExecution leaves it for the reconciler. A Seedance 2.0
                    // upload is created Processing (kind single), an SD2 batch submitted (kind batch).
                    assetItem.putAll(OpenReviews.marker(batchId, chosen.subList(0, items.size()),
                            item.initialStatus() == AssetStatus.Processing ? "single" : "batch", now));
                }
                writes.add(ops.putNew(assetItem));
                String reason = item.directUpload() != null ? "upload URL issued: awaiting its object"
                        : batchId != null && items.size() > 1
                        ? "uploaded in a batch of " + items.size() + " (batch " + batchId + ")" : "uploaded";
                writes.add(ops.putNew(AssetItems.toItem(accountId, new AssetEvent(asset.assetId(), 1, now, AssetEvent.CREATED,
                        null, asset.status(), Actors.UPLOAD, reason, null, null, null), null)));
            }
            // Quotas: one action after the assets' (so their indexes stay i / 3) and before the guard (last).
            int quotaIndex = -1;
            if (quotas != null) {
                quotaIndex = writes.size();
                writes.add(quotas.reserve(accountId, items.size(), now));
            }
            int firstClaim = writes.size();
            List<Integer> claimed = new ArrayList<>(); // item index of each claim write, in order
            for (int i = 0; claims != null && i < items.size(); i++) {
                ReuseClaim claim = claims.get(i);
                if (claim != null) {
                    writes.add(claimWrite(accountId, items.get(i), assets.get(i), claim, now));
                    claimed.add(i);
                }
            }
            if (guard != null) {
                writes.add(guard.write(assets));
            }
            try {
                dynamo.transactWriteItems(r -> r.transactItems(writes));
                return assets;
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.cancellationReasons();
                if (quotaIndex >= 0 && reasons.size() == writes.size()
                        && "ConditionalCheckFailed".equals(reasons.get(quotaIndex).code())) {
                    QuotaExceededException refused = quotas.refusal(accountId, items.size(), now);
                    if (refused != null) {
                        throw refused;
                    }
                    if (attempt >= MAX_ID_ATTEMPTS) {
                        throw new StoreUnavailableException("the quota counters kept changing", e);
                    }
                    AssetRecords.pause(attempt);
                    continue;
                }
                if (guard != null && reasons.size() == writes.size()
                        && "ConditionalCheckFailed".equals(reasons.get(writes.size() - 1).code())) {
                    throw new GuardFailedException("the create guard's condition failed");
                }
                List<Integer> lost = new ArrayList<>();
                for (int c = 0; c < claimed.size() && firstClaim + c < reasons.size(); c++) {
                    if ("ConditionalCheckFailed".equals(reasons.get(firstClaim + c).code())) {
                        lost.add(claimed.get(c));
                    }
                }
                if (!lost.isEmpty()) {
                    throw new ReuseClaimLostException(lost);
                }
                List<Integer> collided = new ArrayList<>();
                for (int i = 0; i < reasons.size() && i < items.size() * AssetStore.ITEMS_PER_ASSET; i++) {
                    if ("ConditionalCheckFailed".equals(reasons.get(i).code())) {
                        collided.add(i / AssetStore.ITEMS_PER_ASSET);
                    }
                }
                boolean conflict = reasons.stream().anyMatch(r -> "TransactionConflict".equals(r.code()));
                if ((collided.isEmpty() && !conflict) || attempt >= MAX_ID_ATTEMPTS) {
                    throw new StoreUnavailableException("could not reserve asset ids: " + e.getMessage(), e);
                }
                for (int index : collided) {
                    chosen.set(index, ids.next(now));
                }
                AssetRecords.pause(attempt);
            } catch (SdkException e) {
                throw new StoreUnavailableException("DynamoDB did not accept the new assets", e);
            }
        }
    }

    /** The claim's Put: no claim yet, or still the stale one the caller saw. */
    private TransactWriteItem claimWrite(String accountId, NewAsset item, Asset asset, ReuseClaim claim, Instant now) {
        Map<String, AttributeValue> claimItem = new HashMap<>(AssetItems.reuseClaimKey(accountId, item.assetType(), item.url()));
        claimItem.put(AssetItems.REUSE_ASSET_ID, s(asset.assetId()));
        claimItem.put("url", s(item.url()));
        claimItem.put("createdAt", n(now.toEpochMilli()));
        String condition = claim.staleAssetId() == null ? "attribute_not_exists(#pk)" : "#assetId = :stale";
        Map<String, String> names = claim.staleAssetId() == null ? Map.of("#pk", AssetItems.PK)
                : Map.of("#assetId", AssetItems.REUSE_ASSET_ID);
        Put.Builder put = Put.builder().tableName(table).item(claimItem).conditionExpression(condition)
                .expressionAttributeNames(names);
        if (claim.staleAssetId() != null) {
            put.expressionAttributeValues(Map.of(":stale", s(claim.staleAssetId())));
        }
        return TransactWriteItem.builder().put(put.build()).build();
    }

    /**
     * For {@code "reuse": true}: the asset the URL's reuse claim names, if it is still reusable (not
     * deleted, not Failed); else an unclaimed live asset of the URL (one uploaded without reuse,
     * found through the ByUrl index); else the claim to take over (none, or a stale one). The claim
     * is read consistently: a reuse upload that committed a moment ago is always seen.
     */
    ReuseLookup lookUpReuse(String accountId, AssetType type, String url) {
        try {
            Map<String, AttributeValue> claim = dynamo.getItem(r -> r.tableName(table)
                    .key(AssetItems.reuseClaimKey(accountId, type, url)).consistentRead(true)).item();
            String holder = claim == null || claim.isEmpty() ? null : AssetItems.str(claim, AssetItems.REUSE_ASSET_ID);
            if (holder != null) {
                Map<String, AttributeValue> item = ops.getItem(accountId, holder);
                Optional<Asset> live = Optional.ofNullable(item).map(AssetItems::fromItem)
                        .filter(a -> !a.isDeleted() && REUSABLE.contains(a.status()) && a.url().equals(url) && a.assetType() == type);
                if (live.isPresent()) {
                    return new ReuseLookup(live, null);
                }
            }
            // Assets created without "reuse" (and before claims existed) hold no claim: the index finds them.
            Optional<Asset> unclaimed = findReusable(accountId, type, url);
            return new ReuseLookup(unclaimed, unclaimed.isPresent() ? null : new ReuseClaim(holder));
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not answer", e);
        }
    }

    /**
     * The newest of the account's not-deleted, not-Failed assets of this exact URL and type. Reads
     * the sparse ByUrl index (eventually consistent: an upload of the same URL within about a
     * second may not be seen yet) and confirms the candidates with a consistent read. Only the
     * fallback of {@link #lookUpReuse} for assets that hold no claim.
     */
    Optional<Asset> findReusable(String accountId, AssetType type, String url) {
        try {
            QueryResponse response = dynamo.query(r -> r.tableName(table).indexName(AssetItems.BY_URL)
                    .keyConditionExpression("#k = :k")
                    .expressionAttributeNames(Map.of("#k", URL_KEY))
                    .expressionAttributeValues(Map.of(":k", s(AssetItems.urlKey(accountId, type, url))))
                    .scanIndexForward(false).limit(10));
            List<Map<String, AttributeValue>> keys = response.items().stream()
                    .map(i -> Map.of(AssetItems.PK, i.get(AssetItems.PK), AssetItems.SK, i.get(AssetItems.SK))).toList();
            return ops.batchGet(keys).stream().map(AssetItems::fromItem)
                    .filter(a -> !a.isDeleted() && REUSABLE.contains(a.status()) && a.url().equals(url) && a.assetType() == type)
                    .max(java.util.Comparator.comparing(Asset::createdAt).thenComparing(Asset::assetId));
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not answer", e);
        }
    }

    /**
     * Removes assets that were created but whose review could not be started, with their creation
     * event, so that a refused upload leaves nothing behind. Only assets not changed since their
     * creation are removed.
     */
    void discardUnstarted(List<Asset> assets) {
        List<TransactWriteItem> writes = new ArrayList<>();
        if (quotas != null && !assets.isEmpty()) { // created counted: give back what they held (the conditions below make it exact)
            writes.add(quotas.release(assets.get(0).accountId(), assets.size(), assets.size(), 0));
        }
        for (Asset a : assets) {
            writes.add(TransactWriteItem.builder().delete(d -> d.tableName(table)
                    .key(AssetItems.assetKey(a.accountId(), a.assetId()))
                    .conditionExpression("#status = :first AND #version = :one")
                    .expressionAttributeNames(Map.of("#status", STATUS, "#version", VERSION))
                    .expressionAttributeValues(Map.of(":first", s(a.status().name()), ":one", n(1)))).build());
            writes.add(TransactWriteItem.builder().delete(d -> d.tableName(table)
                    .key(AssetItems.idReservationKey(a.assetId()))).build());
            writes.add(TransactWriteItem.builder().delete(d -> d.tableName(table)
                    .key(AssetItems.eventKey(a.accountId(), a.assetId(), 1))).build());
        }
        try {
            dynamo.transactWriteItems(r -> r.transactItems(writes));
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not remove the unstarted assets", e);
        }
    }

}
