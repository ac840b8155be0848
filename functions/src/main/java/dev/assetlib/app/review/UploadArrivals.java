package dev.assetlib.app.review;

import dev.assetlib.domain.Actors;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.domain.AssetType;
import dev.assetlib.domain.FailureCode;
import dev.assetlib.domain.UploadLimits;
import dev.assetlib.store.AssetStore;
import dev.assetlib.store.AssetUpload;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The review's direct uploads still awaiting their object, looked at once per round: arrived
 * (ready for the media step), too large or empty (failed), past their upload deadline
 * (UPLOAD_MISSING), or decided or removed elsewhere (out of the review).
 */
final class UploadArrivals {
    private final AssetStore store;
    private final AssetEndings endings;

    UploadArrivals(AssetStore store, AssetEndings endings) {
        this.store = store;
        this.endings = endings;
    }

    /** What a round found of the pending items awaiting their direct upload; {@code arrived}: whose object came. */
    record Arrivals(List<ReviewState.PendingAsset> pending, Set<String> arrived) {
        boolean anyArrived() {
            return !arrived.isEmpty();
        }
    }

    /**
     * Looks up, in one read per account, the pending items that await their object: one whose object
     * arrived becomes ready for the reviewer (or fails when the object breaks the size limit); one
     * whose upload deadline passed fails with UPLOAD_MISSING; one decided or removed elsewhere leaves
     * the review. Items not awaiting anything cost nothing here.
     */
    Arrivals arrivals(ReviewRound r, List<ReviewState.PendingAsset> pending) {
        Map<String, List<String>> awaiting = ReviewWorkflow.byAccount(pending.stream().filter(ReviewState.PendingAsset::awaitsUpload).toList());
        if (awaiting.isEmpty()) {
            return new Arrivals(pending, Set.of());
        }
        Map<String, AssetUpload> uploads = new HashMap<>();
        awaiting.forEach((account, ids) -> r.guard(account, () -> uploads.putAll(store.getUploads(account, ids))));
        List<ReviewState.PendingAsset> result = new ArrayList<>();
        Set<String> arrivedIds = new HashSet<>();
        for (ReviewState.PendingAsset p : pending) {
            if (!p.awaitsUpload() || r.faulted(p.accountId())) {
                result.add(p); // not awaiting, or its account could not be read: looked at next round
                continue;
            }
            AssetUpload upload = uploads.get(p.assetId());
            if (upload == null) {
                continue; // removed: nothing left to review
            }
            boolean[] keep = {false};
            boolean arrived = upload.received() && !upload.asset().status().isTerminal()
                    && upload.sizeBytes() > 0 && upload.sizeBytes() <= UploadLimits.maxBytes(AssetType.valueOf(p.assetType()));
            if (!r.guard(p.accountId(), () -> keep[0] = awaited(r, p, upload))) {
                keep[0] = true;
            }
            if (arrived) {
                result.add(p.uploaded(upload.location()));
                arrivedIds.add(p.assetId());
            } else if (keep[0]) {
                result.add(p); // still awaiting (or its object arrived just now: seen next round)
            }
        }
        return new Arrivals(result, arrivedIds);
    }

    /** What an awaited item's upload record says: true to keep awaiting it; writes its end otherwise. */
    private boolean awaited(ReviewRound r, ReviewState.PendingAsset p, AssetUpload upload) {
        // A deleted asset is terminal (Failed/DELETED) and ends here: its object, if any came, starts nothing.
        if (upload.asset().status().isTerminal()) {
            endings.complete(r, p, Optional.empty()); // decided by an earlier attempt: its completion may be owed
            return false;
        }
        if (upload.received()) {
            AssetType type = AssetType.valueOf(p.assetType());
            long max = UploadLimits.maxBytes(type);
            if (upload.sizeBytes() > max) {
                endings.finish(r, p, AssetStatus.Failed, FailureCode.UPLOAD_TOO_LARGE, "the uploaded object is "
                        + upload.sizeBytes() + " bytes: at most " + max + " bytes are accepted for " + type
                        + "; request a new upload URL and PUT a smaller file", Actors.UPLOAD);
            } else if (upload.sizeBytes() == 0) {
                endings.finish(r, p, AssetStatus.Failed, FailureCode.UPLOAD_EMPTY,
                        "the uploaded object is empty (0 bytes): request a new upload URL and PUT the file itself",
                        Actors.UPLOAD);
            }
            return false; // failed just now, or arrived (the caller hands it over)
        }
        return r.now.getEpochSecond() < p.uploadDeadline() || !endings.failMissingUpload(r, p, p.uploadDeadline());
    }
}
