package dev.assetlib.store;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Creates the assets table as template.yaml declares it (same keys, same indexes, on-demand), for
 * the local stack and tests. Keep the two in step: AssetsTableTemplateTest compares them.
 */
public final class AssetsTable {
    /** The global secondary indexes: name, partition key attribute, sort key attribute, projection. */
    public record Index(String name, String hashKey, String rangeKey, ProjectionType projection) {
    }

    public static final List<Index> INDEXES = List.of(
            new Index(AssetItems.BY_CREATED, AssetItems.PK, AssetItems.LIST_SK, ProjectionType.ALL),
            new Index(AssetItems.BY_STATUS, AssetItems.STATUS_KEY, AssetItems.LIST_SK, ProjectionType.ALL),
            new Index(AssetItems.BY_TYPE, AssetItems.TYPE_KEY, AssetItems.LIST_SK, ProjectionType.ALL),
            new Index(AssetItems.BY_STATUS_TYPE, AssetItems.STATUS_TYPE_KEY, AssetItems.LIST_SK, ProjectionType.ALL),
            new Index(AssetItems.BY_URL, AssetItems.URL_KEY, AssetItems.LIST_SK, ProjectionType.KEYS_ONLY),
            new Index(AssetItems.BY_OPEN_REVIEW, AssetItems.REVIEW_OPEN, AssetItems.REVIEW_DUE, ProjectionType.KEYS_ONLY));

    /** Every key attribute of the table and its indexes (all strings). */
    public static final List<String> KEY_ATTRIBUTES = List.of(AssetItems.PK, AssetItems.SK, AssetItems.LIST_SK,
            AssetItems.STATUS_KEY, AssetItems.TYPE_KEY, AssetItems.STATUS_TYPE_KEY, AssetItems.URL_KEY,
            AssetItems.REVIEW_OPEN, AssetItems.REVIEW_DUE);

    private AssetsTable() {
    }

    public static void create(DynamoDbClient dynamo, String table) {
        List<AttributeDefinition> attributes = new ArrayList<>();
        for (String name : KEY_ATTRIBUTES) {
            attributes.add(AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build());
        }
        List<GlobalSecondaryIndex> indexes = new ArrayList<>();
        for (Index i : INDEXES) {
            indexes.add(GlobalSecondaryIndex.builder().indexName(i.name())
                    .keySchema(KeySchemaElement.builder().attributeName(i.hashKey()).keyType(KeyType.HASH).build(),
                            KeySchemaElement.builder().attributeName(i.rangeKey()).keyType(KeyType.RANGE).build())
                    .projection(p -> p.projectionType(i.projection())).build());
        }
        try {
            dynamo.createTable(r -> r.tableName(table)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(attributes)
                    .keySchema(
                            KeySchemaElement.builder().attributeName(AssetItems.PK).keyType(KeyType.HASH).build(),
                            KeySchemaElement.builder().attributeName(AssetItems.SK).keyType(KeyType.RANGE).build())
                    .globalSecondaryIndexes(indexes));
        } catch (ResourceInUseException exists) {
            // already there (a second start against a shared DynamoDB Local): nothing to do
        }
    }
}
