package dev.assetlib.ingest;

import dev.assetlib.testing.LocalAws;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.assetlib.app.ingest.IngestService;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.assetlib.Services;
import dev.assetlib.app.idempotency.IdempotentExecutor;
import dev.assetlib.testing.Fixture;
import dev.assetlib.api.UploadHandler;
import dev.assetlib.app.upload.UploadService;
import dev.assetlib.store.ApiKeyStore;
import dev.assetlib.security.ApiKeys;
import dev.assetlib.aws.AwsClients;
import dev.assetlib.domain.AssetIds;
import dev.assetlib.json.Json;
import dev.assetlib.store.AssetStore;
import dev.assetlib.store.IdempotencyRecords;
import dev.assetlib.testing.Events;
import dev.assetlib.testing.FakeSfnClient;
import dev.assetlib.testing.LocalSqs;
import dev.assetlib.testing.MutableClock;
import dev.assetlib.app.review.CompletionPublisher;
import dev.assetlib.app.review.ReviewStarter;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The SQS ingest consumer with the events/ samples, against DynamoDB Local and ElasticMQ and a recording fake of Step Functions. */
@ExtendWith(LocalAws.class)
class IngestHandlerTest {
    private static AwsClients clients;
    private static String table;
    private MutableClock clock;
    private MutableClock wallClock;
    private FakeSfnClient sfn;
    private String completions;
    private IngestHandler handler;

    @BeforeAll
    static void startServers(LocalAws aws) {
        clients = aws.clients();
        table = aws.table();
        ApiKeyStore keys = new ApiKeyStore(clients.dynamoDb(), table);
        for (String account : List.of("acct-demo", "acct-mix", "acct-retry", "acct-lost", "acct-reused", "acct-both")) {
            keys.create(account, "uploader", new SecureRandom(), Instant.now());
        }
    }

    @BeforeEach
    void setUp() {
        clock = new MutableClock(Instant.parse("2026-03-30T14:21:58Z"));
        wallClock = new MutableClock(Instant.now());
        sfn = new FakeSfnClient();
        completions = LocalSqs.newFifoQueue(clients.sqs());
        handler = handler(table);
    }

    private UploadService uploads(String tableName) {
        AssetStore store = new AssetStore(clients.dynamoDb(), tableName, new AssetIds());
        return new UploadService(store, new ReviewStarter(sfn, "arn:aws:states:us-east-1:000000000000:stateMachine:AssetReview"),
                Duration.ofHours(24), clock);
    }

    /** The composition root over this table: the service clock for assets, the wall clock for leases. */
    private Services services(String tableName) {
        return Fixture.services(clients, tableName, completions, sfn, new Services.Clocks(clock, wallClock));
    }

    private IngestHandler handler(String tableName) {
        return new IngestHandler(services(tableName));
    }

    private int assetCount(String account) {
        // Assets only, not their history events (same partition, sk ASSET#{id}#EV#...).
        return clients.dynamoDb().query(r -> r.tableName(table).keyConditionExpression("pk = :pk AND begins_with(sk, :asset)")
                .filterExpression("attribute_exists(assetType)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("ACCOUNT#" + account), ":asset", AttributeValue.fromS("ASSET#"))))
                .count();
    }

    private static List<String> failedIds(SQSBatchResponse response) {
        return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    private List<JsonNode> completionBodies() throws Exception {
        List<JsonNode> bodies = new ArrayList<>();
        for (Message m : LocalSqs.drain(clients.sqs(), completions)) {
            bodies.add(Json.MAPPER.readTree(m.body()));
        }
        return bodies;
    }

    @Test
    void theSampleSingleMessageCreatesOneAssetOnceEvenWhenDeliveredTwice() throws Exception {
        SQSEvent event = Events.sqs("sqs-ingest-single.json");
        assertThat(failedIds(handler.handleRequest(event, null))).isEmpty();
        assertThat(assetCount("acct-demo")).isEqualTo(1);
        assertThat(sfn.started).hasSize(1);
        JsonNode input = Json.MAPPER.readTree(sfn.started.get(0).input());
        assertThat(input.get("kind").asText()).isEqualTo("single");
        assertThat(input.at("/pending/0/url").asText()).isEqualTo("https://example.com/portrait.jpg");

        // Redelivered (same message id), and re-sent by the producer (new message id, same idempotencyKey).
        assertThat(failedIds(handler.handleRequest(Events.sqs("sqs-ingest-single.json"), null))).isEmpty();
        SQSEvent resent = Events.sqs("sqs-ingest-single.json");
        resent.getRecords().get(0).setMessageId(UUID.randomUUID().toString());
        assertThat(failedIds(handler.handleRequest(resent, null))).isEmpty();

        assertThat(assetCount("acct-demo")).isEqualTo(1);
        assertThat(sfn.started).hasSize(1);
        assertThat(completionBodies()).isEmpty(); // the review sends the asset's completion, not the consumer
    }

    /** A consumer that dies (an Error: no cleanup runs) right after the transaction that created the assets. */
    private static final class Died extends Error {
    }

    @Test
    void aReviewLostBetweenCreateAndStartIsStartedByTheRedeliveryAfterTheLease() throws Exception {
        SQSEvent event = Events.sqs("sqs-ingest-batch.json");
        event.getRecords().get(0).getMessageAttributes().get("accountId").setStringValue("acct-lost");
        sfn.dieWith = new Died();
        try {
            handler.handleRequest(event, null);
        } catch (Died expected) {
            // the Lambda died between creating the assets and starting their review
        }
        sfn.dieWith = null;
        assertThat(assetCount("acct-lost")).isEqualTo(3);
        String firstInput = sfn.died.get(0).input();

        assertThat(failedIds(handler.handleRequest(event, null))).as("redelivered while the lease holds: retried later")
                .containsExactly(event.getRecords().get(0).getMessageId());
        assertThat(sfn.started).isEmpty();

        wallClock.advance(IdempotentExecutor.LEASE.plusSeconds(1));
        assertThat(failedIds(handler.handleRequest(event, null))).isEmpty();
        assertThat(sfn.started).hasSize(1);
        assertThat(sfn.started.get(0).input()).as("the very same review input, so a running one is not doubled").isEqualTo(firstInput);
        assertThat(assetCount("acct-lost")).isEqualTo(3);
        assertThat(completionBodies()).as("the refused URL's rejection, once").hasSize(1);

        assertThat(failedIds(handler.handleRequest(event, null))).isEmpty();
        assertThat(sfn.started).hasSize(1);
        assertThat(completionBodies()).isEmpty();
    }

    @Test
    void aKeyUsedForAnotherUploadIsRejectedOnceAndCreatesNothing() throws Exception {
        SQSEvent first = Events.sqs("sqs-ingest-single.json");
        first.getRecords().get(0).getMessageAttributes().get("accountId").setStringValue("acct-reused");
        assertThat(failedIds(handler.handleRequest(first, null))).isEmpty();

        SQSEvent other = Events.sqs("sqs-ingest-single.json");
        other.getRecords().get(0).getMessageAttributes().get("accountId").setStringValue("acct-reused");
        other.getRecords().get(0).setMessageId(UUID.randomUUID().toString());
        other.getRecords().get(0).setBody("{\"assetType\":\"Image\",\"url\":\"https://example.com/other.jpg\","
                + "\"idempotencyKey\":\"import-2026-03-30-0001\"}");
        assertThat(failedIds(handler.handleRequest(other, null))).isEmpty();
        assertThat(failedIds(handler.handleRequest(other, null))).as("redelivered").isEmpty();

        assertThat(assetCount("acct-reused")).isEqualTo(1);
        assertThat(sfn.started).hasSize(1);
        List<JsonNode> sent = completionBodies();
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).get("apiErrorCode").asInt()).isEqualTo(40901);
        assertThat(sent.get(0).get("idempotencyKey").asText()).isEqualTo("import-2026-03-30-0001");
        assertThat(sent.get(0).get("ingestMessageId").asText()).isEqualTo(other.getRecords().get(0).getMessageId());
    }

    @Test
    void anHttpUploadAndAMessageWithTheSameKeyAndRequestAreOneUpload() throws Exception {
        UploadHandler http = new UploadHandler(services(table));
        APIGatewayV2HTTPEvent request = Events.http("api-seedance-upload-idempotent.json", "acct-both");
        request.getHeaders().put("idempotency-key", "shared-key-1");
        request.setBody("{\"assetType\":\"Image\",\"url\":\"https://example.com/both.jpg\"}");
        APIGatewayV2HTTPResponse answered = http.handleRequest(request, null);
        assertThat(answered.getStatusCode()).isEqualTo(200);

        SQSEvent event = Events.sqs("sqs-ingest-single.json");
        event.getRecords().get(0).getMessageAttributes().get("accountId").setStringValue("acct-both");
        event.getRecords().get(0).setBody("{\"url\":\"https://example.com/both.jpg\",\"assetType\":\"Image\","
                + "\"idempotencyKey\":\"shared-key-1\"}");
        assertThat(failedIds(handler.handleRequest(event, null))).isEmpty();
        assertThat(assetCount("acct-both")).isEqualTo(1);
        assertThat(sfn.started).hasSize(1);
        assertThat(completionBodies()).isEmpty();

        // And the other way round: a message first, then the HTTP route replays what it recorded.
        SQSEvent second = Events.sqs("sqs-ingest-single.json");
        second.getRecords().get(0).setMessageId(UUID.randomUUID().toString());
        second.getRecords().get(0).getMessageAttributes().get("accountId").setStringValue("acct-both");
        second.getRecords().get(0).setBody("{\"assetType\":\"Image\",\"url\":\"https://example.com/both2.jpg\","
                + "\"idempotencyKey\":\"shared-key-2\"}");
        assertThat(failedIds(handler.handleRequest(second, null))).isEmpty();
        request.getHeaders().put("idempotency-key", "shared-key-2");
        request.setBody("{\"assetType\":\"Image\",\"url\":\"https://example.com/both2.jpg\"}");
        APIGatewayV2HTTPResponse replayed = http.handleRequest(request, null);
        assertThat(replayed.getStatusCode()).isEqualTo(200);
        assertThat(replayed.getHeaders()).containsEntry("Idempotent-Replayed", "true");
        assertThat(assetCount("acct-both")).isEqualTo(2);
        assertThat(sfn.started).hasSize(2);
    }

    @Test
    void theSampleBatchCreatesItsAcceptedUrlsAndReportsTheRefusedOneOnce() throws Exception {
        SQSEvent event = Events.sqs("sqs-ingest-batch.json");
        event.getRecords().get(0).getMessageAttributes().get("accountId").setStringValue("acct-mix");
        assertThat(failedIds(handler.handleRequest(event, null))).isEmpty();
        assertThat(failedIds(handler.handleRequest(event, null))).isEmpty();

        assertThat(assetCount("acct-mix")).isEqualTo(3);
        assertThat(sfn.started).hasSize(1);
        JsonNode input = Json.MAPPER.readTree(sfn.started.get(0).input());
        assertThat(input.get("kind").asText()).isEqualTo("batch");
        assertThat(input.get("pending")).hasSize(3);

        List<JsonNode> sent = completionBodies();
        assertThat(sent).hasSize(1);
        JsonNode rejection = sent.get(0);
        assertThat(rejection.get("source").asText()).isEqualTo("ingest");
        assertThat(rejection.get("status").asText()).isEqualTo("Failed");
        assertThat(rejection.get("errorCode").asText()).isEqualTo("INGEST_REJECTED");
        assertThat(rejection.get("batchId").asText()).isEqualTo(input.get("batchId").asText());
        assertThat(rejection.at("/failedItems/0/originalUrl").asText()).isEqualTo("ftp://example.com/d.mp3");
        assertThat(rejection.at("/failedItems/0/errorMessage").asText()).contains("ftp");
        assertThat(rejection.has("assetId")).isFalse();
    }

    @Test
    void theSampleInvalidMessagesAreRejectedOrLeftForTheDeadLetterQueue() throws Exception {
        SQSBatchResponse response = handler.handleRequest(Events.sqs("sqs-ingest-invalid.json"), null);

        // No accountId attribute, and an account with no key: nobody to tell, so SQS keeps them (DLQ after 3 receives).
        assertThat(failedIds(response)).containsExactly("6f0c1d2e-0003-4a5b-9c8d-000000000003", "6f0c1d2e-0004-4a5b-9c8d-000000000004");
        assertThat(assetCount("acct-nobody")).isZero();
        assertThat(sfn.started).isEmpty();

        // Bad JSON and an invalid field, for a known account: one Failed completion each, with the reason.
        List<JsonNode> sent = completionBodies();
        assertThat(sent).hasSize(2);
        Map<String, JsonNode> byMessage = new HashMap<>();
        sent.forEach(b -> byMessage.put(b.get("ingestMessageId").asText(), b));
        assertThat(byMessage.get("6f0c1d2e-0001-4a5b-9c8d-000000000001").get("errorMessage").asText()).contains("not valid JSON");
        assertThat(byMessage.get("6f0c1d2e-0001-4a5b-9c8d-000000000001").get("apiErrorCode").asInt()).isEqualTo(40002);
        assertThat(byMessage.get("6f0c1d2e-0002-4a5b-9c8d-000000000002").get("errorMessage").asText()).contains("case-sensitive");
        assertThat(byMessage.values()).allSatisfy(b -> {
            assertThat(b.get("status").asText()).isEqualTo("Failed");
            assertThat(b.get("accountId").asText()).isEqualTo("acct-demo");
        });

        // Delivered again: no second completion.
        handler.handleRequest(Events.sqs("sqs-ingest-invalid.json"), null);
        assertThat(completionBodies()).isEmpty();
    }

    @Test
    void aTransientFaultIsRetriedAndLeavesNothingHalfWritten() {
        SQSEvent event = Events.sqs("sqs-ingest-single.json");
        event.getRecords().get(0).getMessageAttributes().get("accountId").setStringValue("acct-retry");
        event.getRecords().get(0).setBody("{\"assetType\":\"Video\",\"url\":\"https://example.com/v.mp4\"}");
        sfn.failWith = SfnException.builder().message("Rate exceeded").statusCode(400).build();
        int before = assetCount("acct-retry");

        assertThat(failedIds(handler.handleRequest(event, null))).containsExactly(event.getRecords().get(0).getMessageId());
        assertThat(assetCount("acct-retry")).isEqualTo(before);

        sfn.failWith = null;
        assertThat(failedIds(handler.handleRequest(event, null))).isEmpty();
        assertThat(assetCount("acct-retry")).isEqualTo(before + 1);
        assertThat(sfn.started).hasSize(1);
    }

    @Test
    void dynamoDbUnavailableIsReportedForRetryNotRejected() throws Exception {
        IngestHandler broken = handler("no-such-table-" + UUID.randomUUID());
        SQSEvent event = Events.sqs("sqs-ingest-single.json");
        assertThat(failedIds(broken.handleRequest(event, null))).containsExactly(event.getRecords().get(0).getMessageId());
        assertThat(completionBodies()).isEmpty();
    }

    /**
     * A real queue with the template's redrive (maxReceiveCount 3), polled like Lambda's event
     * source mapping: the handler's batchItemFailures stay, everything else is deleted. Valid,
     * invalid, re-sent and redelivered messages end as exactly the expected assets and
     * completions, and the queue drains: nothing is retried forever.
     */
    @Test
    void aMixOfMessagesEndsAsExactlyTheExpectedAssetsAndTheQueueDrains() throws Exception {
        var sqs = clients.sqs();
        String dlq = sqs.createQueue(r -> r.queueName("ingest-dlq-" + UUID.randomUUID())).queueUrl();
        String dlqArn = sqs.getQueueAttributes(r -> r.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        String ingest = sqs.createQueue(r -> r.queueName("ingest-" + UUID.randomUUID()).attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, "1",
                QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"3\"}"))).queueUrl();
        String account = "acct-mix-" + UUID.randomUUID().toString().substring(0, 8);
        new ApiKeyStore(clients.dynamoDb(), table).register(ApiKeys.generate(new SecureRandom()), account, "uploader", Instant.now());

        int expectedAssets = 0;
        int expectedRejections = 0;
        int expectedReviews = 0;
        int expectedDeadLetters = 0;
        for (int i = 0; i < 40; i++) {
            String body;
            String to = account;
            switch (i % 8) {
                case 0, 1 -> { body = "{\"assetType\":\"Image\",\"url\":\"https://example.com/" + i + ".jpg\",\"idempotencyKey\":\"k-" + i + "\"}";
                    expectedAssets++; expectedReviews++; }
                case 2 -> { body = "{\"imageUrls\":[\"https://example.com/" + i + "a.jpg\"],\"videoUrls\":[\"https://example.com/" + i + ".mp4\"]}";
                    expectedAssets += 2; expectedReviews++; }
                case 3 -> { body = "{\"imageUrls\":[\"https://example.com/" + i + ".jpg\",\"javascript:alert(1)\"]}";
                    expectedAssets++; expectedReviews++; expectedRejections++; }
                case 4 -> { body = "{\"assetType\":\"Picture\",\"url\":\"https://example.com/" + i + ".jpg\"}"; expectedRejections++; }
                case 5 -> { body = "[not an object]"; expectedRejections++; }
                case 6 -> { body = "{\"assetType\":\"Audio\",\"url\":\"https://example.com/" + i + ".mp3\"}"; to = "acct-unknown"; expectedDeadLetters++; }
                default -> { body = "{\"assetType\":\"Image\",\"url\":\"https://example.com/" + (i - 7) + ".jpg\",\"idempotencyKey\":\"k-" + (i - 7) + "\"}"; }
                // case 7 re-sends case 0's message with the same idempotencyKey: nothing new
            }
            final String b = body;
            final String acct = to;
            sqs.sendMessage(r -> r.queueUrl(ingest).messageBody(b).messageAttributes(Map.of("accountId",
                    MessageAttributeValue.builder().dataType("String").stringValue(acct).build())));
        }

        int receives = 0;
        for (int idle = 0; idle < 3; ) {
            List<Message> batch = sqs.receiveMessage(r -> r.queueUrl(ingest).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .messageAttributeNames("All").messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            if (batch.isEmpty()) {
                idle++;
                continue;
            }
            idle = 0;
            receives += batch.size();
            SQSEvent event = new SQSEvent();
            List<SQSEvent.SQSMessage> records = new ArrayList<>();
            for (Message m : batch) {
                SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
                record.setMessageId(m.messageId());
                record.setReceiptHandle(m.receiptHandle());
                record.setBody(m.body());
                Map<String, SQSEvent.MessageAttribute> attributes = new HashMap<>();
                m.messageAttributes().forEach((k, v) -> {
                    SQSEvent.MessageAttribute a = new SQSEvent.MessageAttribute();
                    a.setDataType(v.dataType());
                    a.setStringValue(v.stringValue());
                    attributes.put(k, a);
                });
                record.setMessageAttributes(attributes);
                records.add(record);
                // Every fourth message is delivered twice in the same batch, as a standard queue may.
                if (records.size() % 4 == 0) {
                    records.add(record);
                }
            }
            event.setRecords(records);
            List<String> failed = failedIds(handler.handleRequest(event, null));
            for (Message m : batch) {
                if (!failed.contains(m.messageId())) {
                    sqs.deleteMessage(r -> r.queueUrl(ingest).receiptHandle(m.receiptHandle()));
                }
            }
        }

        assertThat(assetCount(account)).isEqualTo(expectedAssets);
        assertThat(sfn.started).hasSize(expectedReviews);
        List<JsonNode> rejections = completionBodies();
        assertThat(rejections).hasSize(expectedRejections).allSatisfy(b -> assertThat(b.get("status").asText()).isEqualTo("Failed"));
        assertThat(LocalSqs.drain(sqs, ingest)).isEmpty();
        assertThat(LocalSqs.drain(sqs, dlq)).hasSize(expectedDeadLetters);
        assertThat(receives).as("only the dead letters were received more than once")
                .isEqualTo(40 - expectedDeadLetters + 3 * expectedDeadLetters);
    }
}
