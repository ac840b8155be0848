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
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SD2 Manxue batch status against DynamoDB Local. */
@ExtendWith(LocalAws.class)
class BatchStatusHandlerTest {
    private static AwsClients clients;
    private static AssetStore store;
    private static AssetQueryHandler handler;

    @BeforeAll
    static void startServers(LocalAws aws) {
        clients = aws.clients();
        store = new AssetStore(clients.dynamoDb(), aws.table(), new AssetIds());
        handler = dev.assetlib.testing.Fixture.queryHandler(clients, store);
    }

    private static JsonNode status(String account, String body, int expectedStatus) throws Exception {
        APIGatewayV2HTTPEvent event = Events.http("api-sd2-status.json", account);
        event.setBody(body);
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
        assertThat(response.getStatusCode()).isEqualTo(expectedStatus);
        return Json.MAPPER.readTree(response.getBody());
    }

    private static Asset create(String account) {
        return store.createAll(account, List.of(new NewAsset(AssetType.Image, "https://example.com/a.jpg", null,
                AssetStatus.submitted)), true, Instant.now()).get(0);
    }

    @Test
    void ownIdsAreItemsWhileForeignUnknownAndMalformedOnesAreFailedItems() throws Exception {
        Asset mine = create("acct-me");
        Asset rejected = create("acct-me");
        store.transition(StatusChange.of("acct-me", rejected.assetId())
                .from(EnumSet.of(AssetStatus.submitted)).to(AssetStatus.Failed).failing("REVIEW_REJECTED", "several faces")
                .by("reviewer").at(Instant.now()));
        Asset theirs = create("acct-them");
        String unknown = "asset-20260101000000-zzzzz";

        JsonNode body = status("acct-me", "{\"assetIds\":[\"" + mine.assetId() + "\",\"" + rejected.assetId() + "\",\""
                + theirs.assetId() + "\",\"" + unknown + "\",\"bogus\"]}", 200);

        assertThat(body.get("code").asText()).isEqualTo("0");
        JsonNode items = body.at("/data/items");
        assertThat(items).hasSize(2);
        assertThat(items.get(0).get("assetId").asText()).isEqualTo(mine.assetId());
        assertThat(items.get(0).get("status").asText()).isEqualTo("submitted");
        assertThat(items.get(1).get("status").asText()).isEqualTo("Failed");
        assertThat(items.get(1).get("errorMessage").asText()).isEqualTo("several faces");
        JsonNode failed = body.at("/data/failedItems");
        assertThat(failed.findValuesAsText("assetId")).containsExactly(theirs.assetId(), unknown, "bogus");
        assertThat(failed.get(0).get("errorMessage").asText()).isEqualTo(failed.get(1).get("errorMessage").asText())
                .isEqualTo("asset not found");
        assertThat(failed.get(2).get("errorMessage").asText()).contains("malformed");
    }

    @Test
    void oneToAHundredIdsAreAccepted() throws Exception {
        String hundred = String.join(",", Collections.nCopies(100, "\"asset-20260101000000-zzzzz\""));
        assertThat(status("acct-me", "{\"assetIds\":[" + hundred + "]}", 200).at("/data/failedItems")).hasSize(100);
        assertThat(status("acct-me", "{\"assetIds\":[" + hundred + ",\"x\"]}", 400).get("code").asText()).isEqualTo("40022");
        assertThat(status("acct-me", "{\"assetIds\":[]}", 400).get("code").asText()).isEqualTo("40022");
        assertThat(status("acct-me", "{\"assetIds\":\"asset-20260101000000-zzzzz\"}", 400).get("code").asText()).isEqualTo("40022");
        assertThat(status("acct-me", "{\"assetIds\":[1]}", 400).get("code").asText()).isEqualTo("40022");
        assertThat(status("acct-me", "{}", 400).get("code").asText()).isEqualTo("40022");
    }

    @Test
    void withoutAValidKeyItIs401WithAStringCode() throws Exception {
        assertThat(status(null, "{\"assetIds\":[\"asset-20260101000000-zzzzz\"]}", 401).get("code").asText()).isEqualTo("40100");
    }
}
