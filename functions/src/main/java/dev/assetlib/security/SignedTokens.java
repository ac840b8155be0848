package dev.assetlib.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque, tamper-proof tokens handed to clients (paging cursors): {@code base64url(payload) "."
 * base64url(HMAC-SHA256)}. The MAC covers a purpose, the caller's account, a scope (e.g. a list's
 * filters) and the payload, each length-prefixed so no two different inputs collide; a token
 * altered, forged, made for another purpose, account or scope does not open. Only the canonical
 * encoding opens: base64 decoders ignore the unused low bits of the last character, which would
 * otherwise let a token be changed without changing what it says.
 */
public final class SignedTokens {
    public static final int MIN_KEY_BYTES = 32;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;

    public SignedTokens(byte[] key) {
        if (key == null || key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("a token signing key must have at least " + MIN_KEY_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    public String issue(String purpose, String accountId, String scope, String payload) {
        return ENCODER.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "."
                + ENCODER.encodeToString(mac(purpose, accountId, scope, payload));
    }

    /** The payload, when the token was issued for this purpose, account and scope and is unaltered. */
    public Optional<String> open(String token, String purpose, String accountId, String scope, int maxLength) {
        if (token == null || token.isEmpty() || token.length() > maxLength) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            return Optional.empty();
        }
        String encodedPayload = token.substring(0, dot);
        String encodedMac = token.substring(dot + 1);
        byte[] payload;
        byte[] given;
        try {
            payload = DECODER.decode(encodedPayload);
            given = DECODER.decode(encodedMac);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!ENCODER.encodeToString(payload).equals(encodedPayload) || !ENCODER.encodeToString(given).equals(encodedMac)) {
            return Optional.empty();
        }
        String text = new String(payload, StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, mac(purpose, accountId, scope, text)) ? Optional.of(text) : Optional.empty();
    }

    private byte[] mac(String purpose, String accountId, String scope, String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            for (String part : new String[] {purpose, accountId, scope, payload}) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                mac.update(new byte[] {(byte) (bytes.length >>> 24), (byte) (bytes.length >>> 16),
                    (byte) (bytes.length >>> 8), (byte) bytes.length});
                mac.update(bytes);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is in every JVM", e);
        }
    }
}
