package dev.assetlib.domain;

import java.time.Instant;

/**
 * One asset as stored. {@code errorCode}/{@code errorMessage} are set only when {@code Failed};
 * {@code name} may be null. {@code completionSent} guards the one completion message per asset.
 */
public record Asset(
        String accountId,
        String assetId,
        AssetType assetType,
        String url,
        String name,
        AssetStatus status,
        Instant createdAt,
        Instant updatedAt,
        String errorCode,
        String errorMessage,
        String batchId,
        boolean completionSent) {

    public String uri() {
        return "asset://" + assetId;
    }
}
