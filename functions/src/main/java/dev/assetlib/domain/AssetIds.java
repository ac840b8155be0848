package dev.assetlib.domain;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * Asset ids: {@code asset-{yyyyMMddHHmmss}-{5 of [a-z0-9]}}, the timestamp in UTC. Randomness alone
 * does not make them unique (36^5 values collide within minutes at scale): the store reserves each
 * id with a conditional write and asks for another on collision.
 */
public final class AssetIds {
    public static final Pattern FORMAT = Pattern.compile("asset-\\d{14}-[a-z0-9]{5}");
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    // SecureRandom rather than Random: a SnapStart snapshot would give every restored
    // environment the same Random seed, and so the same id sequence. Made on first use: building
    // the first SecureRandom loads the JDK's security providers (~25 ms of a cold start), which the
    // functions that never create an asset (query, status check) should not pay.
    private SecureRandom random;

    public AssetIds() {
        this(null);
    }

    public AssetIds(SecureRandom random) {
        this.random = random;
    }

    private synchronized SecureRandom random() {
        if (random == null) {
            random = new SecureRandom();
        }
        return random;
    }

    public String next(Instant now) {
        SecureRandom random = random();
        char[] suffix = new char[5];
        for (int i = 0; i < suffix.length; i++) {
            suffix[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return "asset-" + STAMP.format(now) + "-" + new String(suffix);
    }

    public static boolean isWellFormed(String id) {
        return id != null && FORMAT.matcher(id).matches();
    }
}
