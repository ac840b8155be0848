package dev.assetlib.app.manage;

/**
 * The port to the asset's stored media copy ({@code media/{accountId}/{assetId}} in the media
 * bucket), as far as deleting an asset needs it.
 */
public interface MediaCopies {
    /** No media bucket configured: nothing to delete. */
    MediaCopies NONE = (accountId, assetId) -> { };

    /** Deletes the asset's copy; a copy that is not there is no error. Throws when the store does not answer. */
    void delete(String accountId, String assetId);
}
