package dev.assetlib.auth;

import dev.assetlib.testing.LocalAws;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.assetlib.security.ApiKeys;
import dev.assetlib.store.ApiKeyStore;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.SimpleIAMPolicyResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.assetlib.aws.AwsClients;
import dev.assetlib.testing.LocalDynamoDb;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The authorizer with the sample event of events/ against keys in DynamoDB Local. */
@ExtendWith(LocalAws.class)
class ApiKeyAuthorizerHandlerTest {
    private static AwsClients clients;
    private static String table;
    private static ApiKeyStore keys;
    private static ApiKeyAuthorizerHandler handler;

    @BeforeAll
    static void startServers(LocalAws aws) {
        clients = aws.clients();
        table = aws.table();
        keys = new ApiKeyStore(clients.dynamoDb(), table);
        handler = new ApiKeyAuthorizerHandler(keys);
    }

    private static SimpleIAMPolicyResponse authorize(String authorizationHeader) {
        APIGatewayV2CustomAuthorizerEvent event = EventLoader.loadEvent("../events/authorizer.json", APIGatewayV2CustomAuthorizerEvent.class);
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headers.remove("authorization");
        if (authorizationHeader != null) {
            headers.put("Authorization", authorizationHeader);
        }
        event.setHeaders(headers);
        return handler.handleRequest(event, null);
    }

    @Test
    void aValidKeyResolvesToItsAccount() {
        String key = keys.create("acct-k", "uploader", new SecureRandom(), Instant.now());
        SimpleIAMPolicyResponse response = authorize("Bearer " + key);
        assertThat(response.getContext()).containsEntry("accountId", "acct-k").containsEntry("role", "uploader");
    }

    @Test
    void theSchemeIsCaseInsensitive() {
        String key = keys.create("acct-k", "uploader", new SecureRandom(), Instant.now());
        assertThat(authorize("bearer " + key).getContext()).containsEntry("accountId", "acct-k");
    }

    @Test
    void missingMalformedUnknownAndRevokedKeysCarryNoAccount() {
        String revoked = keys.create("acct-r", "uploader", new SecureRandom(), Instant.now());
        assertThat(keys.revoke(ApiKeys.hash(revoked), Instant.now())).isTrue();
        String unknown = ApiKeys.generate(new SecureRandom());

        for (String header : new String[] {null, "", "Bearer", "Basic dXNlcjpwYXNz", "Bearer short", "Bearer " + unknown, "Bearer " + revoked}) {
            SimpleIAMPolicyResponse response = authorize(header);
            assertThat(response.getContext()).as(String.valueOf(header)).doesNotContainKey("accountId").containsKey("authError");
        }
    }

    @Test
    void onlyTheKeysHashIsStored() {
        String key = keys.create("acct-h", "uploader", new SecureRandom(), Instant.now());
        Map<String, AttributeValue> item = clients.dynamoDb().getItem(r -> r.tableName(table).key(Map.of(
                "pk", AttributeValue.fromS("APIKEY#" + ApiKeys.hash(key)), "sk", AttributeValue.fromS("APIKEY")))).item();
        assertThat(item).isNotEmpty();
        assertThat(item.values()).noneMatch(v -> key.equals(v.s()));
    }

    @Test
    void theAdminCommandCreatesAndRevokesKeys() {
        String endpoint = LocalDynamoDb.endpoint().toString();
        String key = ApiKeyAdmin.run(new String[] {"create", "--table", table, "--account", "acct-cli", "--endpoint-url", endpoint});
        assertThat(ApiKeys.isWellFormed(key)).isTrue();
        assertThat(keys.lookup(key)).get().extracting(ApiKeyStore.Principal::accountId).isEqualTo("acct-cli");

        ApiKeyAdmin.run(new String[] {"revoke", "--table", table, "--key", key, "--endpoint-url", endpoint});
        assertThat(keys.lookup(key)).isEmpty();
    }
}
