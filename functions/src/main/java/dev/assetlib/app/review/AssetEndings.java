package dev.assetlib.app.review;

import dev.assetlib.domain.Actors;
import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.domain.FailureCode;
import dev.assetlib.store.AssetStore;
import dev.assetlib.store.StatusChange;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * How a review ends an asset: its final status written by a conditional transition (only while it
 * is still undecided), approved bytes remembered by their SHA-256, and its one completion owed to
 * the round, never an Active one after a delete.
 */
final class AssetEndings {
    static final Set<AssetStatus> UNDECIDED = EnumSet.of(AssetStatus.submitted, AssetStatus.Processing);

    private final AssetStore store;

    AssetEndings(AssetStore store) {
        this.store = store;
    }

    /**
     * Moves the asset to its final status; its one completion message goes out at the end of the
     * task ({@link ReviewRound#flush}). When another attempt already moved it (a retried task), the message
     * is sent only if that attempt did not record it as sent. A deleted asset is never moved (the
     * store's writes require no {@code deletedAt}); if the delete's own Failed/DELETED completion is
     * still owed (the delete was interrupted), it is sent here. No Active completion is ever sent for
     * a deleted asset.
     */
    void finish(ReviewRound r, ReviewState.PendingAsset p, AssetStatus to, String code, String message, String actor) {
        Optional<Asset> moved = store.transition(StatusChange.of(p.accountId(), p.assetId())
                .from(UNDECIDED).to(to).failing(code, message).by(actor).at(r.now));
        // Approved bytes are remembered by their SHA-256, so the same bytes are not reviewed again (MediaStep).
        moved.filter(a -> a.status() == AssetStatus.Active && a.media() != null && a.media().sha256() != null)
                .ifPresent(a -> store.markApproved(p.accountId(), a.media().sha256(), p.assetId(), r.now));
        complete(r, p, moved);
    }

    /**
     * Owes the completion of an asset that {@code moved} (or, if empty, an earlier attempt or a
     * delete) made terminal, unless already sent; never an Active one for a deleted asset: an Active
     * completion is claimed first ({@link AssetStore#claimActiveCompletion}), one conditional write
     * that either a delete or this publication wins.
     */
    void complete(ReviewRound r, ReviewState.PendingAsset p, Optional<Asset> moved) {
        Asset asset = moved.or(() -> store.get(p.accountId(), p.assetId())).orElse(null);
        if (asset == null || !asset.status().isTerminal() || asset.completionSent()) {
            return;
        }
        if (asset.status() == AssetStatus.Active && !store.claimActiveCompletion(p.accountId(), p.assetId())) {
            // A delete came first: it made the asset Failed/DELETED, and that is its one completion
            // (owed here if the delete was interrupted before sending it). Never Active after a delete.
            Asset now = store.get(p.accountId(), p.assetId()).orElse(null);
            if (now != null && now.status() == AssetStatus.Failed && !now.completionSent()) {
                r.owe(p, now);
            }
            return;
        }
        r.owe(p, asset);
    }

    boolean isStillUndecided(String accountId, String assetId) {
        return store.get(accountId, assetId).map(a -> UNDECIDED.contains(a.status())).orElse(false);
    }

    /**
     * Fails a direct upload whose object never arrived, only while it still awaits it; false when
     * the object was recorded meanwhile (or the asset was decided), so the caller looks again.
     */
    boolean failMissingUpload(ReviewRound r, ReviewState.PendingAsset p, long deadline) {
        Optional<Asset> moved = store.transition(StatusChange.of(p.accountId(), p.assetId())
                .from(UNDECIDED).to(AssetStatus.Failed)
                .failing(FailureCode.UPLOAD_MISSING, "the upload never arrived: no object was PUT to the upload URL before "
                        + Instant.ofEpochSecond(deadline) + "; request a new upload URL and PUT the file before it expires")
                .whileAwaitingUpload().by(Actors.DEADLINE).at(r.now));
        if (moved.isEmpty()) {
            return false;
        }
        complete(r, p, moved);
        return true;
    }
}
