package dev.assetlib.domain;

import java.util.Optional;

/**
 * Object keys of direct uploads: {@code uploads/{accountId}/{assetId}}. The key binds the object to
 * one account and one asset, so the ObjectCreated handler can find the asset under that account's
 * partition only: a key naming another account's asset finds nothing there.
 */
public final class UploadKeys {
    public static final String PREFIX = "uploads/";
    private static final java.util.regex.Pattern ACCOUNT = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private UploadKeys() {
    }

    public static String key(String accountId, String assetId) {
        return PREFIX + accountId + "/" + assetId;
    }

    public static String location(String bucket, String accountId, String assetId) {
        return "s3://" + bucket + "/" + key(accountId, assetId);
    }

    /** The account and asset a key names, or empty for any key that is not exactly an upload key. */
    public static Optional<Parsed> parse(String key) {
        if (key == null || !key.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] parts = key.substring(PREFIX.length()).split("/", -1);
        if (parts.length != 2 || !ACCOUNT.matcher(parts[0]).matches() || !AssetIds.isWellFormed(parts[1])) {
            return Optional.empty();
        }
        return Optional.of(new Parsed(parts[0], parts[1]));
    }

    public record Parsed(String accountId, String assetId) {
    }
}
