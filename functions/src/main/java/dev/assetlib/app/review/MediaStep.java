package dev.assetlib.app.review;

import dev.assetlib.domain.Actors;
import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetMedia;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.domain.AssetType;
import dev.assetlib.media.MediaFacts;
import dev.assetlib.media.MediaInspector;
import dev.assetlib.media.MediaJob;
import dev.assetlib.media.MediaOutcome;
import dev.assetlib.media.MediaSource;
import dev.assetlib.store.AssetStore;
import dev.assetlib.store.AssetUpload;
import dev.assetlib.store.StatusChange;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The review's first task (state InspectMedia): every pending asset's bytes are fetched, hashed,
 * probed, checked and stored (MediaInspector, bounded concurrency) before any reviewer sees them.
 * A refused asset ends Failed with the step's code and message and its one completion; an accepted
 * one gets its {@code media} facts and goes on to review, unless the same bytes were already
 * approved in the account: then it takes that decision at once (Active, its history naming the
 * approved asset). A fault of ours on any item fails the task after every decided item is written,
 * so the state machine's retry redoes only the rest. Direct uploads still awaiting their object
 * pass through untouched; once their object arrived (CheckReview sends the review back here) it is
 * inspected and copied pinned to its ObjectCreated event's ETag/version. Assets already handed to
 * the reviewer are not looked at again.
 */
public final class MediaStep {
    private static final Set<AssetStatus> UNDECIDED = EnumSet.of(AssetStatus.submitted, AssetStatus.Processing);

    /** Some item met a fault of ours (S3, disk): the task fails and the state machine retries it. */
    public static final class MediaFault extends RuntimeException {
        public MediaFault(String message) {
            super(message);
        }
    }

    private final MediaInspector inspector;
    private final AssetStore store;
    private final CompletionPublisher completions;
    private final int concurrency;
    private final Clock clock;

    public MediaStep(MediaInspector inspector, AssetStore store, CompletionPublisher completions, int concurrency, Clock clock) {
        this.inspector = inspector;
        this.store = store;
        this.completions = completions;
        this.concurrency = concurrency;
        this.clock = clock;
    }

    public ReviewState inspect(ReviewState state) {
        // Each pending asset carries its own account (a shared execution reviews several accounts).
        List<ReviewState.PendingAsset> all = state.assets();
        Map<String, List<String>> idsByAccount = new java.util.LinkedHashMap<>();
        all.stream().filter(p -> !p.awaitsUpload() && p.url() != null && p.ref() == null)
                .forEach(p -> idsByAccount.computeIfAbsent(p.accountId(), a -> new ArrayList<>()).add(p.assetId()));
        Map<String, Asset> assets = new HashMap<>();
        // With what is known of a direct upload's object: the ETag/version its ObjectCreated event named.
        Map<String, AssetUpload> uploads = new HashMap<>();
        idsByAccount.forEach((account, ids) -> store.getUploads(account, ids).forEach((id, u) -> {
            assets.put(id, u.asset());
            uploads.put(id, u);
        }));
        List<MediaJob> jobs = new ArrayList<>();
        Map<String, ReviewState.PendingAsset> byId = new HashMap<>();
        List<ReviewState.PendingAsset> kept = new ArrayList<>();
        for (ReviewState.PendingAsset p : all) {
            String account = p.accountId();
            if (p.awaitsUpload() || p.url() == null || p.ref() != null) {
                kept.add(p); // its object has not arrived (nothing to inspect yet), or it is under review already
                continue;
            }
            Asset asset = assets.get(p.assetId());
            if (asset == null) {
                continue; // removed: nothing left to review
            }
            if (asset.status().isTerminal()) {
                complete(account, p.assetId(), Optional.of(asset)); // decided by an earlier attempt: its completion may be owed
                continue;
            }
            byId.put(p.assetId(), p);
            if (asset.media() != null) {
                continue; // inspected by an earlier attempt of this task
            }
            jobs.add(new MediaJob(account, p.assetId(), AssetType.valueOf(p.assetType()), source(p, uploads.get(p.assetId()))));
        }
        Map<String, AssetMedia> accepted = new HashMap<>();
        assets.forEach((id, a) -> {
            if (a.media() != null && byId.containsKey(id)) {
                accepted.put(id, a.media());
            }
        });
        List<String> faults = new ArrayList<>();
        Instant now = clock.instant();
        for (MediaOutcome outcome : inspector.inspectAll(jobs, concurrency)) {
            if (outcome instanceof MediaOutcome.Accepted a) {
                AssetMedia media = toAsset(a.facts(), a.stored().key(), a.stored().reviewKey());
                store.recordMedia(byId.get(a.assetId()).accountId(), a.assetId(), media, now);
                accepted.put(a.assetId(), media);
            } else if (outcome instanceof MediaOutcome.Refused r) {
                String account = byId.get(r.assetId()).accountId();
                complete(account, r.assetId(), store.transition(StatusChange.of(account, r.assetId())
                        .from(UNDECIDED).to(AssetStatus.Failed).failing(r.code(), r.describe())
                        .by(Actors.MEDIA).at(now)));
                byId.remove(r.assetId());
            } else if (outcome instanceof MediaOutcome.Fault f) {
                faults.add(f.assetId() + ": " + f.message());
            }
        }
        if (!faults.isEmpty()) {
            throw new MediaFault("media step fault, retried: " + String.join("; ", faults));
        }
        for (ReviewState.PendingAsset p : all) {
            if (!byId.containsKey(p.assetId())) {
                continue;
            }
            AssetMedia media = accepted.get(p.assetId());
            if (media != null && media.sha256() != null && takeTwinDecision(p.accountId(), p.assetId(), media.sha256(), now)) {
                continue;
            }
            kept.add(p);
        }
        return state.withPending(kept);
    }

    /**
     * Identical bytes are reviewed once: when an Active, live asset of the account has this SHA-256,
     * this asset becomes Active too, its history naming that asset. A rejected or deleted twin is
     * not taken over (only approvals write the marker, and the twin is read again here).
     */
    private boolean takeTwinDecision(String account, String assetId, String sha256, Instant now) {
        Optional<String> twinId = store.approvedTwin(account, sha256).filter(id -> !id.equals(assetId));
        if (twinId.isEmpty()) {
            return false;
        }
        Optional<Asset> twin = store.getLive(account, twinId.get());
        if (twin.isEmpty() || twin.get().status() != AssetStatus.Active) {
            return false;
        }
        Optional<Asset> moved = store.transition(StatusChange.of(account, assetId).from(UNDECIDED).to(AssetStatus.Active)
                .because("identical bytes (sha256 " + sha256 + ") to " + twinId.get()
                        + ", already approved: its decision is taken over without a second review")
                .by(Actors.MEDIA).at(now));
        complete(account, assetId, moved);
        return true;
    }

    /**
     * A client's URL is fetched; a direct upload's object ({@code s3://} location, arrived) is read
     * and copied pinned to the ETag and version its ObjectCreated event named, so an object put
     * later under the same key is never the one inspected or copied.
     */
    static MediaSource source(ReviewState.PendingAsset p, AssetUpload upload) {
        if (!p.url().startsWith("s3://") || upload == null) {
            return new MediaSource.FromUrl(URI.create(p.url()));
        }
        return new MediaSource.FromUpload(upload.bucket(), upload.key(), upload.versionId(), upload.eTag());
    }

    /** The asset's media facts from the probe's, with the stored copy's key. */
    static AssetMedia toAsset(MediaFacts f, String storedKey) {
        return toAsset(f, storedKey, null);
    }

    /** @param reviewKey the JPEG rendition made for review beside the copy, or null */
    static AssetMedia toAsset(MediaFacts f, String storedKey, String reviewKey) {
        return new AssetMedia(f.format().wireName(), f.bytes(), f.sha256(), f.width(),
                f.height(), f.durationMs(), f.fps(), storedKey, f.videoCodec(), reviewKey);
    }

    /** Sends the completion of a terminal asset unless already sent (same rule as the review's). */
    private void complete(String account, String assetId, Optional<Asset> moved) {
        Asset asset = moved.or(() -> store.get(account, assetId)).orElse(null);
        if (asset == null || !asset.status().isTerminal() || asset.completionSent()) {
            return;
        }
        if (asset.status() == AssetStatus.Active && !store.claimActiveCompletion(account, assetId)) {
            // A delete came first (see ReviewWorkflow.complete): its Failed/DELETED is the one completion.
            Asset now = store.get(account, assetId).orElse(null);
            if (now != null && now.status() == AssetStatus.Failed && !now.completionSent()) {
                completions.publish(now);
                store.markCompletionSent(account, assetId);
            }
            return;
        }
        completions.publish(asset);
        store.markCompletionSent(account, assetId);
    }
}
