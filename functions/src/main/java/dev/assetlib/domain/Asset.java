package dev.assetlib.domain;

import java.time.Instant;

/**
 * One asset as stored. {@code errorCode}/{@code errorMessage} are set only when {@code Failed};
 * {@code name} may be null. {@code completionSent} guards the one completion message per asset.
 * {@code deletedAt} is set once the owner deleted it: the tombstone stays for the history's
 * retention period, and every API answers for it as for a missing asset. {@code media} is set once
 * the media step accepted the bytes (null before, and for a direct upload not yet inspected).
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
        boolean completionSent,
        Instant deletedAt,
        AssetMedia media,
        String findings) {

    /** {@code findings}: the automated review's findings as a JSON object (the public {@code findings}), or null. */
    public Asset(String accountId, String assetId, AssetType assetType, String url, String name, AssetStatus status,
                 Instant createdAt, Instant updatedAt, String errorCode, String errorMessage, String batchId,
                 boolean completionSent, Instant deletedAt, AssetMedia media) {
        this(accountId, assetId, assetType, url, name, status, createdAt, updatedAt, errorCode, errorMessage, batchId,
                completionSent, deletedAt, media, null);
    }

    public Asset(String accountId, String assetId, AssetType assetType, String url, String name, AssetStatus status,
                 Instant createdAt, Instant updatedAt, String errorCode, String errorMessage, String batchId,
                 boolean completionSent, Instant deletedAt) {
        this(accountId, assetId, assetType, url, name, status, createdAt, updatedAt, errorCode, errorMessage, batchId,
                completionSent, deletedAt, null);
    }

    public Asset(String accountId, String assetId, AssetType assetType, String url, String name, AssetStatus status,
                 Instant createdAt, Instant updatedAt, String errorCode, String errorMessage, String batchId,
                 boolean completionSent) {
        this(accountId, assetId, assetType, url, name, status, createdAt, updatedAt, errorCode, errorMessage, batchId,
                completionSent, null);
    }

    public String uri() {
        return "asset://" + assetId;
    }

    public boolean isDeleted() {
        return deletedAt != null;
    }
}
