package dev.assetlib.app.manage;

import dev.assetlib.objects.MediaCopies;
import dev.assetlib.app.upload.UploadRequests;
import dev.assetlib.domain.DomainException;
import dev.assetlib.domain.ErrorCode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.app.AssetIdRules;
import dev.assetlib.app.query.AssetViews;
import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetIds;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.store.AssetStore;
import dev.assetlib.store.DeleteResult;
import dev.assetlib.app.review.CompletionPublisher;
import dev.assetlib.app.review.ReviewStarter;
import java.time.Clock;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Delete and rename of one asset (ManageFunction).
 *
 * <p>Delete is a soft delete: the asset leaves every list and index and answers 404 everywhere,
 * while its tombstone and history stay readable (history only) for the retention period, after
 * which DynamoDB's TTL removes them. An asset whose completion message has not gone out yet (under
 * review) ends {@code Failed} with code {@code DELETED}, and this service sends that one
 * completion: so an accepted upload still ends with exactly one completion, and no {@code Active}
 * completion can follow a delete (the review's writes require the asset not to be deleted). The
 * review of a single-asset upload is then stopped; a batch's review goes on for its other assets.
 * The asset's stored media copy is deleted with it ({@link MediaCopies}).
 */
public final class AssetManagement {
    private static final Logger LOG = Logger.getLogger(AssetManagement.class.getName());

    private final AssetStore store;
    private final CompletionPublisher completions;
    private final ReviewStarter reviews;
    private final Duration retention;
    private final Clock clock;
    private final MediaCopies media;

    public AssetManagement(AssetStore store, CompletionPublisher completions, ReviewStarter reviews,
                           Duration retention, Clock clock) {
        this(store, completions, reviews, retention, clock, MediaCopies.NONE);
    }

    /** {@code media}: the stored copies, deleted with their asset. */
    public AssetManagement(AssetStore store, CompletionPublisher completions, ReviewStarter reviews,
                           Duration retention, Clock clock, MediaCopies media) {
        this.media = media;
        this.store = store;
        this.completions = completions;
        this.reviews = reviews;
        this.retention = retention;
        this.clock = clock;
    }

    public void delete(String accountId, String assetId) {
        AssetIdRules.requireWellFormed(assetId);
        DeleteResult result = store.delete(accountId, assetId, clock.instant(), retention);
        switch (result.outcome()) {
            case NOT_FOUND -> throw AssetIdRules.notFound(assetId);
            case ALREADY_DELETED -> {
                // A delete interrupted before its completion went out: finish it, then answer as for any deleted asset.
                sendOwedCompletion(result.asset());
                deleteCopy(accountId, assetId); // a delete whose copy could not be deleted: this one tries again
                throw AssetIdRules.notFound(assetId);
            }
            case DELETED -> {
                boolean wasUnderReview = sendOwedCompletion(result.asset());
                deleteCopy(accountId, assetId);
                if (wasUnderReview && result.batchSize() == 1 && result.asset().batchId() != null) {
                    try {
                        reviews.stop(result.asset().batchId(), "asset " + assetId + " was deleted by its owner");
                    } catch (SdkException e) {
                        // Harmless: the review can no longer change the deleted asset; it only polls until it ends.
                        LOG.log(Level.WARNING, "could not stop the review of deleted asset " + assetId, e);
                    }
                }
            }
        }
    }

    public ObjectNode rename(String accountId, String assetId, ObjectNode body) {
        AssetIdRules.requireWellFormed(assetId);
        String name = UploadRequests.name(body.get("name"), true);
        Asset renamed = store.rename(accountId, assetId, name, clock.instant()).orElseThrow(() -> AssetIdRules.notFound(assetId));
        return AssetViews.detail(renamed);
    }

    /**
     * Deletes the asset's stored copy once its tombstone is written. Best effort: the delete has
     * happened whatever S3 says (the asset answers 404 and is in no list); a copy left behind by an
     * S3 fault is deleted by the next DELETE of the same asset, and is logged for the operator.
     */
    private void deleteCopy(String accountId, String assetId) {
        try {
            media.delete(accountId, assetId);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "MEDIA_COPY_NOT_DELETED: the media copy of deleted asset " + assetId + " of account "
                    + accountId + " could not be deleted; DELETE the asset again or remove media/" + accountId + "/" + assetId, e);
        }
    }

    /** Sends the Failed/DELETED completion a delete left owed; true if the asset's completion was owed. */
    private boolean sendOwedCompletion(Asset asset) {
        if (asset.completionSent() || asset.status() != AssetStatus.Failed) {
            return false;
        }
        completions.publish(asset);
        store.markCompletionSent(asset.accountId(), asset.assetId());
        return true;
    }
}
