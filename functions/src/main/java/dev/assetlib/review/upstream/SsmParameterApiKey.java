package dev.assetlib.review.upstream;

import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The upstream API key from an SSM Parameter Store SecureString, read (decrypted) once at start, so
 * a missing or unreadable parameter fails the cold start rather than a review; read again when the
 * upstream refuses the key (rotation). The execution role may read this one parameter only.
 */
public final class SsmParameterApiKey implements UpstreamApiKey {
    private static final Logger LOG = Logger.getLogger(SsmParameterApiKey.class.getName());

    private final SsmClient ssm;
    private final String parameterName;
    private volatile String key;

    public SsmParameterApiKey(SsmClient ssm, String parameterName) {
        this.ssm = ssm;
        this.parameterName = parameterName;
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
            LOG.log(Level.SEVERE, "could not read the upstream API key parameter " + parameterName + " again", e);
        }
    }

    private String read() {
        try {
            String value = ssm.getParameter(r -> r.name(parameterName).withDecryption(true)).parameter().value();
            if (value == null || value.isBlank()) {
                throw new IllegalStateException("SSM parameter " + parameterName + " (the upstream API key) is empty");
            }
            return value.trim();
        } catch (SdkException e) {
            throw new IllegalStateException("could not read SSM parameter " + parameterName
                    + " (the upstream API key; UPSTREAM_API_KEY_PARAMETER): " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "UpstreamApiKey(ssm:" + parameterName + ", hidden)";
    }
}
