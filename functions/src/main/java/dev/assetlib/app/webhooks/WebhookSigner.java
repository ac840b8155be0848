package dev.assetlib.app.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.StringJoiner;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures: {@code v1,} + base64 of HMAC-SHA256 over
 * {@code {webhook-id}.{webhook-timestamp}.{body}}, keyed with the base64-decoded part of the
 * secret after {@code whsec_}. Several secrets (during a rotation) give space-separated signatures.
 */
public final class WebhookSigner {
    public static final String PREFIX = "whsec_";
    private static final int SECRET_BYTES = 32;

    private WebhookSigner() {
    }

    /** A new secret as shown to its owner once: {@code whsec_} + base64 of 32 random bytes. */
    public static String newSecret(SecureRandom random) {
        byte[] key = new byte[SECRET_BYTES];
        random.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    public static byte[] keyOf(String secret) {
        if (!secret.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a webhook secret starts with " + PREFIX);
        }
        return Base64.getDecoder().decode(secret.substring(PREFIX.length()));
    }

    public static String sign(List<byte[]> keys, String id, long timestampSeconds, String body) {
        StringJoiner out = new StringJoiner(" ");
        byte[] content = (id + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8);
        for (byte[] key : keys) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                out.add("v1," + Base64.getEncoder().encodeToString(mac.doFinal(content)));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is part of every JVM", e);
            }
        }
        return out.toString();
    }
}
