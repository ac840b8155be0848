package dev.assetlib.store;

import dev.assetlib.security.ApiKeys;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * API keys in the assets table, by hash: {@code pk = APIKEY#{sha256}}. The key itself is never
 * stored. Each account with a key also has a marker item ({@code pk = KEYACCOUNT#{account}}), so
 * that the ingest consumer can tell a known account with one read.
 */
public final class ApiKeyStore {
    private final DynamoDbClient dynamo;
    private final String table;

    public ApiKeyStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /**
     * Who a key acts for, when it exists and is not revoked. {@code keyId} names the key in answers
     * and histories (who decided): random, drawn at creation, never derived from the key.
     */
    public record Principal(String accountId, String role, String keyId) {
    }

    /** Keys stored before key ids existed: they are named by this, never by a part of the key. */
    public static final String UNNAMED_KEY = "key-unnamed";
    private static final SecureRandom KEY_IDS = new SecureRandom();
    private static final char[] ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789".toCharArray();

    /** Creates a new random key for the account and returns it; it is shown once and never again. */
    public String create(String accountId, String role, SecureRandom random, Instant now) {
        String key = ApiKeys.generate(random);
        register(key, accountId, role, now);
        return key;
    }

    /** Stores a key chosen by the caller (the local stack's fixed development keys). */
    public void register(String key, String accountId, String role, Instant now) {
        if (!ApiKeys.isWellFormed(key)) {
            throw new IllegalArgumentException("an API key is alk_ followed by 43 base64url characters");
        }
        if (!ApiKeys.isValidAccountId(accountId)) {
            throw new IllegalArgumentException("account ids are 1 to 64 of [A-Za-z0-9._-]");
        }
        Map<String, AttributeValue> item = new HashMap<>(key(ApiKeys.hash(key)));
        item.put("accountId", AttributeValue.fromS(accountId));
        item.put("role", AttributeValue.fromS(role));
        item.put("keyId", AttributeValue.fromS(newKeyId()));
        item.put("createdAt", AttributeValue.fromN(Long.toString(now.toEpochMilli())));
        // The key and its account's marker in one transaction: an account with a key is always known.
        dynamo.transactWriteItems(r -> r.transactItems(
                TransactWriteItem.builder().put(p -> p.tableName(table).item(item)).build(),
                TransactWriteItem.builder().update(u -> u.tableName(table).key(accountKey(accountId))
                        .updateExpression("SET accountId = :account, firstKeyAt = if_not_exists(firstKeyAt, :now), lastKeyAt = :now")
                        .expressionAttributeValues(Map.of(":account", AttributeValue.fromS(accountId),
                                ":now", AttributeValue.fromN(Long.toString(now.toEpochMilli()))))).build()));
    }

    /**
     * Whether the account is known: some API key was ever created for it (revoking keys does not
     * forget the account). One GetItem on the account's marker item, {@code pk = KEYACCOUNT#{account}}.
     */
    public boolean isKnownAccount(String accountId) {
        if (!ApiKeys.isValidAccountId(accountId)) {
            return false;
        }
        var item = dynamo.getItem(r -> r.tableName(table).key(accountKey(accountId))).item();
        return item != null && !item.isEmpty();
    }

    private static Map<String, AttributeValue> accountKey(String accountId) {
        return Map.of("pk", AttributeValue.fromS("KEYACCOUNT#" + accountId), "sk", AttributeValue.fromS("KEYACCOUNT"));
    }

    /** Revokes by key hash; false when no such key exists. */
    public boolean revoke(String keyHash, Instant now) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(keyHash))
                    .updateExpression("SET revokedAt = :now")
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(now.toEpochMilli())))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    public Optional<Principal> lookup(String key) {
        if (!ApiKeys.isWellFormed(key)) {
            return Optional.empty();
        }
        var item = dynamo.getItem(r -> r.tableName(table).key(key(ApiKeys.hash(key)))).item();
        if (item == null || item.isEmpty() || item.containsKey("revokedAt")) {
            return Optional.empty();
        }
        AttributeValue role = item.get("role");
        AttributeValue keyId = item.get("keyId");
        return Optional.of(new Principal(item.get("accountId").s(), role == null ? "uploader" : role.s(),
                keyId == null ? UNNAMED_KEY : keyId.s()));
    }

    /** {@code key-} and 12 random characters (60 bits): a name, not a secret, and unrelated to the key. */
    static String newKeyId() {
        StringBuilder id = new StringBuilder("key-");
        for (int i = 0; i < 12; i++) {
            id.append(ID_ALPHABET[KEY_IDS.nextInt(ID_ALPHABET.length)]);
        }
        return id.toString();
    }

    private static Map<String, AttributeValue> key(String hash) {
        return Map.of("pk", AttributeValue.fromS("APIKEY#" + hash), "sk", AttributeValue.fromS("APIKEY"));
    }
}
