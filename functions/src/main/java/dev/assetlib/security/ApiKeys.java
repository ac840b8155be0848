package dev.assetlib.security;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * API keys: {@code alk_} and 43 base64url characters (256 random bits). Only their SHA-256 is ever
 * stored; with that much entropy a plain hash cannot be reversed by guessing, and it lets the
 * authorizer find a key with one GetItem.
 */
public final class ApiKeys {
    public static final String PREFIX = "alk_";
    private static final Pattern FORMAT = Pattern.compile("alk_[A-Za-z0-9_-]{43}");
    private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private ApiKeys() {
    }

    public static String generate(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return PREFIX + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static boolean isWellFormed(String key) {
        return key != null && FORMAT.matcher(key).matches();
    }

    public static boolean isValidAccountId(String accountId) {
        return accountId != null && ACCOUNT.matcher(accountId).matches();
    }

    public static String hash(String key) {
        return Sha256.hex(key);
    }

    /** The key from an {@code Authorization} header value ("Bearer KEY"), or null if there is none. */
    public static String fromAuthorizationHeader(String header) {
        if (header == null) {
            return null;
        }
        String value = header.trim();
        if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return value.substring(7).trim();
        }
        return null;
    }
}
