package dev.assetlib.app;

import dev.assetlib.domain.AssetIds;
import dev.assetlib.domain.DomainException;
import dev.assetlib.domain.ErrorCode;

/** The refusals every asset-id route shares: an id that cannot be one, and an id this account does not have. */
public final class AssetIdRules {
    private AssetIdRules() {
    }

    public static void requireWellFormed(String assetId) {
        if (!AssetIds.isWellFormed(assetId)) {
            throw new DomainException(ErrorCode.ASSET_ID_INVALID, "assetId \"" + assetId
                    + "\" is not an asset id: they look like asset-20260330142158-q75m8");
        }
    }

    public static DomainException notFound(String assetId) {
        return new DomainException(ErrorCode.ASSET_NOT_FOUND, "asset " + assetId + " not found");
    }
}
