package dev.assetlib.app.upload;

import dev.assetlib.domain.DomainException;
import dev.assetlib.domain.ErrorCode;
import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.store.AssetStore;
import dev.assetlib.store.OpenReviews;
import dev.assetlib.store.CreateGuard;
import dev.assetlib.store.NewAsset;
import dev.assetlib.store.QuotaExceededException;
import dev.assetlib.store.ReuseClaim;
import dev.assetlib.store.ReuseClaimLostException;
import dev.assetlib.store.ReuseLookup;
import dev.assetlib.app.upload.UploadResult.Uploaded;
import dev.assetlib.app.review.ReviewStarter;
import dev.assetlib.app.review.ReviewState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Accepts uploads: creates the assets (all or none) and starts their one review. If the review
 * cannot be started, the assets are removed again and the caller is told to retry, so no asset is
 * ever left accepted but unreviewed.
 *
 * <p>With {@code reuse}, each URL+type that the account already has {@code Processing} or
 * {@code Active} (or {@code submitted}) answers with that asset instead of a new one; the same URL
 * twice in one request then also answers one asset. Which asset holds a URL is its reuse claim,
 * written with the asset in one conditional transaction: of concurrent uploads of one URL exactly
 * one creates an asset, the others answer it ({@code reused}). Without it, every URL is a new asset, as in
 * the public API.
 *
 * <p>The same code serves the HTTP upload routes, the SQS ingest consumer (with its own
 * {@link Claim}) and the upload URL route (a direct upload: the asset awaits its object,
 * and its review does not hand it to the reviewer until the object has arrived).
 */
public final class UploadService {
    /** Made on first use (failures only): java.util.logging's set-up is ~10 ms of a cold start. */
    private static final class Log {
        static final Logger LOG = Logger.getLogger(UploadService.class.getName());
    }

    /** Lost reuse races before giving up (each loss means another upload holds one more of the URLs). */
    private static final int MAX_REUSE_ATTEMPTS = 5;

    private final AssetStore store;
    private final ReviewStarter starter;
    private final Duration deadline;
    private final Duration uploadWait;
    private final Clock clock;

    public UploadService(AssetStore store, ReviewStarter starter, Duration deadline, Clock clock) {
        this(store, starter, deadline, deadline, clock);
    }

    /** {@code uploadWait}: how long a direct upload's object may take to arrive (capped by the deadline). */
    public UploadService(AssetStore store, ReviewStarter starter, Duration deadline, Duration uploadWait, Clock clock) {
        this.store = store;
        this.starter = starter;
        this.deadline = deadline;
        this.uploadWait = uploadWait;
        this.clock = clock;
    }

    /** Given to the upload while it holds an idempotency key: records its creation in the creating transaction. */
    public interface Claim {
        TransactWriteItem created(ReviewState review, UploadResult result);
    }

    /** A Seedance 2.0 upload: one asset ({@code Processing}) and its review; {@code claim} null without a key. */
    public UploadResult single(String accountId, UploadRequests.SingleUpload upload, Claim claim) {
        NewAsset asset = new NewAsset(upload.assetType(), upload.url(), upload.name(), AssetStatus.Processing);
        return upload(accountId, List.of(asset), upload.reuse(), ReviewState.SINGLE, claim, null,
                done -> new UploadResult(done, null));
    }

    /** One asset per accepted URL of the batch ({@code submitted}) and one review for them all. */
    public UploadResult batch(String accountId, UploadRequests.BatchUpload upload, Claim claim) {
        List<NewAsset> assets = upload.accepted().stream()
                .map(i -> new NewAsset(i.assetType(), i.url(), null, AssetStatus.submitted)).toList();
        return upload(accountId, assets, upload.reuse(), ReviewState.BATCH, claim, null,
                done -> new UploadResult(done, upload));
    }

    /**
     * A direct upload: creates the asset ({@code Processing}, awaiting its object) and starts its
     * review. {@code beforeStart} (signing its upload URL) runs once the asset exists and before its
     * review starts; if it throws, the asset is removed as when the review cannot start.
     */
    public Asset uploadDirect(String accountId, NewAsset asset, Consumer<Asset> beforeStart) {
        if (asset.directUpload() == null) {
            throw new IllegalArgumentException("not a direct upload");
        }
        return upload(accountId, List.of(asset), false, ReviewState.SINGLE, null,
                created -> beforeStart.accept(created.get(0)), done -> new UploadResult(done, null))
                .uploaded().get(0).asset();
    }

    /**
     * Answers {@code answer(uploaded)} for the wanted assets, in request order: reused ones found,
     * the others created and their review started. With an idempotency {@code claim}, the result
     * and the review's input are recorded in the same transaction as the creation.
     * {@code beforeStart}, if given, runs once the assets exist and before their review starts.
     */
    private UploadResult upload(String accountId, List<NewAsset> wanted, boolean reuse, String kind, Claim claim,
                                Consumer<List<Asset>> beforeStart, Function<List<Uploaded>, UploadResult> answer) {
        for (int attempt = 1; ; attempt++) {
            try {
                return uploadOnce(accountId, wanted, reuse, kind, claim, beforeStart, answer);
            } catch (ReuseClaimLostException lost) {
                // Another upload of the same URL committed first: nothing was created; look again
                // and answer its asset (reused). Each lost race means another asset now holds the URL.
                if (attempt >= MAX_REUSE_ATTEMPTS) {
                    throw new DomainException(ErrorCode.UNAVAILABLE,
                            "the same URLs are being uploaded concurrently and nothing was saved: retry the upload in a few seconds");
                }
            }
        }
    }

    private UploadResult uploadOnce(String accountId, List<NewAsset> wanted, boolean reuse, String kind, Claim claim,
                                    Consumer<List<Asset>> beforeStart, Function<List<Uploaded>, UploadResult> answer) {
        Uploaded[] result = new Uploaded[wanted.size()];
        int[] duplicateOf = new int[wanted.size()]; // with reuse: the earlier request position of the same URL+type, or -1
        List<NewAsset> toCreate = new ArrayList<>();
        List<ReuseClaim> claims = new ArrayList<>(); // with reuse: the claim each asset to create writes
        List<Integer> createdAt = new ArrayList<>(); // for each asset to create, its request position
        Map<String, Integer> firstPosition = new HashMap<>();
        for (int i = 0; i < wanted.size(); i++) {
            NewAsset w = wanted.get(i);
            duplicateOf[i] = -1;
            ReuseClaim reuseClaim = null;
            if (reuse) {
                Integer earlier = firstPosition.putIfAbsent(w.assetType() + " " + w.url(), i);
                if (earlier != null) {
                    duplicateOf[i] = earlier;
                    continue;
                }
                ReuseLookup found = store.lookUpReuse(accountId, w.assetType(), w.url());
                if (found.reusable().isPresent()) {
                    result[i] = new Uploaded(found.reusable().get(), true);
                    continue;
                }
                reuseClaim = found.claim();
            }
            toCreate.add(w);
            claims.add(reuseClaim);
            createdAt.add(i);
        }
        if (toCreate.isEmpty()) {
            return answer.apply(Arrays.asList(fill(result, duplicateOf, createdAt, List.of())));
        }
        if (reuse && toCreate.size() > AssetStore.MAX_REUSE_ASSETS_PER_CREATE) {
            throw new DomainException(ErrorCode.TOO_MANY_URLS, "with \"reuse\": true at most "
                    + AssetStore.MAX_REUSE_ASSETS_PER_CREATE + " new URLs can be uploaded at once; this request has "
                    + toCreate.size() + ": split it");
        }
        Instant now = clock.instant();
        CreateGuard guard = claim == null ? null : created -> {
            Uploaded[] attempt = fill(result, duplicateOf, createdAt, created);
            return claim.created(review(accountId, toCreate, created, kind, now), answer.apply(Arrays.asList(attempt)));
        };
        List<Asset> created;
        try {
            created = store.createAll(accountId, toCreate, true, now, guard, reuse ? claims : null);
        } catch (QuotaExceededException e) {
            throw quotaExceeded(e);
        }
        ReviewState initial = review(accountId, toCreate, created, kind, now);
        try {
            if (beforeStart != null) {
                beforeStart.accept(created);
            }
            starter.start(initial);
        } catch (RuntimeException e) {
            Log.LOG.log(Level.SEVERE, "could not start the review of batch " + initial.batchId() + "; removing its assets", e);
            try {
                store.discardUnstarted(created);
            } catch (RuntimeException cleanup) {
                Log.LOG.log(Level.SEVERE, "could not remove the unstarted assets of batch " + initial.batchId(), cleanup);
            }
            throw new DomainException(ErrorCode.UNAVAILABLE,
                    "the review could not be started and nothing was saved: retry the upload in a few seconds");
        }
        if (!starter.shared()) {
            recordStarted(accountId, initial.batchId(), now); // shared mode: the starter records its execution
        }
        return answer.apply(Arrays.asList(fill(result, duplicateOf, createdAt, created)));
    }

    /** An upload over a quota, refused whole (docs/quotas.md): names the quota, its usage and its limit. */
    static DomainException quotaExceeded(QuotaExceededException e) {
        return new DomainException(ErrorCode.QUOTA_EXCEEDED, "quota " + e.quota() + " exceeded: "
                + (e.quota().equals("storedBytes")
                ? e.usage() + " bytes stored, limit " + e.limit() + ": delete assets to upload again"
                : e.usage() + " in use + " + e.requested() + " in this upload > limit " + e.limit()
                + (e.quota().equals("inReview") ? ": retry when reviews have ended" : e.quota().equals("uploadsPerDay")
                ? ": retry tomorrow (UTC)" : ": delete assets to upload again"))
                + "; nothing was created (GET /kyyReactApiServer/kyyVideo2/usage shows your limits)");
    }

    /** Tells the reconciler the review runs (best effort: if this is lost, its next look finds the execution). */
    private void recordStarted(String accountId, String batchId, Instant now) {
        try {
            store.openReviews().recordExecution(accountId, batchId, null, ReviewStarter.executionName(batchId, 0), 0,
                    now.plus(OpenReviews.FIRST_LOOK));
        } catch (RuntimeException e) {
            Log.LOG.log(Level.WARNING, "could not record the start of the review of batch " + batchId, e);
        }
    }

    private static Uploaded[] fill(Uploaded[] found, int[] duplicateOf, List<Integer> createdAt, List<Asset> created) {
        Uploaded[] all = found.clone();
        for (int c = 0; c < created.size(); c++) {
            all[createdAt.get(c)] = new Uploaded(created.get(c), false);
        }
        for (int i = 0; i < all.length; i++) {
            if (duplicateOf[i] >= 0) {
                all[i] = new Uploaded(all[duplicateOf[i]].asset(), true);
            }
        }
        return all;
    }

    /** The review state machine's input for a batch just created from URLs (deterministic: built again on retry). */
    public ReviewState review(String accountId, List<Asset> created, String kind, Instant now) {
        return review(accountId, null, created, kind, now);
    }

    /**
     * The review's input: every asset pending; one {@code requested} as a direct upload awaits its
     * object until its upload deadline (the upload wait, never past the review deadline).
     */
    private ReviewState review(String accountId, List<NewAsset> requested, List<Asset> created, String kind, Instant now) {
        long reviewDeadline = now.plus(deadline).getEpochSecond();
        long uploadDeadline = Math.min(reviewDeadline, now.plus(uploadWait).getEpochSecond());
        List<ReviewState.PendingAsset> pending = new ArrayList<>();
        for (int i = 0; i < created.size(); i++) {
            Asset a = created.get(i);
            pending.add(requested != null && requested.get(i).directUpload() != null
                    ? ReviewState.PendingAsset.awaitingUpload(a.assetId(), a.assetType().name(), uploadDeadline)
                    : new ReviewState.PendingAsset(a.assetId(), a.assetType().name(), a.url(), null));
        }
        return new ReviewState(accountId, created.get(0).batchId(), kind, reviewDeadline, 0, 0, false, pending, null);
    }
}
