package dev.assetlib.api;

import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.store.AssetStore;
import dev.assetlib.store.NewAsset;
import dev.assetlib.workflow.ReviewStarter;
import dev.assetlib.workflow.ReviewState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Accepts uploads: creates the assets (all or none) and starts their one review. If the review
 * cannot be started, the assets are removed again and the caller is told to retry, so no asset is
 * ever left accepted but unreviewed.
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

    public Asset uploadSingle(String accountId, UploadRequests.SingleUpload upload) {
        NewAsset asset = new NewAsset(upload.assetType(), upload.url(), upload.name(), AssetStatus.Processing);
        return createAndStart(accountId, List.of(asset), ReviewState.SINGLE).get(0);
    }

    /** Creates one asset per accepted URL of the batch ({@code submitted}) and starts one review for them all. */
    public List<Asset> uploadBatch(String accountId, UploadRequests.BatchUpload upload) {
        if (upload.accepted().isEmpty()) {
            return List.of();
        }
        List<NewAsset> assets = upload.accepted().stream()
                .map(i -> new NewAsset(i.assetType(), i.url(), null, AssetStatus.submitted)).toList();
        return createAndStart(accountId, assets, ReviewState.BATCH);
    }

    /** Creates the assets of one batch and starts one review for all of them. */
    public List<Asset> createAndStart(String accountId, List<NewAsset> assets, String kind) {
        Instant now = clock.instant();
        List<Asset> created = store.createAll(accountId, assets, true, now);
        List<ReviewState.PendingAsset> pending = created.stream()
                .map(a -> new ReviewState.PendingAsset(a.assetId(), a.assetType().name(), a.url(), null)).toList();
        ReviewState initial = new ReviewState(accountId, created.get(0).batchId(), kind,
                now.plus(deadline).getEpochSecond(), 0, 0, false, pending, null);
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
        return created;
    }
}
