package dev.assetlib.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.assetlib.aws.AwsClients;
import dev.assetlib.testing.LocalDynamoDb;
import java.io.File;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/** The table that tests and the local stack create is the table template.yaml deploys. */
class AssetsTableTemplateTest {

    @Test
    void theLocalTableHasTheTemplatesKeysAndIndexes() throws Exception {
        JsonNode table = new ObjectMapper(new YAMLFactory()).readTree(new File("../template.yaml"))
                .at("/Resources/AssetsTable/Properties");
        Map<String, String> templateIndexes = new HashMap<>();
        for (JsonNode gsi : table.get("GlobalSecondaryIndexes")) {
            templateIndexes.put(gsi.get("IndexName").asText(), gsi.at("/KeySchema/0/AttributeName").asText() + "|"
                    + gsi.at("/KeySchema/1/AttributeName").asText() + "|" + gsi.at("/Projection/ProjectionType").asText());
        }
        List<String> templateAttributes = new ArrayList<>();
        table.get("AttributeDefinitions").forEach(a -> templateAttributes.add(a.get("AttributeName").asText()
                + ":" + a.get("AttributeType").asText()));

        try (AwsClients clients = LocalDynamoDb.clients()) {
            String name = LocalDynamoDb.newTable(clients);
            TableDescription local = clients.dynamoDb().describeTable(r -> r.tableName(name)).table();
            Map<String, String> localIndexes = new HashMap<>();
            local.globalSecondaryIndexes().forEach(g -> localIndexes.put(g.indexName(), g.keySchema().get(0).attributeName()
                    + "|" + g.keySchema().get(1).attributeName() + "|" + g.projection().projectionTypeAsString()));
            assertThat(localIndexes).isEqualTo(templateIndexes);
            assertThat(local.attributeDefinitions()).extracting(a -> a.attributeName() + ":" + a.attributeTypeAsString())
                    .containsExactlyInAnyOrderElementsOf(templateAttributes);
            assertThat(local.keySchema()).extracting(k -> k.attributeName() + ":" + k.keyTypeAsString())
                    .containsExactly("pk:HASH", "sk:RANGE");
        }
        assertThat(table.at("/TimeToLiveSpecification/AttributeName").asText()).isEqualTo("expiresAt");
    }

    /**
     * One creation is one TransactWriteItems of at most 100 items: 3 per asset (id reservation,
     * asset, history event) plus the idempotency record. The template's MaxBatchUrls, Config's check
     * and the store's limit (which the HTTP routes and the ingest consumer share) must say the same.
     */
    @Test
    void maxBatchUrlsFitsOneCreationTransaction() throws Exception {
        JsonNode parameter = new ObjectMapper(new YAMLFactory()).readTree(new File("../template.yaml"))
                .at("/Parameters/MaxBatchUrls");
        assertThat(AssetStore.MAX_ASSETS_PER_CREATE * AssetStore.ITEMS_PER_ASSET + AssetStore.GUARD_ITEMS)
                .isLessThanOrEqualTo(AssetStore.MAX_TRANSACTION_ITEMS);
        assertThat((AssetStore.MAX_ASSETS_PER_CREATE + 1) * AssetStore.ITEMS_PER_ASSET + AssetStore.GUARD_ITEMS)
                .isGreaterThan(AssetStore.MAX_TRANSACTION_ITEMS);
        assertThat(parameter.get("MaxValue").asInt()).isEqualTo(AssetStore.MAX_ASSETS_PER_CREATE).isEqualTo(32);
        String max = Integer.toString(AssetStore.MAX_ASSETS_PER_CREATE);
        assertThat(new dev.assetlib.config.Config(Map.of("MAX_BATCH_URLS", max)).maxBatchUrls()).isEqualTo(32);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new dev.assetlib.config.Config(
                Map.of("MAX_BATCH_URLS", Integer.toString(AssetStore.MAX_ASSETS_PER_CREATE + 1))))
                .hasMessageContaining("at most 32");
    }
}
