package dev.assetlib.config;

/** A secret's string value by its id or ARN (in AWS: Secrets Manager's GetSecretValue). */
@FunctionalInterface
public interface SecretSource {
    /** The secret's SecretString; {@link Unreadable} when it is missing, denied, binary or the service cannot be reached. */
    String secretString(String secretId);

    final class Unreadable extends RuntimeException {
        public Unreadable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
