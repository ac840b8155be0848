package dev.assetlib.app.manage;

import dev.assetlib.objects.MediaCopies;
import java.util.logging.Logger;

/**
 * Keeps an asset's stored copy exactly as long as the asset, from the asset's own changes (the
 * table's stream): a copy is marked when its asset becomes Failed (the lifecycle rule then expires
 * it after FailedMediaRetentionDays), and deleted when its asset is deleted or its item removed
 * (the tombstone's TTL expiry, at the latest). Independent of which code path made the change, so
 * no fail path has to remember it. Every action is idempotent: a redelivered change is harmless.
 */
public final class MediaLifecycle {
    private static final Logger LOG = Logger.getLogger(MediaLifecycle.class.getName());

    /** One change of an asset item, as far as its media cares. */
    public record AssetChange(String accountId, String assetId, String oldStatus, String newStatus,
                              boolean wasDeleted, boolean isDeleted, boolean removed, String sha256) {
    }

    public enum Action { DELETED_COPY, MARKED_FAILED, NOTHING }

    private final MediaCopies copies;

    public MediaLifecycle(MediaCopies copies) {
        this.copies = copies;
    }

    public Action apply(AssetChange c) {
        if (c.removed() || (c.isDeleted() && !c.wasDeleted())) {
            copies.delete(c.accountId(), c.assetId());
            LOG.info(() -> "deleted the media copy of " + (c.removed() ? "removed" : "deleted") + " asset " + c.assetId());
            return Action.DELETED_COPY;
        }
        if (!c.isDeleted() && "Failed".equals(c.newStatus()) && !"Failed".equals(c.oldStatus())) {
            boolean marked = copies.markFailed(c.accountId(), c.assetId(), c.sha256());
            return marked ? Action.MARKED_FAILED : Action.NOTHING;
        }
        return Action.NOTHING;
    }
}
