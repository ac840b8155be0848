package dev.assetlib.app.upload;

import dev.assetlib.app.idempotency.Idempotency;
import dev.assetlib.domain.DomainException;
import dev.assetlib.domain.ErrorCode;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.json.JsonCodec;
import dev.assetlib.store.AssetStore;
import dev.assetlib.store.CreateGuard;
import dev.assetlib.store.NewAsset;
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

/**
 * Accepts uploads: creates the assets (all or none) and starts their one review. If the review
 * cannot be started, the assets are removed again and the caller is told to retry, so no asset is
 * ever left accepted but unreviewed.
 *
 * <p>With {@code reuse}, each URL+type that the account already has {@code Processing} or
 * {@code Active} (or {@code submitted}) answers with that asset instead of a new one; the same URL
 * twice in one request then also answers one asset. Without it, every URL is a new asset, as in
 * the public API.
 *
 * <p>The same code serves the HTTP upload routes, the SQS ingest consumer (with its own
 * {@link Idempotency.Claim}) and the upload URL route (a direct upload: the asset awaits its object,
 * and its review does not hand it to the reviewer until the object has arrived).
 */
public final class UploadService {
    /** Made on first use (failures only): java.util.logging's set-up is ~10 ms of a cold start. */
    private static final class Log {
        static final Logger LOG = Logger.getLogger(UploadService.class.getName());
    }

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

    /** One asset of an upload's answer; {@code reused} when it existed before this upload. */
    public record Uploaded(Asset asset, boolean reused) {
    }

    /** A single upload without idempotency (e.g. from an ingest trigger): the asset, new or reused. */
    public Asset uploadSingle(String accountId, UploadRequests.SingleUpload upload) {
        List<List<Uploaded>> out = new ArrayList<>();
        single(accountId, upload, null, done -> {
            out.add(done);
            return null;
        });
        return out.get(0).get(0).asset();
    }

    /** A batch upload without idempotency: the assets of the accepted URLs, in request order. */
    public List<Asset> uploadBatch(String accountId, UploadRequests.BatchUpload upload) {
        List<List<Uploaded>> out = new ArrayList<>();
        batch(accountId, upload, null, done -> {
            out.add(done);
            return null;
        });
        return out.get(0).stream().map(Uploaded::asset).toList();
    }

    public APIGatewayV2HTTPResponse single(String accountId, UploadRequests.SingleUpload upload, Idempotency.Claim claim,
                        Function<List<Uploaded>, APIGatewayV2HTTPResponse> render) {
        NewAsset asset = new NewAsset(upload.assetType(), upload.url(), upload.name(), AssetStatus.Processing);
        return upload(accountId, List.of(asset), upload.reuse(), ReviewState.SINGLE, claim, null, render);
    }

    /** One asset per accepted URL of the batch ({@code submitted}) and one review for them all. */
    public APIGatewayV2HTTPResponse batch(String accountId, UploadRequests.BatchUpload upload, Idempotency.Claim claim,
                       Function<List<Uploaded>, APIGatewayV2HTTPResponse> render) {
        List<NewAsset> assets = upload.accepted().stream()
                .map(i -> new NewAsset(i.assetType(), i.url(), null, AssetStatus.submitted)).toList();
        return upload(accountId, assets, upload.reuse(), ReviewState.BATCH, claim, null, render);
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
        List<Asset> out = new ArrayList<>();
        upload(accountId, List.of(asset), false, ReviewState.SINGLE, null, created -> beforeStart.accept(created.get(0)),
                done -> {
                    out.add(done.get(0).asset());
                    return null;
                });
        return out.get(0);
    }

    /**
     * Answers {@code render(uploaded)} for the wanted assets, in request order: reused ones found,
     * the others created and their review started. With an idempotency {@code claim}, the rendered
     * answer and the review's input are recorded in the same transaction as the creation.
     * {@code beforeStart}, if given, runs once the assets exist and before their review starts.
     */
    private APIGatewayV2HTTPResponse upload(String accountId, List<NewAsset> wanted, boolean reuse, String kind,
                                            Idempotency.Claim claim, Consumer<List<Asset>> beforeStart,
                                            Function<List<Uploaded>, APIGatewayV2HTTPResponse> render) {
        Uploaded[] result = new Uploaded[wanted.size()];
        int[] duplicateOf = new int[wanted.size()]; // with reuse: the earlier request position of the same URL+type, or -1
        List<NewAsset> toCreate = new ArrayList<>();
        List<Integer> createdAt = new ArrayList<>(); // for each asset to create, its request position
        Map<String, Integer> firstPosition = new HashMap<>();
        for (int i = 0; i < wanted.size(); i++) {
            NewAsset w = wanted.get(i);
            duplicateOf[i] = -1;
            if (reuse) {
                Integer earlier = firstPosition.putIfAbsent(w.assetType() + " " + w.url(), i);
                if (earlier != null) {
                    duplicateOf[i] = earlier;
                    continue;
                }
                Asset existing = store.findReusable(accountId, w.assetType(), w.url()).orElse(null);
                if (existing != null) {
                    result[i] = new Uploaded(existing, true);
                    continue;
                }
            }
            toCreate.add(w);
            createdAt.add(i);
        }
        if (toCreate.isEmpty()) {
            return render.apply(Arrays.asList(fill(result, duplicateOf, createdAt, List.of())));
        }
        Instant now = clock.instant();
        CreateGuard guard = claim == null ? null : created -> {
            Uploaded[] attempt = fill(result, duplicateOf, createdAt, created);
            return claim.created(review(accountId, toCreate, created, kind, now), render.apply(Arrays.asList(attempt)));
        };
        List<Asset> created = store.createAll(accountId, toCreate, true, now, guard);
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
        return render.apply(Arrays.asList(fill(result, duplicateOf, createdAt, created)));
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

    /**
     * Starts a review recorded by an idempotent upload (HTTP or ingest) whose first attempt died after
     * creating its assets: same execution name and input, so Step Functions makes it a no-op if it runs.
     */
    public void resumeReview(String reviewInput) {
        try {
            ReviewState state = ReviewState.fromJson(JsonCodec.parse(reviewInput));
            if (state == null) {
                throw new IllegalStateException("stored review input is not a review state");
            }
            starter.start(state);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored review input is not a review state", e);
        }
    }
}
