package dev.assetlib.store;

import java.security.SecureRandom;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * A random 256-bit key per deployment and purpose, for signing paging tokens: created on first use
 * with a conditional write (the first writer wins, everyone reads that one), kept in the assets table
 * ({@code pk = CONFIG#{purpose}}; encrypted at rest like every item), cached for the life of the
 * execution environment. No secret comes from configuration, so there is nothing to set or leak.
 */
public final class SigningKeyStore {
    private final DynamoDbClient dynamo;
    private final String table;
    private final SecureRandom random;

    public SigningKeyStore(DynamoDbClient dynamo, String table, SecureRandom random) {
        this.dynamo = dynamo;
        this.table = table;
        this.random = random;
    }

    public byte[] key(String purpose) {
        Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("CONFIG#" + purpose), "sk", AttributeValue.fromS("CONFIG"));
        try {
            byte[] existing = read(key);
            if (existing != null) {
                return existing;
            }
            byte[] fresh = new byte[32];
            random.nextBytes(fresh);
            try {
                dynamo.putItem(r -> r.tableName(table).conditionExpression("attribute_not_exists(pk)")
                        .item(Map.of("pk", key.get("pk"), "sk", key.get("sk"), "key", AttributeValue.fromB(SdkBytes.fromByteArray(fresh)))));
                return fresh;
            } catch (ConditionalCheckFailedException raced) {
                return read(key);
            }
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not answer for the signing key", e);
        }
    }

    private byte[] read(Map<String, AttributeValue> key) {
        var item = dynamo.getItem(r -> r.tableName(table).key(key).consistentRead(true)).item();
        return item == null || !item.containsKey("key") ? null : item.get("key").b().asByteArray();
    }
}
