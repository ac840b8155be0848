package dev.assetlib.config;

import dev.assetlib.app.webhooks.WebhookSettings;
import dev.assetlib.fetch.FetchAllowList;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

/** The webhook part of {@link Config}: settings, the allow-list, and the key that seals endpoint secrets. */
public final class WebhookConfig {
    private WebhookConfig() {
    }

    public static WebhookSettings settings(Config config) {
        int max = Integer.parseInt(config.optional(Config.WEBHOOK_MAX_ENDPOINTS).orElse("5"));
        double scale = Double.parseDouble(config.optional(Config.WEBHOOK_TIME_SCALE).orElse("1"));
        int timeout = Integer.parseInt(config.optional(Config.WEBHOOK_TIMEOUT_SECONDS).orElse("10"));
        int disableAfter = Integer.parseInt(config.optional(Config.WEBHOOK_DISABLE_AFTER_FAILURES).orElse("5"));
        if (max < 1 || scale <= 0 || timeout < 1 || disableAfter < 1) {
            throw new IllegalStateException("webhook settings out of range: " + Config.WEBHOOK_MAX_ENDPOINTS + " >= 1, 0 < "
                    + Config.WEBHOOK_TIME_SCALE + ", " + Config.WEBHOOK_TIMEOUT_SECONDS + " >= 1, "
                    + Config.WEBHOOK_DISABLE_AFTER_FAILURES + " >= 1");
        }
        // https always, except to the local stack's allow-listed origins (ASSETLIB_FETCH_ALLOW, empty in AWS)
        return new WebhookSettings(max, true, Duration.ofSeconds(timeout), scale, disableAfter);
    }

    public static FetchAllowList allowList(Config config) {
        return FetchAllowList.parse(config.optional(FetchAllowList.ENV).orElse(null));
    }

    /**
     * The sealing key's material: the Secrets Manager secret {@link Config#WEBHOOK_SECRET_KEY_ARN}
     * (AWS; CloudFormation generates it), read once, or {@link Config#WEBHOOK_SECRET_KEY} (local stack only).
     */
    public static byte[] sealingKey(Config config, Supplier<SecretSource> secrets) {
        String value;
        if (config.optional(Config.WEBHOOK_SECRET_KEY_ARN).isPresent()) {
            String arn = config.require(Config.WEBHOOK_SECRET_KEY_ARN);
            value = secrets.get().secretString(arn);
        } else {
            value = config.optional(Config.WEBHOOK_SECRET_KEY).orElseThrow(() -> new IllegalStateException("set "
                    + Config.WEBHOOK_SECRET_KEY_ARN + " (AWS; template.yaml does) or " + Config.WEBHOOK_SECRET_KEY
                    + " (local stack only): the key that seals webhook secrets"));
        }
        if (value == null || value.length() < 32) {
            throw new IllegalStateException("the webhook sealing key must be at least 32 characters");
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
