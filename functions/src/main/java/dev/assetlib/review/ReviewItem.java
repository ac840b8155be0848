package dev.assetlib.review;

import dev.assetlib.domain.AssetType;

/** What a reviewer is given for one asset. */
public record ReviewItem(String accountId, String assetId, AssetType assetType, String url) {
}
