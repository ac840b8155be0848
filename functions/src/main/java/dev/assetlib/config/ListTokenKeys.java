package dev.assetlib.config;

import java.nio.charset.StandardCharsets;

/**
 * Where the list tokens' HMAC key comes from. In AWS: the Secrets Manager secret named by
 * {@link Config#LIST_TOKEN_SECRET_ARN}, which template.yaml has CloudFormation generate (64 random
 * characters, never in code, the template or an environment variable); it is read once when the
 * function initialises. Locally: {@link Config#LIST_TOKEN_KEY}, which the local stack fills with a
 * random value at start. Neither set is a configuration error that fails the cold start.
 */
public final class ListTokenKeys {
    public static final int MIN_LENGTH = 32;

    private ListTokenKeys() {
    }

    public static byte[] load(Config config, java.util.function.Supplier<SecretSource> secrets) {
        String value;
        String source;
        if (config.optional(Config.LIST_TOKEN_SECRET_ARN).isPresent()) {
            source = Config.LIST_TOKEN_SECRET_ARN;
            String arn = config.require(Config.LIST_TOKEN_SECRET_ARN);
            value = secrets.get().secretString(arn);
        } else if (config.optional(Config.LIST_TOKEN_KEY).isPresent()) {
            source = Config.LIST_TOKEN_KEY;
            value = config.require(Config.LIST_TOKEN_KEY);
        } else {
            throw new IllegalStateException("set " + Config.LIST_TOKEN_SECRET_ARN + " (AWS; template.yaml does) or "
                    + Config.LIST_TOKEN_KEY + " (local stack only): the key that signs list nextTokens");
        }
        if (value == null || value.length() < MIN_LENGTH) {
            throw new IllegalStateException("the list token key from " + source + " must be at least " + MIN_LENGTH + " characters");
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
