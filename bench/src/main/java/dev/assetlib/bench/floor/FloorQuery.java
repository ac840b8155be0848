package dev.assetlib.bench.floor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Floor of the asset detail: one consistent GetItem of a hand-written key, a hand-written body. */
public final class FloorQuery implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final DynamoDbClient dynamo = DynamoDbClient.builder().region(FloorClients.REGION)
            .credentialsProvider(FloorClients.CREDENTIALS).httpClient(FloorClients.http()).build();
    private final String table = FloorClients.env("ASSETS_TABLE");
    private final String pk = FloorClients.env("FLOOR_ASSET_PK");
    private final String sk = FloorClients.env("FLOOR_ASSET_SK");

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk)))).item();
        return APIGatewayV2HTTPResponse.builder().withStatusCode(200)
                .withBody("{\"code\":0,\"data\":{\"status\":\"" + item.get("status").s() + "\"}}").build();
    }
}
