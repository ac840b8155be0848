package dev.assetlib.auth;

import dev.assetlib.security.ApiKeys;
import dev.assetlib.domain.AccountLimits;
import dev.assetlib.store.AccountPlans;
import dev.assetlib.store.ApiKeyStore;
import dev.assetlib.aws.AwsClients;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The operator's command for API keys (see README "API keys"):
 * <pre>
 *   api-keys create --table T --account ACCOUNT [--role uploader|reviewer] [--region R] [--endpoint-url URL]
 *   api-keys revoke --table T (--key KEY | --hash SHA256) [--region R] [--endpoint-url URL]
 *   api-keys limits --table T --account ACCOUNT [--uploads-per-second N] [--reads-per-second N]
 *       [--management-per-second N] [--review-per-second N] [--in-review N] [--stored-assets N]
 *       [--stored-bytes N] [--uploads-per-day N] [--clear true]
 * </pre>
 * {@code limits} sets an account's plan overrides (docs/quotas.md) and prints them; without a
 * limit option it prints them only; {@code --clear true} removes them all first.
 * {@code create} prints the new key once; only its hash is stored. Uses the default AWS credential
 * chain (your profile), or dummy credentials with {@code --endpoint-url} (the local stack).
 */
public final class ApiKeyAdmin {
    private ApiKeyAdmin() {
    }

    public static void main(String[] args) {
        try {
            System.out.println(run(args));
        } catch (IllegalArgumentException e) {
            System.err.println("api-keys: " + e.getMessage());
            System.err.println("usage: api-keys create --table T --account ACCOUNT [--role uploader|reviewer] [--region R] [--endpoint-url URL]");
            System.err.println("       api-keys revoke --table T (--key KEY | --hash SHA256) [--region R] [--endpoint-url URL]");
            System.err.println("       api-keys limits --table T --account ACCOUNT [--uploads-per-second N] [--in-review N] ... (docs/quotas.md)");
            System.exit(2);
        }
    }

    static String run(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("a command is required: create or revoke");
        }
        Map<String, String> opts = options(args);
        String table = required(opts, "table");
        String endpoint = opts.get("endpoint-url");
        Region region = Region.of(opts.getOrDefault("region", System.getenv().getOrDefault("AWS_REGION", "us-east-1")));
        try (AwsClients clients = endpoint == null
                ? new AwsClients(region, DefaultCredentialsProvider.builder().build(), Map.of())
                : new AwsClients(region, StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")),
                        Map.of("dynamodb", URI.create(endpoint)))) {
            ApiKeyStore store = new ApiKeyStore(clients.dynamoDb(), table);
            switch (args[0]) {
                case "create": {
                    String role = opts.getOrDefault("role", "uploader");
                    if (!role.equals("uploader") && !role.equals("reviewer")) {
                        throw new IllegalArgumentException("--role is uploader or reviewer");
                    }
                    String key = store.create(required(opts, "account"), role, new SecureRandom(), Instant.now());
                    return key;
                }
                case "revoke": {
                    String hash = opts.containsKey("key") ? ApiKeys.hash(opts.get("key")) : required(opts, "hash");
                    if (!store.revoke(hash, Instant.now())) {
                        throw new IllegalArgumentException("no such key");
                    }
                    return "revoked " + hash;
                }
                case "limits":
                    return limits(new AccountPlans(clients.dynamoDb(), table, AccountLimits.VENDOR_DEFAULTS,
                            java.time.Duration.ZERO, java.time.Clock.systemUTC()), required(opts, "account"), opts);
                default:
                    throw new IllegalArgumentException("unknown command \"" + args[0] + "\": create, revoke or limits");
            }
        }
    }

    /** The options of {@code limits}, each a field of the plan. */
    private static final Map<String, String> LIMIT_OPTIONS = Map.of(
            "uploads-per-second", "uploadsPerSecond", "reads-per-second", "readsPerSecond",
            "management-per-second", "managementPerSecond", "review-per-second", "reviewPerSecond",
            "in-review", AccountLimits.IN_REVIEW, "stored-assets", AccountLimits.STORED_ASSETS,
            "stored-bytes", AccountLimits.STORED_BYTES, "uploads-per-day", AccountLimits.UPLOADS_PER_DAY);

    private static String limits(AccountPlans plans, String account, Map<String, String> opts) {
        if (!ApiKeys.isValidAccountId(account)) {
            throw new IllegalArgumentException("--account \"" + account + "\" is not a valid account id");
        }
        Map<String, Long> changes = new HashMap<>();
        for (Map.Entry<String, String> o : opts.entrySet()) {
            String field = LIMIT_OPTIONS.get(o.getKey());
            if (field == null) {
                if (!java.util.Set.of("table", "account", "region", "endpoint-url", "clear").contains(o.getKey())) {
                    throw new IllegalArgumentException("unknown option --" + o.getKey() + ": " + LIMIT_OPTIONS.keySet());
                }
                continue;
            }
            try {
                long v = Long.parseLong(o.getValue());
                if (v < 0) {
                    throw new NumberFormatException();
                }
                changes.put(field, v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + o.getKey() + " must be a whole number of 0 or more");
            }
        }
        if (Boolean.parseBoolean(opts.getOrDefault("clear", "false"))) {
            plans.clearOverrides(account);
        }
        if (!changes.isEmpty()) {
            plans.setOverrides(account, changes); // refuses unknown fields and rates over 100000 before writing
        }
        return "account " + account + " overrides " + new java.util.TreeMap<>(plans.overrides(account))
                + " (every other limit: the deployment's default; in effect within PlanCacheSeconds)";
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value, got \"" + args[i] + "\"");
            }
            opts.put(args[i].substring(2), args[++i]);
        }
        return opts;
    }

    private static String required(Map<String, String> opts, String name) {
        String v = opts.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }
}
