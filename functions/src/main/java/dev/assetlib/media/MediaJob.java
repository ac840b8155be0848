package dev.assetlib.media;

import dev.assetlib.domain.AssetType;

/** One asset for the media step. */
public record MediaJob(String accountId, String assetId, AssetType declared, MediaSource source) {
}
