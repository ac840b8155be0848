package dev.assetlib.review.human;

import dev.assetlib.domain.AssetIds;
import dev.assetlib.security.SignedTokens;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Opaque paging tokens for the review queue: a {@link SignedTokens} token whose payload is the last
 * listed asset id, bound to the caller's account. The key is the deployment's own ({@link
 * dev.assetlib.store.SigningKeyStore}), fetched on first use.
 */
public final class PageTokens {
    private static final String PURPOSE = "review-pending-v1";
    private static final int MAX_TOKEN_LENGTH = 200;
    private final Supplier<byte[]> key;
    private volatile SignedTokens tokens;

    public PageTokens(Supplier<byte[]> key) {
        this.key = key;
    }

    public String issue(String accountId, String lastAssetId) {
        return tokens().issue(PURPOSE, accountId, "", lastAssetId);
    }

    /** The asset id the token continues after, if it is one of ours, for this account, unaltered. */
    public Optional<String> verify(String accountId, String token) {
        return tokens().open(token, PURPOSE, accountId, "", MAX_TOKEN_LENGTH).filter(AssetIds::isWellFormed);
    }

    private SignedTokens tokens() {
        SignedTokens t = tokens;
        if (t == null) {
            t = new SignedTokens(key.get());
            tokens = t;
        }
        return t;
    }
}
