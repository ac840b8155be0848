package dev.assetlib.app.webhooks;

/**
 * Keeps signing secrets encrypted at rest but recoverable (a signature needs the key itself, so a
 * hash will not do): KMS in AWS, a local key in the local stack. {@code context} binds a sealed
 * secret to its endpoint, so it cannot be moved to another account's item and opened there.
 */
public interface SecretSealer {
    String seal(byte[] key, String context);

    byte[] open(String sealed, String context);
}
