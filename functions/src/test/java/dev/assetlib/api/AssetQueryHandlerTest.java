package dev.assetlib.api;

import dev.assetlib.testing.LocalAws;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.assetlib.store.StatusChange;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.aws.AwsClients;
import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetIds;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.domain.AssetType;
import dev.assetlib.json.Json;
import dev.assetlib.store.AssetStore;
import dev.assetlib.store.NewAsset;
import dev.assetlib.testing.Events;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The detail route with the sample event against DynamoDB Local. */
@ExtendWith(LocalAws.class)
class AssetQueryHandlerTest {
    private static AwsClients clients;
    private static AssetStore store;
    private static AssetQueryHandler handler;

    @BeforeAll
    static void startServers(LocalAws aws) {
        clients = aws.clients();
        store = new AssetStore(clients.dynamoDb(), aws.table(), new AssetIds());
        handler = dev.assetlib.testing.Fixture.queryHandler(clients, store);
    }

    private static APIGatewayV2HTTPEvent detail(String account, String assetId) {
        APIGatewayV2HTTPEvent event = Events.http("api-seedance-detail.json", account);
        event.setPathParameters(Map.of("assetId", assetId));
        event.setRawPath("/kyyReactApiServer/kyyVideo2/asset/" + assetId);
        return event;
    }

    private static Asset create(String account, String name) {
        return store.createAll(account, List.of(new NewAsset(AssetType.Image, "https://example.com/portrait.jpg", name,
                AssetStatus.Processing)), true, Instant.parse("2026-03-30T14:21:58Z")).get(0);
    }

    @Test
    void theOwnerSeesTheContractsFields() throws Exception {
        Asset a = create("acct-a", "My portrait photo");
        APIGatewayV2HTTPResponse response = handler.handleRequest(detail("acct-a", a.assetId()), null);

        assertThat(response.getStatusCode()).isEqualTo(200);
        JsonNode body = Json.MAPPER.readTree(response.getBody());
        assertThat(body.get("code").isInt()).isTrue();
        assertThat(body.get("code").asInt()).isZero();
        JsonNode data = body.get("data");
        assertThat(data.get("name").asText()).isEqualTo("My portrait photo");
        assertThat(data.get("assetId").asText()).isEqualTo(a.assetId());
        assertThat(data.get("status").asText()).isEqualTo("Processing");
        assertThat(data.get("assetType").asText()).isEqualTo("Image");
        assertThat(data.get("url").asText()).isEqualTo("https://example.com/portrait.jpg");
        assertThat(data.get("createTime").asText()).isEqualTo("2026-03-30 14:21:58");
        assertThat(data.has("errorCode")).isFalse();
    }

    @Test
    void aFailedAssetSaysWhy() throws Exception {
        Asset a = create("acct-a", null);
        store.transition(StatusChange.of("acct-a", a.assetId())
                .from(EnumSet.of(AssetStatus.Processing)).to(AssetStatus.Failed).failing("REVIEW_REJECTED", "several faces where one is allowed")
                .by("reviewer").at(Instant.parse("2026-03-30T14:25:00Z")));
        JsonNode data = Json.MAPPER.readTree(handler.handleRequest(detail("acct-a", a.assetId()), null).getBody()).get("data");
        assertThat(data.get("status").asText()).isEqualTo("Failed");
        assertThat(data.get("errorCode").asText()).isEqualTo("REVIEW_REJECTED");
        assertThat(data.get("errorMessage").asText()).isEqualTo("several faces where one is allowed");
        assertThat(data.get("name").isNull()).isTrue();
    }

    @Test
    void anotherAccountsAssetAnswersExactlyLikeAMissingOne() {
        Asset a = create("acct-owner", "private");
        String missing = "asset-20260330142158-zzzzz";
        APIGatewayV2HTTPResponse foreign = handler.handleRequest(detail("acct-other", a.assetId()), null);
        APIGatewayV2HTTPResponse absent = handler.handleRequest(detail("acct-other", missing), null);

        assertThat(foreign.getStatusCode()).isEqualTo(404).isEqualTo(absent.getStatusCode());
        assertThat(foreign.getBody().replace(a.assetId(), "ID")).isEqualTo(absent.getBody().replace(missing, "ID"));
        assertThat(foreign.getBody()).doesNotContain("private");
    }

    @Test
    void aMalformedIdIsA400ThatShowsTheFormat() throws Exception {
        APIGatewayV2HTTPResponse response = handler.handleRequest(detail("acct-a", "not-an-id"), null);
        assertThat(response.getStatusCode()).isEqualTo(400);
        JsonNode body = Json.MAPPER.readTree(response.getBody());
        assertThat(body.get("code").asInt()).isEqualTo(40013);
        assertThat(body.get("msg").asText()).contains("asset-20260330142158-q75m8");
    }

    @Test
    void withoutAValidKeyNothingIsRead() throws Exception {
        Asset a = create("acct-a", "x");
        APIGatewayV2HTTPResponse response = handler.handleRequest(detail(null, a.assetId()), null);
        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(Json.MAPPER.readTree(response.getBody()).get("data").isNull()).isTrue();
    }

    @Test
    void anUnknownRouteIsA404Envelope() {
        APIGatewayV2HTTPEvent event = detail("acct-a", "asset-20260330142158-q75m8");
        event.setRouteKey("GET /nope");
        assertThat(handler.handleRequest(event, null).getStatusCode()).isEqualTo(404);
    }
}
