package dev.assetlib.domain;

import java.time.Instant;

/**
 * One entry of an asset's history, written in the same transaction as the change it records.
 * {@code seq} is the asset's version after the change: it orders the history exactly as the
 * changes were committed, whatever the writers' clocks say.
 *
 * @param change   {@code created}, {@code status}, {@code uploaded} (a direct upload's object arrived),
 *                 {@code media} (the media step accepted the bytes), {@code findings} (an automated review's findings),
 *                 {@code renamed} or {@code deleted}
 * @param from     the status before (null for {@code created})
 * @param to       the status after (equal to {@code from} for a rename, an upload, and a delete of a decided asset)
 * @param fromName the name before, for {@code renamed} only
 * @param toName   the name after, for {@code renamed} only
 */
public record AssetEvent(
        String assetId,
        long seq,
        Instant time,
        String change,
        AssetStatus from,
        AssetStatus to,
        String actor,
        String reason,
        String errorCode,
        String fromName,
        String toName) {

    public static final String CREATED = "created";
    public static final String STATUS = "status";
    public static final String UPLOADED = "uploaded";
    /** The media step accepted the bytes (their facts are on the asset). */
    public static final String MEDIA = "media";
    /** An automated reviewer's findings were recorded on the asset (what it found, what its policy decided). */
    public static final String FINDINGS = "findings";
    public static final String RENAMED = "renamed";
    public static final String DELETED = "deleted";
}
