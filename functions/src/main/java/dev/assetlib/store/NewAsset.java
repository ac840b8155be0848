package dev.assetlib.store;

import dev.assetlib.domain.AssetStatus;
import dev.assetlib.domain.AssetType;

/** What an upload asks the store to create; the store gives it an id. */
public record NewAsset(AssetType assetType, String url, String name, AssetStatus initialStatus) {
}
