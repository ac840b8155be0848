package dev.assetlib.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.json.JsonCodec;
import dev.assetlib.store.AssetStore;
import dev.assetlib.store.CreateGuard;
import dev.assetlib.store.NewAsset;
import dev.assetlib.workflow.ReviewStarter;
import dev.assetlib.workflow.ReviewState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 */
public final class UploadService {
    /** Made on first use (failures only): java.util.logging's set-up is ~10 ms of a cold start. */
    private static final class Log {
        static final Logger LOG = Logger.getLogger(UploadService.class.getName());
    }

    private final AssetStore store;
    private final ReviewStarter starter;
    private final Duration deadline;
    private final Clock clock;

    public UploadService(AssetStore store, ReviewStarter starter, Duration deadline, Clock clock) {
        this.store = store;
        this.starter = starter;
        this.deadline = deadline;
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
        return upload(accountId, List.of(asset), upload.reuse(), ReviewState.SINGLE, claim, render);
    }

    /** One asset per accepted URL of the batch ({@code submitted}) and one review for them all. */
    public APIGatewayV2HTTPResponse batch(String accountId, UploadRequests.BatchUpload upload, Idempotency.Claim claim,
                       Function<List<Uploaded>, APIGatewayV2HTTPResponse> render) {
        List<NewAsset> assets = upload.accepted().stream()
                .map(i -> new NewAsset(i.assetType(), i.url(), null, AssetStatus.submitted)).toList();
        return upload(accountId, assets, upload.reuse(), ReviewState.BATCH, claim, render);
    }

    /**
     * Answers {@code render(uploaded)} for the wanted assets, in request order: reused ones found,
     * the others created and their review started. With an idempotency {@code claim}, the rendered
     * answer and the review's input are recorded in the same transaction as the creation.
     */
    private APIGatewayV2HTTPResponse upload(String accountId, List<NewAsset> wanted, boolean reuse, String kind,
                                            Idempotency.Claim claim, Function<List<Uploaded>, APIGatewayV2HTTPResponse> render) {
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
            return claim.created(review(accountId, created, kind, now), render.apply(Arrays.asList(attempt)));
        };
        List<Asset> created = store.createAll(accountId, toCreate, true, now, guard);
        ReviewState initial = review(accountId, created, kind, now);
        try {
            starter.start(initial);
        } catch (RuntimeException e) {
            Log.LOG.log(Level.SEVERE, "could not start the review of batch " + initial.batchId() + "; removing its assets", e);
            try {
                store.discardUnstarted(created);
            } catch (RuntimeException cleanup) {
                Log.LOG.log(Level.SEVERE, "could not remove the unstarted assets of batch " + initial.batchId(), cleanup);
            }
            throw new ApiException(ErrorCode.UNAVAILABLE,
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

    /** The review state machine's input for a batch just created (deterministic: built again on retry). */
    public ReviewState review(String accountId, List<Asset> created, String kind, Instant now) {
        List<ReviewState.PendingAsset> pending = created.stream()
                .map(a -> new ReviewState.PendingAsset(a.assetId(), a.assetType().name(), a.url(), null)).toList();
        return new ReviewState(accountId, created.get(0).batchId(), kind, now.plus(deadline).getEpochSecond(), 0, 0,
                false, pending, null);
    }

    /** Starts a review recorded by an idempotent upload whose first request died after creating its assets. */
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
