package dev.assetlib.objects;

/**
 * The port to an asset's stored media copy ({@code media/{accountId}/{assetId}} in the media
 * bucket), as far as its life cycle needs it: deleted with the asset, marked when the asset fails.
 */
public interface MediaCopies {
    /** No media bucket configured: nothing to delete or mark. */
    MediaCopies NONE = new MediaCopies() {
        @Override
        public void delete(String accountId, String assetId) {
        }

        @Override
        public boolean markFailed(String accountId, String assetId, String sha256) {
            return false;
        }
    };

    /** Deletes the asset's copy; a copy that is not there is no error. Throws when the store does not answer. */
    void delete(String accountId, String assetId);

    /**
     * Marks the copy of a Failed asset for the Failed-media lifecycle rule, keeping its SHA-256 tag
     * ({@code sha256} null when the asset's item names none); false when there is no copy.
     */
    boolean markFailed(String accountId, String assetId, String sha256);
}
