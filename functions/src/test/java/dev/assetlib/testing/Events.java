package dev.assetlib.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import java.util.HashMap;
import java.util.Map;

/** Loads the sample events of events/ (the same files `sam local invoke -e` uses) and varies them. */
public final class Events {
    private Events() {
    }

    public static APIGatewayV2HTTPEvent http(String file) {
        return EventLoader.loadApiGatewayHttpEvent("../events/" + file);
    }

    /** The sample event, acting for {@code accountId} (as the authorizer would have resolved it). */
    public static APIGatewayV2HTTPEvent http(String file, String accountId) {
        APIGatewayV2HTTPEvent event = http(file);
        Map<String, Object> lambda = new HashMap<>();
        if (accountId != null) {
            lambda.put("accountId", accountId);
        } else {
            lambda.put("authError", "invalid API key");
        }
        event.getRequestContext().getAuthorizer().setLambda(lambda);
        return event;
    }

    public static S3Event s3(String file) {
        return EventLoader.loadS3Event("../events/" + file);
    }

    public static DynamodbEvent dynamodb(String file) {
        return EventLoader.loadDynamoDbEvent("../events/" + file);
    }

    public static SQSEvent sqs(String file) {
        return EventLoader.loadSQSEvent("../events/" + file);
    }
}
