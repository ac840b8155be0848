package dev.assetlib.review.human;

import dev.assetlib.domain.AssetIds;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque paging tokens for the review queue: {@code base64url(last asset id) "." base64url(HMAC-SHA256)},
 * the MAC over the purpose, the caller's account and the payload. A token altered, forged, or made
 * for another account does not verify. The key is the deployment's own ({@link
 * dev.assetlib.store.SigningKeyStore}), fetched on first use.
 */
public final class PageTokens {
    private static final String PURPOSE = "review-pending-v1";
    private final Supplier<byte[]> key;
    private volatile byte[] cached;

    public PageTokens(Supplier<byte[]> key) {
        this.key = key;
    }

    public String issue(String accountId, String lastAssetId) {
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(lastAssetId.getBytes(StandardCharsets.UTF_8));
        return payload + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(accountId, payload));
    }

    /** The asset id the token continues after, if it is one of ours, for this account, unaltered. */
    public Optional<String> verify(String accountId, String token) {
        if (token == null || token.length() > 200) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            return Optional.empty();
        }
        String payload = token.substring(0, dot);
        byte[] given;
        String assetId;
        try {
            given = Base64.getUrlDecoder().decode(token.substring(dot + 1));
            assetId = new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(given, mac(accountId, payload)) || !AssetIds.isWellFormed(assetId)) {
            return Optional.empty();
        }
        return Optional.of(assetId);
    }

    private byte[] mac(String accountId, String payload) {
        byte[] k = cached;
        if (k == null) {
            k = key.get();
            cached = k;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(k, "HmacSHA256"));
            return mac.doFinal((PURPOSE + "\n" + accountId + "\n" + payload).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is always present in the JDK", e);
        }
    }
}
