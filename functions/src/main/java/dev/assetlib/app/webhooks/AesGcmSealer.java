package dev.assetlib.app.webhooks;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals webhook secrets with AES-256-GCM under a data key (the SHA-256 of the deployment's
 * webhook key material: a Secrets Manager secret in AWS, a random value of the run locally),
 * with the endpoint's context as associated data: {@code v1.} + base64(nonce || ciphertext+tag).
 */
public final class AesGcmSealer implements SecretSealer {
    private static final int NONCE = 12;
    private final SecretKeySpec key;
    private final SecureRandom random;

    public AesGcmSealer(byte[] keyMaterial, SecureRandom random) {
        try {
            this.key = new SecretKeySpec(MessageDigest.getInstance("SHA-256").digest(keyMaterial), "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        this.random = random;
    }

    @Override
    public String seal(byte[] secret, String context) {
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(secret);
            return "v1." + Base64.getEncoder().encodeToString(ByteBuffer.allocate(NONCE + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JVM", e);
        }
    }

    @Override
    public byte[] open(String sealed, String context) {
        if (!sealed.startsWith("v1.")) {
            throw new IllegalStateException("not a sealed webhook secret");
        }
        byte[] all = Base64.getDecoder().decode(sealed.substring(3));
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, NONCE));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(all, NONCE, all.length - NONCE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a webhook secret could not be opened (another key, or moved between endpoints)", e);
        }
    }
}
