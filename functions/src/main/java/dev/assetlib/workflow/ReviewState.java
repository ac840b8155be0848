package dev.assetlib.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The state the review state machine carries between its tasks: the execution input, and each
 * task's output. Only still-pending assets are carried, so a round's cost does not grow with what is
 * already decided. {@code error} is set by the state machine's Catch ({@code {"Error","Cause"}}).
 *
 * @param kind     {@code single} (Seedance 2.0, created Processing) or {@code batch} (SD2 Manxue, created submitted)
 * @param deadline epoch second after which pending assets fail with a timeout reason
 */
public record ReviewState(
        String accountId,
        String batchId,
        String kind,
        long deadline,
        int round,
        long waitSeconds,
        boolean done,
        List<PendingAsset> pending,
        JsonNode error) {

    public static final String SINGLE = "single";
    public static final String BATCH = "batch";

    /**
     * One asset still under review; {@code ref} is the reviewer's reference once it accepted it.
     * A direct upload starts with no {@code url} and an {@code uploadDeadline} (epoch second): it
     * awaits its object and is not handed to the reviewer until the object has arrived; if it has
     * not by then, the asset fails with {@code UPLOAD_MISSING}.
     */
    public record PendingAsset(String assetId, String assetType, String url, String ref, Long uploadDeadline) {
        public PendingAsset(String assetId, String assetType, String url, String ref) {
            this(assetId, assetType, url, ref, null);
        }

        /** A direct upload whose object has not arrived yet. */
        public static PendingAsset awaitingUpload(String assetId, String assetType, long uploadDeadline) {
            return new PendingAsset(assetId, assetType, null, null, uploadDeadline);
        }

        public boolean awaitsUpload() {
            return uploadDeadline != null;
        }

        PendingAsset withRef(String newRef) {
            return new PendingAsset(assetId, assetType, url, newRef, uploadDeadline);
        }

        /** The object arrived at {@code location}: ready for the reviewer. */
        PendingAsset uploaded(String location) {
            return new PendingAsset(assetId, assetType, location, null, null);
        }
    }

    ReviewState withRound(int newRound) {
        return new ReviewState(accountId, batchId, kind, deadline, newRound, waitSeconds, done, pending, error);
    }

    ReviewState next(List<PendingAsset> stillPending, long nextWait) {
        return new ReviewState(accountId, batchId, kind, deadline, round + 1, nextWait,
                stillPending.isEmpty(), List.copyOf(stillPending), null);
    }
}
