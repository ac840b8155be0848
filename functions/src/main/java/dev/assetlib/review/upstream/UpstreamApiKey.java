package dev.assetlib.review.upstream;

/**
 * The API key the upstream reviewer sends as {@code Authorization: Bearer}. In AWS it is read from
 * AWS Secrets Manager ({@link SecretsManagerApiKey}); the local stack gives it directly
 * ({@link #fixed}). Never logged, never put in an exception message.
 */
public interface UpstreamApiKey {
    String get();

    /** The upstream refused the key (401/403): read it again, it may have been rotated. */
    default void refresh() {
    }

    static UpstreamApiKey fixed(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("the upstream API key is empty");
        }
        return new UpstreamApiKey() {
            @Override
            public String get() {
                return key;
            }

            @Override
            public String toString() {
                return "UpstreamApiKey(fixed, hidden)";
            }
        };
    }
}
