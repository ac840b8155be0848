package dev.assetlib.store;

/**
 * The reuse claim an upload writes with its asset: over no claim ({@code staleAssetId} null), or over
 * the claim of an asset that can no longer be reused (gone, deleted or Failed), named so the write
 * is conditional on nobody having replaced it meanwhile.
 */
public record ReuseClaim(String staleAssetId) {
}
