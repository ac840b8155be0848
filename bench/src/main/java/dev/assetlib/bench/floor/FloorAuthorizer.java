package dev.assetlib.bench.floor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.SimpleIAMPolicyResponse;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Floor of the authorizer: the same event and response types, one GetItem of a hand-written key. */
public final class FloorAuthorizer implements RequestHandler<APIGatewayV2CustomAuthorizerEvent, SimpleIAMPolicyResponse> {
    private final DynamoDbClient dynamo = DynamoDbClient.builder().region(FloorClients.REGION)
            .credentialsProvider(FloorClients.CREDENTIALS).httpClient(FloorClients.http()).build();
    private final String table = FloorClients.env("ASSETS_TABLE");
    private final String keyPk = FloorClients.env("FLOOR_KEY_PK");

    @Override
    public SimpleIAMPolicyResponse handleRequest(APIGatewayV2CustomAuthorizerEvent event, Context context) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table)
                .key(Map.of("pk", AttributeValue.fromS(keyPk), "sk", AttributeValue.fromS("APIKEY")))).item();
        return new SimpleIAMPolicyResponse(true, Map.of("accountId", item.get("accountId").s()));
    }
}
