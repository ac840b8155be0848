package dev.assetlib.app.upload;

import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.domain.UploadKeys;
import dev.assetlib.store.NewAsset;
import java.time.Duration;

/**
 * Direct upload of private media. The asset is created at once ({@code Processing}, awaiting its
 * object, its url the S3 location the object will have) and its review started at once too: the
 * review does not hand it to the reviewer until the ObjectCreated event is recorded, and fails it
 * with UPLOAD_MISSING if that never happens. So an accepted upload URL always ends Active or Failed
 * with one completion, with no second mechanism to sweep abandoned ones.
 */
public final class DirectUploadService {
    private final UploadService uploads;
    private final UploadUrlSigner signer;
    private final Duration urlExpiry;

    public DirectUploadService(UploadService uploads, UploadUrlSigner signer, Duration urlExpiry) {
        this.uploads = uploads;
        this.signer = signer;
        this.urlExpiry = urlExpiry;
    }

    public record Issued(Asset asset, SignedUpload upload) {
    }

    /** The URL is signed before the review starts: if signing fails, nothing is left behind. */
    public Issued issue(String accountId, UploadRequests.UploadUrlRequest request) {
        NewAsset asset = new NewAsset(request.assetType(), null, request.name(), AssetStatus.Processing,
                new NewAsset.DirectUpload(signer.bucket(), request.contentType()));
        SignedUpload[] signed = new SignedUpload[1];
        Asset created = uploads.uploadDirect(accountId, asset,
                a -> signed[0] = signer.presignPut(UploadKeys.key(accountId, a.assetId()), request.contentType(), urlExpiry));
        return new Issued(created, signed[0]);
    }
}
