package dev.assetlib.review.upstream;

import java.util.logging.Level;
import java.util.logging.Logger;
import dev.assetlib.config.SecretSource;

/**
 * The upstream API key from an AWS Secrets Manager secret (its string value), read once at start,
 * so a missing or unreadable secret fails the cold start rather than a review; read again when the
 * upstream refuses the key (rotation). The execution role may read this one secret only.
 * (Secrets Manager rather than SSM Parameter Store: the service already reads its secrets there,
 * with SecretsManagerReader; the SSM client would add 6 MB to every function's package.)
 */
public final class SecretsManagerApiKey implements UpstreamApiKey {
    private static final Logger LOG = Logger.getLogger(SecretsManagerApiKey.class.getName());

    private final SecretSource secrets;
    private final String secretId;
    private volatile String key;

    public SecretsManagerApiKey(SecretSource secrets, String secretId) {
        this.secrets = secrets;
        this.secretId = secretId;
        this.key = read();
    }

    @Override
    public String get() {
        return key;
    }

    @Override
    public void refresh() {
        try {
            key = read();
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "could not read the upstream API key secret " + secretId + " again", e);
        }
    }

    private String read() {
        try {
            String value = secrets.secretString(secretId);
            if (value == null || value.isBlank()) {
                throw new IllegalStateException("secret " + secretId + " (the upstream API key) is empty");
            }
            return value.trim();
        } catch (SecretSource.Unreadable e) {
            throw new IllegalStateException("could not read secret " + secretId
                    + " (the upstream API key; UPSTREAM_API_KEY_SECRET): " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "UpstreamApiKey(secretsmanager:" + secretId + ", hidden)";
    }
}
