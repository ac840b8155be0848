package dev.assetlib.app.query;

import dev.assetlib.domain.DomainException;
import dev.assetlib.domain.ErrorCode;
import dev.assetlib.security.SignedTokens;
import dev.assetlib.store.AssetLists;

/**
 * The list's opaque {@code nextToken}, a {@link SignedTokens} token whose payload is the last
 * listed asset's index sort key ({@code {createdAt millis}#{assetId}}, both already visible to the
 * caller) and whose scope is the query's filters, so a token cannot be forged, altered, replayed by
 * another account, or reused with other filters: each of those is refused with a 400. {@code limit}
 * is not bound: a client may change its page size between pages.
 *
 * <p>The key comes from configuration ({@link dev.assetlib.config.Config#LIST_TOKEN_SECRET_ARN}
 * in AWS: a Secrets Manager secret that CloudFormation generates); rotating it invalidates
 * outstanding tokens, which clients recover from by listing again from the first page.
 */
public final class ListTokens {
    public static final int MIN_KEY_BYTES = SignedTokens.MIN_KEY_BYTES;
    private static final String PURPOSE = "list-v1";
    private static final int MAX_TOKEN_LENGTH = 512;

    private final SignedTokens tokens;

    public ListTokens(byte[] key) {
        this.tokens = new SignedTokens(key);
    }

    public String issue(String accountId, String filters, String position) {
        return tokens.issue(PURPOSE, accountId, filters, position);
    }

    /** The position the token carries, if this account issued it for these filters; otherwise a 400. */
    public String open(String token, String accountId, String filters) {
        return tokens.open(token, PURPOSE, accountId, filters, MAX_TOKEN_LENGTH)
                .filter(AssetLists::isPosition)
                .orElseThrow(() -> new DomainException(ErrorCode.NEXT_TOKEN_INVALID, "nextToken is not valid for this request: "
                        + "send the nextToken of the previous page unchanged, with the same filters, using the same API key; "
                        + "or leave it out to start from the newest asset"));
    }
}
