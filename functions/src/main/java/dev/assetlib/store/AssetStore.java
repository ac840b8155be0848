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
 * Asset state in DynamoDB. Creation reserves each id with a conditional write (retrying with a new
 * random part on collision); every status change is a conditional write against the status it
 * expects, so terminal states never move and two writers never lose an update.
 *
 * <p>Every change (creation, status change, rename, delete) is one TransactWriteItems: the
 * conditional write of the asset, which also bumps its {@code version}, and the Put of its history
 * event under sequence number {@code version}. The history therefore never misses or invents a
 * change, and orders changes as they were committed. A change reads the asset first and makes its
 * write conditional on the version it read (optimistic locking); when someone else changed the
 * asset in between, it reads again and re-decides.
 *
 * <p>A direct upload's asset is created awaiting its object ({@code upload = AWAITING}); recording
 * the object's arrival is such a change too (history event {@code uploaded}, actor {@code upload}),
 * and so is failing it when the object never came.
 */
public final class AssetStore {
    static final int MAX_CHANGE_ATTEMPTS = 10;
    /** TransactWriteItems takes at most this many actions. */
    static final int MAX_TRANSACTION_ITEMS = 100;
    /** Items per asset in a creation: id reservation, asset, creation event. */
    static final int ITEMS_PER_ASSET = 3;
    /**
     * Items of a creation that are not per asset: the one {@link CreateGuard} (an idempotency
     * record) and the account's quota counters ({@link QuotaCounters}).
     */
    static final int GUARD_ITEMS = 2;
    /**
     * Assets one creation may hold, guard or not: (100 - 2) / 3 = 32. Every path that creates
     * assets (the upload routes, ingest messages, upload URLs) is bounded by it, and so are
     * {@code MaxBatchUrls} (template MaxValue, Config) and the ingest consumer.
     */
    public static final int MAX_ASSETS_PER_CREATE = (MAX_TRANSACTION_ITEMS - GUARD_ITEMS) / ITEMS_PER_ASSET;
    /**
     * New assets one creation may hold when each also writes its reuse claim ({@code "reuse": true}):
     * (100 - 1) / 4 = 24.
     */
    public static final int MAX_REUSE_ASSETS_PER_CREATE = (MAX_TRANSACTION_ITEMS - GUARD_ITEMS) / (ITEMS_PER_ASSET + 1);

    private final DynamoDbClient dynamo;
    private final String table;
    private final AssetRecords ops;
    private final AssetCreation creation;
    private final StatusTransitions transitions;
    private final ReviewRefs refs;
    private final AssetEdits edits;
    private final OpenReviews openReviews;
    private final MediaRecords media;
    private final ReviewFindings findings;

    public AssetStore(DynamoDbClient dynamo, String table, AssetIds ids) {
        this(dynamo, table, ids, null);
    }

    /** {@code quotas}: the account quota counters kept with every creation, end and delete (null: none). */
    public AssetStore(DynamoDbClient dynamo, String table, AssetIds ids, QuotaCounters quotas) {
        this.dynamo = dynamo;
        this.table = table;
        this.ops = new AssetRecords(dynamo, table);
        this.creation = new AssetCreation(dynamo, table, ops, ids, quotas);
        this.transitions = new StatusTransitions(dynamo, table, ops, quotas);
        this.refs = new ReviewRefs(dynamo, table, ops);
        this.edits = new AssetEdits(ops, quotas);
        this.openReviews = new OpenReviews(dynamo, table, ops);
        this.media = new MediaRecords(dynamo, table, ops, quotas);
        this.findings = new ReviewFindings(table, ops);
    }

    /** The open reviews (the outbox of review starts) the reconciler works through. */
    public OpenReviews openReviews() {
        return openReviews;
    }

    public String table() {
        return table;
    }

    DynamoDbClient dynamo() {
        return dynamo;
    }

    public List<Asset> createAll(String accountId, List<NewAsset> items, boolean withBatchId, Instant now) {
        return createAll(accountId, items, withBatchId, now, null);
    }

    /**
     * Creates all the assets or none, in one transaction, each under a fresh unique id and with its
     * creation event (actor {@code upload}). The batch id, if wanted, is the first asset's id (unique
     * by the same reservation). A {@code guard}, if given, commits in the same transaction.
     * A {@link NewAsset#directUpload()} asset's url is the S3 location its object will have (known
     * once its id is), and it is marked as awaiting that object.
     */
    public List<Asset> createAll(String accountId, List<NewAsset> items, boolean withBatchId, Instant now, CreateGuard guard) {
        return creation.createAll(accountId, items, withBatchId, now, guard);
    }

    /**
     * As {@link #createAll(String, List, boolean, Instant, CreateGuard)}, each item with a non-null
     * {@code claims} entry also writing its reuse claim in the same transaction (at most
     * {@link #MAX_REUSE_ASSETS_PER_CREATE} items then). Throws {@link ReuseClaimLostException}, having
     * created nothing, when another upload claimed one of the URLs first.
     */
    public List<Asset> createAll(String accountId, List<NewAsset> items, boolean withBatchId, Instant now, CreateGuard guard,
                                 List<ReuseClaim> claims) {
        return creation.createAll(accountId, items, withBatchId, now, guard, claims);
    }

    /**
     * For {@code "reuse": true}: the live asset holding this URL and type, or the claim a new asset
     * must write (conditional write under the account partition, {@code REUSE#{type}#{sha256(url)}}).
     */
    public ReuseLookup lookUpReuse(String accountId, AssetType type, String url) {
        return creation.lookUpReuse(accountId, type, url);
    }

    /** The asset, deleted or not (a tombstone answers with {@link Asset#deletedAt()} set). */
    public Optional<Asset> get(String accountId, String assetId) {
        Map<String, AttributeValue> item = ops.getItem(accountId, assetId);
        return item == null ? Optional.empty() : Optional.of(AssetItems.fromItem(item));
    }

    /** The asset if it exists and is not deleted: what its owner may see. */
    public Optional<Asset> getLive(String accountId, String assetId) {
        return get(accountId, assetId).filter(a -> !a.isDeleted());
    }

    /**
     * The account's assets among {@code assetIds} (tombstones included), by id, in as few
     * BatchGetItem calls as DynamoDB allows (one per 100 ids, plus retries of unprocessed keys).
     */
    public Map<String, Asset> getAll(String accountId, Collection<String> assetIds) {
        List<Map<String, AttributeValue>> keys = assetIds.stream().distinct()
                .map(id -> AssetItems.assetKey(accountId, id)).toList();
        Map<String, Asset> found = new LinkedHashMap<>();
        ops.batchGet(keys).forEach(item -> found.put(item.get("assetId").s(), AssetItems.fromItem(item)));
        return found;
    }

    /**
     * The account's direct-upload assets among {@code assetIds} (tombstones included), by id, with
     * what is known of their objects, in as few BatchGetItem calls as {@link #getAll} makes.
     */
    public Map<String, AssetUpload> getUploads(String accountId, Collection<String> assetIds) {
        List<Map<String, AttributeValue>> keys = assetIds.stream().distinct()
                .map(id -> AssetItems.assetKey(accountId, id)).toList();
        Map<String, AssetUpload> found = new LinkedHashMap<>();
        ops.batchGet(keys).forEach(item -> found.put(item.get("assetId").s(), AssetItems.uploadFromItem(item)));
        return found;
    }

    /**
     * The reviewer references already recorded for these assets, by asset id (one BatchGetItem per
     * 100 ids). A retried submission reads them back instead of handing the asset over again.
     */
    public Map<String, String> reviewRefs(String accountId, Collection<String> assetIds) {
        return refs.reviewRefs(accountId, assetIds);
    }

    /**
     * Records the reviewer's reference on each asset, unless one is already there, all in one
     * transaction; answers the reference each asset holds afterwards (the one already recorded when
     * an earlier attempt got there first); assets that no longer exist are left out.
     */
    public Map<String, String> recordReviewRefs(String accountId, String reviewer, Map<String, String> refs, Instant now) {
        return this.refs.recordReviewRefs(accountId, reviewer, refs, now);
    }

    /** The raw items of the account's assets among {@code assetIds} (tombstones included), in the caller's order. */
    Map<String, Map<String, AttributeValue>> getAllItems(String accountId, Collection<String> assetIds) {
        return ops.getAllItems(accountId, assetIds);
    }

    /**
     * The newest of the account's not-deleted, not-Failed assets of this exact URL and type, for
     * {@code "reuse": true} (the ByUrl index, eventually consistent, confirmed by a consistent read).
     */
    public Optional<Asset> findReusable(String accountId, AssetType type, String url) {
        return creation.findReusable(accountId, type, url);
    }

    /** Makes the status change unless someone else already moved the asset: see {@link StatusChange}. Empty if it did not apply. */
    public Optional<Asset> transition(StatusChange change) {
        return transitions.transition(change);
    }

    /**
     * Records the media step's facts on an undecided asset, with its {@code media} history event;
     * false if it is gone, decided or already has them.
     */
    public boolean recordMedia(String accountId, String assetId, dev.assetlib.domain.AssetMedia facts, Instant now) {
        return media.recordMedia(accountId, assetId, facts, now);
    }

    /**
     * Records an automated review's findings (a JSON object) on an undecided asset, with a
     * {@code findings} history event by {@code actor} saying {@code summary}; false if it is gone,
     * decided or already has findings.
     */
    public boolean recordFindings(String accountId, String assetId, String findingsJson, String actor, String summary,
                                  Instant now) {
        return findings.record(accountId, assetId, findingsJson, actor, summary, now);
    }

    /** The approved asset of this account with the same bytes (SHA-256), if any. */
    public Optional<String> approvedTwin(String accountId, String sha256) {
        return media.approvedTwin(accountId, sha256);
    }

    /** Marks these bytes approved in the account (when an asset with media became Active). */
    public void markApproved(String accountId, String sha256, String assetId, Instant now) {
        media.markApproved(accountId, sha256, assetId, now);
    }

    /** Removes the approved-bytes marker when it names this asset (it was deleted). */
    public void unmarkApproved(String accountId, String sha256, String assetId) {
        media.unmarkApproved(accountId, sha256, assetId);
    }

    /**
     * Records that the object of a direct upload arrived, with its history event ({@code uploaded},
     * actor {@code upload}), if the asset exists in this account, is not deleted, is still
     * {@code Processing} and still awaits its object. False otherwise: the caller must then start
     * nothing. A duplicate event finds the object already received and changes nothing.
     */
    public boolean recordUpload(String accountId, String assetId, long sizeBytes, Instant now) {
        return transitions.recordUpload(accountId, assetId, sizeBytes, null, null, now);
    }

    /**
     * As {@link #recordUpload(String, String, long, Instant)}, also recording the ETag and version
     * id the ObjectCreated event named (read back by {@link #getUpload}/{@link #getUploads}); the
     * first recorded event's stay, whatever events follow.
     */
    public boolean recordUpload(String accountId, String assetId, long sizeBytes, String eTag, String versionId, Instant now) {
        return transitions.recordUpload(accountId, assetId, sizeBytes, eTag, versionId, now);
    }

    /** One direct-upload asset (tombstones included) with what is known of its object, or empty. */
    public Optional<AssetUpload> getUpload(String accountId, String assetId) {
        Map<String, AttributeValue> item = ops.getItem(accountId, assetId);
        return item == null ? Optional.empty() : Optional.of(AssetItems.uploadFromItem(item));
    }

    /** Renames a live asset, recording the rename in its history. Empty when it is missing or deleted. */
    public Optional<Asset> rename(String accountId, String assetId, String newName, Instant now) {
        return edits.rename(accountId, assetId, newName, now);
    }

    /**
     * Soft-deletes an asset, in one transaction: sets {@code deletedAt} and the TTL attribute
     * {@code expiresAt = now + retention} on the asset and on every history event, removes it from
     * every index (lists, reuse), and records the delete in its history. An asset whose completion
     * message has not gone out yet ends {@code Failed} with {@link FailureCode#DELETED}, its
     * completion owed: the caller sends it. An asset whose completion went out keeps its status.
     */
    public DeleteResult delete(String accountId, String assetId, Instant now, Duration retention) {
        return edits.delete(accountId, assetId, now, retention);
    }

    /**
     * The asset's history, oldest first, or empty when the asset is unknown to this account. A
     * deleted asset's history stays readable until its tombstone expires.
     */
    public Optional<List<AssetEvent>> history(String accountId, String assetId, Instant now) {
        Map<String, AttributeValue> current = ops.getItem(accountId, assetId);
        if (current == null || expired(current, now)) {
            return Optional.empty();
        }
        List<AssetEvent> events = new ArrayList<>();
        ops.queryEvents(accountId, assetId, null).forEach(item -> events.add(AssetItems.eventFromItem(item)));
        return Optional.of(events);
    }

    /**
     * Claims an Active asset's completion for sending: true while the asset is Active and either not
     * deleted with its completion owed, or already claimed (a retry after a crash). False when a delete
     * came first (it made the asset Failed/DELETED: that is the one completion) or it was sent.
     */
    public boolean claimActiveCompletion(String accountId, String assetId) {
        return transitions.claimActiveCompletion(accountId, assetId);
    }

    /** Records that the asset's completion message went out; false if it was already recorded. */
    public boolean markCompletionSent(String accountId, String assetId) {
        return transitions.markCompletionSent(accountId, assetId);
    }

    /**
     * Removes assets that were created but whose review could not be started, with their creation
     * event, so that a refused upload leaves nothing behind (only assets unchanged since creation).
     */
    public void discardUnstarted(List<Asset> assets) {
        creation.discardUnstarted(assets);
    }

    static boolean expired(Map<String, AttributeValue> item, Instant now) {
        return AssetRecords.expired(item, now);
    }

}
