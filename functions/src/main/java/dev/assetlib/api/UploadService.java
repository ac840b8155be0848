package dev.assetlib.api;

import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.store.AssetStore;
import dev.assetlib.store.CreationGuard;
import dev.assetlib.store.DuplicateCreationException;
import dev.assetlib.store.NewAsset;
import dev.assetlib.workflow.ReviewStarter;
import dev.assetlib.workflow.ReviewState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Accepts uploads: creates the assets (all or none) and starts their one review. If the review
 * cannot be started, the assets are removed again and the caller is told to retry, so no asset is
 * ever left accepted but unreviewed.
 */
public final class UploadService {
    private static final Logger LOG = Logger.getLogger(UploadService.class.getName());

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

    public Asset uploadSingle(String accountId, UploadRequests.SingleUpload upload) {
        return createAndStart(accountId, List.of(single(upload)), ReviewState.SINGLE).get(0);
    }

    /** Creates one asset per accepted URL of the batch ({@code submitted}) and starts one review for them all. */
    public List<Asset> uploadBatch(String accountId, UploadRequests.BatchUpload upload) {
        if (upload.accepted().isEmpty()) {
            return List.of();
        }
        return createAndStart(accountId, batch(upload), ReviewState.BATCH);
    }

    /** The asset a single upload creates. */
    public static NewAsset single(UploadRequests.SingleUpload upload) {
        return new NewAsset(upload.assetType(), upload.url(), upload.name(), AssetStatus.Processing);
    }

    /** The assets a batch upload creates, one per accepted URL. */
    public static List<NewAsset> batch(UploadRequests.BatchUpload upload) {
        return upload.accepted().stream()
                .map(i -> new NewAsset(i.assetType(), i.url(), null, AssetStatus.submitted)).toList();
    }

    /** Creates the assets of one batch and starts one review for all of them. */
    public List<Asset> createAndStart(String accountId, List<NewAsset> assets, String kind) {
        return createAndStart(accountId, assets, kind, null, null);
    }

    /**
     * Creates the assets of one batch and starts one review for all of them.
     *
     * @param guard       if given, the item written with the assets in the same transaction (only if
     *                    absent: {@link DuplicateCreationException} otherwise), built from the review's
     *                    initial state, so that a duplicate can start the very same review again
     * @param beforeStart if given, runs once the assets exist and before the review starts; if it
     *                    throws, the assets are removed as when the review cannot start
     */
    public List<Asset> createAndStart(String accountId, List<NewAsset> assets, String kind,
                                      Function<ReviewState, CreationGuard> guard, Consumer<List<Asset>> beforeStart) {
        Instant now = clock.instant();
        CreationGuard[] written = new CreationGuard[1];
        List<Asset> created = store.createAll(accountId, assets, true, now, guard == null ? null : list -> {
            written[0] = guard.apply(initialState(accountId, assets, list, kind, now));
            return written[0];
        });
        ReviewState initial = initialState(accountId, assets, created, kind, now);
        try {
            if (beforeStart != null) {
                beforeStart.accept(created);
            }
            starter.start(initial);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "could not start the review of batch " + initial.batchId() + "; removing its assets", e);
            try {
                store.discardUnstarted(created, written[0]);
            } catch (RuntimeException cleanup) {
                LOG.log(Level.SEVERE, "could not remove the unstarted assets of batch " + initial.batchId(), cleanup);
            }
            throw new ApiException(ErrorCode.UNAVAILABLE,
                    "the review could not be started and nothing was saved: retry the upload in a few seconds");
        }
        return created;
    }

    /**
     * Starts a review from its recorded initial state again (a redelivered ingest message whose
     * first delivery may have died between creating the assets and starting their review). Step
     * Functions makes this a no-op when that review already exists.
     */
    public void restart(ReviewState initial) {
        starter.start(initial);
    }

    /** The review's input: every asset pending; a direct upload awaiting its object until its upload deadline. */
    private ReviewState initialState(String accountId, List<NewAsset> requested, List<Asset> created, String kind, Instant now) {
        long reviewDeadline = now.plus(deadline).getEpochSecond();
        long uploadDeadline = Math.min(reviewDeadline, now.plus(uploadWait).getEpochSecond());
        List<ReviewState.PendingAsset> pending = new ArrayList<>();
        for (int i = 0; i < created.size(); i++) {
            Asset a = created.get(i);
            pending.add(requested.get(i).directUpload() != null
                    ? ReviewState.PendingAsset.awaitingUpload(a.assetId(), a.assetType().name(), uploadDeadline)
                    : new ReviewState.PendingAsset(a.assetId(), a.assetType().name(), a.url(), null));
        }
        return new ReviewState(accountId, created.get(0).batchId(), kind, reviewDeadline, 0, 0, false, pending, null);
    }
}
