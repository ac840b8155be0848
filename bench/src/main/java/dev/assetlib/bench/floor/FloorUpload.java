package dev.assetlib.bench.floor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Floor of the upload: the three calls the store and the review starter make for one asset, with
 * hand-written minimal requests - TransactWriteItems of the same three items (id reservation, asset,
 * its creation event, each conditional on not existing), StartExecution, then the UpdateItem that
 * records the started execution on the batch's open review (for the reconciler) - and a
 * hand-written response.
 */
public final class FloorUpload implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final DynamoDbClient dynamo = DynamoDbClient.builder().region(FloorClients.REGION)
            .credentialsProvider(FloorClients.CREDENTIALS).httpClient(FloorClients.http()).build();
    private final SfnClient sfn = SfnClient.builder().region(FloorClients.REGION)
            .credentialsProvider(FloorClients.CREDENTIALS).httpClient(FloorClients.http()).build();
    private final String table = FloorClients.env("ASSETS_TABLE");
    private final String stateMachine = FloorClients.env("REVIEW_STATE_MACHINE_ARN");

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        String id = "floor-" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
        dynamo.transactWriteItems(r -> r.transactItems(
                put(Map.of("pk", AttributeValue.fromS("ASSETID#" + id), "sk", AttributeValue.fromS("ASSETID"))),
                put(Map.of("pk", AttributeValue.fromS("ACCOUNT#floor"), "sk", AttributeValue.fromS("ASSET#" + id),
                        "status", AttributeValue.fromS("Processing"))),
                put(Map.of("pk", AttributeValue.fromS("ACCOUNT#floor"), "sk", AttributeValue.fromS("ASSET#" + id + "#EV#1")))));
        sfn.startExecution(r -> r.stateMachineArn(stateMachine).name("review-" + id).input("{\"id\":\"" + id + "\"}"));
        dynamo.updateItem(r -> r.tableName(table)
                .key(Map.of("pk", AttributeValue.fromS("ACCOUNT#floor"), "sk", AttributeValue.fromS("ASSET#" + id)))
                .updateExpression("SET #e = :name").conditionExpression("attribute_not_exists(#e)")
                .expressionAttributeNames(Map.of("#e", "execution"))
                .expressionAttributeValues(Map.of(":name", AttributeValue.fromS("review-" + id))));
        return APIGatewayV2HTTPResponse.builder().withStatusCode(200)
                .withBody("{\"code\":0,\"data\":{\"assetId\":\"" + id + "\"}}").build();
    }

    private TransactWriteItem put(Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                .conditionExpression("attribute_not_exists(pk)").build()).build();
    }
}
