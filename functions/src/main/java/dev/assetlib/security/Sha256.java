package dev.assetlib.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of a text's UTF-8 bytes: the one digest of stored keys, fingerprints and derived ids. */
public final class Sha256 {
    private Sha256() {
    }

    public static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present in the JDK", e);
        }
    }

    /** The digest in lower-case hex (64 characters). */
    public static String hex(String text) {
        return HexFormat.of().formatHex(digest(text));
    }
}
