package dev.assetlib.store;

import dev.assetlib.domain.Asset;

/**
 * A direct-upload asset and what is known of its object: {@code received} once the ObjectCreated
 * event was recorded, with the object's size and location.
 */
public record AssetUpload(Asset asset, boolean received, long sizeBytes, String location) {
}
