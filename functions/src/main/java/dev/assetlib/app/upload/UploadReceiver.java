package dev.assetlib.app.upload;

import dev.assetlib.logging.LogText;

import dev.assetlib.domain.UploadKeys;
import dev.assetlib.store.AssetStore;
import java.time.Clock;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Records that a direct upload's object arrived. It only writes the asset (one conditional
 * update); the asset's running review sees the record at its next look and hands the media to the
 * reviewer, or fails it if it breaks the size limit. So it starts nothing itself, and a duplicate,
 * late or foreign event changes nothing.
 */
public final class UploadReceiver {
    private static final Logger LOG = Logger.getLogger(UploadReceiver.class.getName());

    public enum Outcome {
        /** The object of an asset awaiting it: recorded, its review proceeds. */
        RECORDED,
        /** Not an ObjectCreated event, or a key outside {@code uploads/{account}/{assetId}}: ignored. */
        IGNORED,
        /** No such asset in the key's account, or it no longer awaits an object (received, decided): nothing changes. */
        NOT_AWAITED
    }

    private final AssetStore store;
    private final Clock clock;

    public UploadReceiver(AssetStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** An event without ETag or version id (the media step then cannot pin its copy). */
    public Outcome receive(String eventName, String key, long sizeBytes) {
        return receive(eventName, key, sizeBytes, null, null);
    }

    /**
     * Records the first ObjectCreated of an awaited key with the ETag and version id it names; any
     * later one for the same key (a duplicate delivery, or a PUT that got past If-None-Match) finds
     * the object already received and changes nothing, so the media step copies the first object.
     *
     * @param eventName the S3 event name, such as {@code ObjectCreated:Put}
     * @param key       the object key, already URL-decoded
     * @param eTag      the event's {@code s3.object.eTag} (may be null)
     * @param versionId the event's {@code s3.object.versionId} (null in an unversioned bucket)
     */
    public Outcome receive(String eventName, String key, long sizeBytes, String eTag, String versionId) {
        if (eventName == null || !eventName.startsWith("ObjectCreated:")) {
            LOG.info(() -> "ignored S3 event " + LogText.safe(eventName) + " for " + LogText.safe(key));
            return Outcome.IGNORED;
        }
        Optional<UploadKeys.Parsed> parsed = UploadKeys.parse(key);
        if (parsed.isEmpty()) {
            LOG.info(() -> "ignored object outside uploads/{account}/{assetId}: " + LogText.safe(key));
            return Outcome.IGNORED;
        }
        UploadKeys.Parsed p = parsed.get();
        if (store.recordUpload(p.accountId(), p.assetId(), sizeBytes, eTag, versionId, clock.instant())) {
            LOG.info(() -> "recorded upload of " + p.assetId() + " (" + sizeBytes + " bytes, ETag " + eTag
                    + ", version " + versionId + ") for account " + p.accountId());
            return Outcome.RECORDED;
        }
        LOG.warning(() -> "object " + LogText.safe(key) + " is not awaited: no such asset in account " + p.accountId()
                + ", or it was already received or decided; nothing started");
        return Outcome.NOT_AWAITED;
    }
}
