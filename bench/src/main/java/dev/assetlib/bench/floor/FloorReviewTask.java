package dev.assetlib.bench.floor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Floor of the status-check task deciding one asset: the calls the workflow makes - read the asset
 * (consistent GetItem), the conditional status change with its history event (TransactWriteItems),
 * the completion message (SendMessageBatch: the workflow sends a round's completions ten at a time),
 * the completion mark, the close of the batch's open review (two UpdateItems) - with hand-written
 * minimal requests; the input is read and ignored, the output is hand-written.
 */
public final class FloorReviewTask implements RequestStreamHandler {
    private final DynamoDbClient dynamo = DynamoDbClient.builder().region(FloorClients.REGION)
            .credentialsProvider(FloorClients.CREDENTIALS).httpClient(FloorClients.http()).build();
    private final SqsClient sqs = SqsClient.builder().region(FloorClients.REGION)
            .credentialsProvider(FloorClients.CREDENTIALS).httpClient(FloorClients.http()).build();
    private final String table = FloorClients.env("ASSETS_TABLE");
    private final String queue = FloorClients.env("COMPLETION_QUEUE_URL");
    private final Map<String, AttributeValue> key = Map.of(
            "pk", AttributeValue.fromS(FloorClients.env("FLOOR_ASSET_PK")),
            "sk", AttributeValue.fromS(FloorClients.env("FLOOR_ASSET_SK")));

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes();
        String assetId = dynamo.getItem(r -> r.tableName(table).key(key).consistentRead(true)).item().get("assetId").s();
        dynamo.transactWriteItems(r -> r.transactItems(
                TransactWriteItem.builder().update(Update.builder().tableName(table).key(key)
                        .updateExpression("SET #s = :to, #c = :pending").conditionExpression("#s = :from")
                        .expressionAttributeNames(Map.of("#s", "status", "#c", "completion"))
                        .expressionAttributeValues(Map.of(":to", AttributeValue.fromS("Failed"),
                                ":pending", AttributeValue.fromS("PENDING"), ":from", AttributeValue.fromS("Processing")))
                        .build()).build(),
                TransactWriteItem.builder().put(Put.builder().tableName(table)
                        .item(Map.of("pk", key.get("pk"), "sk", AttributeValue.fromS(key.get("sk").s() + "#EV#00000002")))
                        .conditionExpression("attribute_not_exists(pk)").build()).build()));
        sqs.sendMessageBatch(r -> r.queueUrl(queue).entries(e -> e.id("0")
                .messageBody("{\"assetId\":\"" + assetId + "\",\"status\":\"Failed\"}")
                .messageGroupId(assetId).messageDeduplicationId(assetId + "-Failed")));
        dynamo.updateItem(r -> r.tableName(table).key(key)
                .updateExpression("SET #c = :sent").conditionExpression("#c = :pending")
                .expressionAttributeNames(Map.of("#c", "completion"))
                .expressionAttributeValues(Map.of(":sent", AttributeValue.fromS("SENT"), ":pending", AttributeValue.fromS("PENDING"))));
        dynamo.updateItem(r -> r.tableName(table).key(key).updateExpression("REMOVE #open")
                .expressionAttributeNames(Map.of("#open", "reviewOpen")));
        output.write("{\"done\":true}".getBytes(StandardCharsets.UTF_8));
    }
}
