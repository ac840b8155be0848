package dev.assetlib.api;

import dev.assetlib.store.AssetLists;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The list's opaque {@code nextToken}: {@code base64url(position) "." base64url(HMAC-SHA256)}.
 * The position is the last listed asset's index sort key ({@code {createdAt millis}#{assetId}},
 * both already visible to the caller). The MAC covers the position, the caller's account and the
 * query's filters, so a token cannot be forged, altered, replayed by another account, or reused
 * with other filters: each of those is refused with a 400. {@code limit} is not bound: a client may
 * change its page size between pages.
 *
 * <p>The key comes from configuration ({@link dev.assetlib.config.Config#LIST_TOKEN_SECRET_ARN}
 * in AWS: a Secrets Manager secret that CloudFormation generates); rotating it invalidates
 * outstanding tokens, which clients recover from by listing again from the first page.
 */
public final class ListTokens {
    public static final int MIN_KEY_BYTES = 32;
    private static final int MAX_TOKEN_LENGTH = 512;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;

    public ListTokens(byte[] key) {
        if (key == null || key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("the list token key must have at least " + MIN_KEY_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    public String issue(String accountId, String filters, String position) {
        return ENCODER.encodeToString(position.getBytes(StandardCharsets.UTF_8)) + "." + ENCODER.encodeToString(mac(accountId, filters, position));
    }

    /** The position the token carries, if this account issued it for these filters; otherwise a 400. */
    public String open(String token, String accountId, String filters) {
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw invalid();
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            throw invalid();
        }
        String position;
        byte[] given;
        try {
            position = new String(Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.UTF_8);
            given = Base64.getUrlDecoder().decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (!MessageDigest.isEqual(given, mac(accountId, filters, position)) || !AssetLists.isPosition(position)) {
            throw invalid();
        }
        return position;
    }

    private byte[] mac(String accountId, String filters, String position) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            // Length-prefixed fields: no two different (account, filters, position) give the same input.
            for (String part : new String[] {"list-v1", accountId, filters, position}) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                mac.update(new byte[] {(byte) (bytes.length >>> 24), (byte) (bytes.length >>> 16),
                    (byte) (bytes.length >>> 8), (byte) bytes.length});
                mac.update(bytes);
            }
            return mac.doFinal();
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is in every JVM", e);
        }
    }

    private static ApiException invalid() {
        return new ApiException(ErrorCode.NEXT_TOKEN_INVALID, "nextToken is not valid for this request: send the "
                + "nextToken of the previous page unchanged, with the same filters, using the same API key; "
                + "or leave it out to start from the newest asset");
    }
}
