package dev.assetlib.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.assetlib.Services;
import dev.assetlib.app.ingest.IngestRetryQueue;
import dev.assetlib.aws.AwsClients;
import dev.assetlib.config.Config;
import dev.assetlib.domain.Actors;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.store.StatusChange;
import dev.assetlib.testing.FakeSfnClient;
import dev.assetlib.testing.Fixture;
import dev.assetlib.testing.LocalAws;
import dev.assetlib.testing.LocalSqs;
import dev.assetlib.testing.MutableClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Ingest messages over a quota wait as delayed copies on a real ingest queue (ElasticMQ) and are
 * processed once there is room, one upload whichever copy or redelivery comes; after the wait's
 * give-up time they are left for the dead-letter queue. DynamoDB Local, the FAKE Step Functions client.
 */
@ExtendWith(LocalAws.class)
class IngestQuotaWaitTest {
    private AwsClients clients;
    private String table;
    private String ingestQueue;
    private MutableClock clock;
    private FakeSfnClient sfn;
    private Services services;
    private IngestHandler handler;
    private String account;

    @BeforeEach
    void setUp(LocalAws aws) {
        clients = aws.clients();
        table = aws.table();
        ingestQueue = clients.sqs().createQueue(r -> r.queueName("ingest-" + UUID.randomUUID())).queueUrl();
        clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
        sfn = new FakeSfnClient();
        account = "wait-" + UUID.randomUUID().toString().substring(0, 8);
        services = services(ingestQueue);
        services.apiKeyStore().create(account, "uploader", new SecureRandom(), clock.instant());
        handler = new IngestHandler(services);
    }

    /** Limits on, one asset in review at most, a give-up time of one hour, delays at 1/1000 (each send's delay 1 s). */
    private Services services(String queueForCopies) {
        byte[] tokenKey = new byte[32];
        new SecureRandom().nextBytes(tokenKey);
        Map<String, String> env = new HashMap<>();
        env.put(Config.ASSETS_TABLE, table);
        env.put(Config.COMPLETION_QUEUE_URL, LocalSqs.newFifoQueue(clients.sqs()));
        env.put(Config.REVIEW_STATE_MACHINE_ARN, Fixture.STATE_MACHINE);
        env.put(Config.LIST_TOKEN_KEY, Base64.getUrlEncoder().withoutPadding().encodeToString(tokenKey));
        env.put(Config.ACCOUNT_LIMITS_ENABLED, "true");
        env.put(Config.QUOTA_IN_REVIEW, "1");
        env.put(Config.INGEST_QUOTA_WAIT_SECONDS, "3600");
        env.put(Config.INGEST_TIME_SCALE, "0.001");
        if (queueForCopies != null) {
            env.put(Config.INGEST_QUEUE_URL, queueForCopies);
        }
        return new Services(new Config(env), clients, Services.Clocks.of(clock), Services.Overrides.NONE.withStepFunctions(sfn));
    }

    private SQSEvent.SQSMessage sent(String body) {
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setMessageId(UUID.randomUUID().toString());
        m.setBody(body);
        m.setMessageAttributes(new HashMap<>(Map.of(IngestHandler.ACCOUNT_ATTRIBUTE, attribute("String", account))));
        return m;
    }

    private static SQSEvent.MessageAttribute attribute(String type, String value) {
        SQSEvent.MessageAttribute a = new SQSEvent.MessageAttribute();
        a.setDataType(type);
        a.setStringValue(value);
        return a;
    }

    /** A message received from the queue, in the shape Lambda's event source gives it. */
    private static SQSEvent.SQSMessage received(Message m) {
        SQSEvent.SQSMessage e = new SQSEvent.SQSMessage();
        e.setMessageId(m.messageId());
        e.setBody(m.body());
        Map<String, SQSEvent.MessageAttribute> attributes = new HashMap<>();
        m.messageAttributes().forEach((name, v) -> attributes.put(name, attribute(v.dataType(), v.stringValue())));
        e.setMessageAttributes(attributes);
        return e;
    }

    private List<String> handle(SQSEvent.SQSMessage... messages) {
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(messages));
        SQSBatchResponse response = handler.handleRequest(event, null);
        return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    /** The next copy on the ingest queue (deleted once read), waiting up to {@code within}. */
    private Message nextCopy(Duration within) {
        long until = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < until) {
            List<Message> got = clients.sqs().receiveMessage(r -> r.queueUrl(ingestQueue).maxNumberOfMessages(10)
                    .waitTimeSeconds(1).messageAttributeNames("All")
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
            if (!got.isEmpty()) {
                assertThat(got).hasSize(1);
                clients.sqs().deleteMessage(r -> r.queueUrl(ingestQueue).receiptHandle(got.get(0).receiptHandle()));
                return got.get(0);
            }
        }
        return null;
    }

    private int assetCount() {
        return clients.dynamoDb().query(r -> r.tableName(table).keyConditionExpression("pk = :pk AND begins_with(sk, :asset)")
                .filterExpression("attribute_exists(assetType)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("ACCOUNT#" + account), ":asset", AttributeValue.fromS("ASSET#"))))
                .count();
    }

    /** The asset of the first review started (its input names the pending assets). */
    private String firstAssetId() {
        try {
            return dev.assetlib.json.Json.MAPPER.readTree(sfn.started.get(0).input()).at("/pending/0/assetId").asText();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String image(String name) {
        return "{\"assetType\":\"Image\",\"url\":\"https://example.com/" + name + ".jpg\"}";
    }

    @Test
    void aMessageOverAQuotaComesBackAsDelayedCopiesAndIsProcessedOnceWhenThereIsRoom() {
        assertThat(handle(sent(image("first")))).isEmpty();
        assertThat(assetCount()).isEqualTo(1); // the one asset in review the plan allows

        SQSEvent.SQSMessage over = sent(image("over"));
        assertThat(handle(over)).as("the original is done: its copy waits").isEmpty();
        assertThat(assetCount()).isEqualTo(1);
        assertThat(clients.sqs().receiveMessage(r -> r.queueUrl(ingestQueue).waitTimeSeconds(0)).messages())
                .as("delayed, not visible at once").isEmpty();
        Message copy = nextCopy(Duration.ofSeconds(10));
        assertThat(copy).isNotNull();
        assertThat(copy.body()).isEqualTo(over.getBody());
        assertThat(copy.messageAttributes().get(IngestRetryQueue.ORIGINAL_ID).stringValue()).isEqualTo(over.getMessageId());
        assertThat(copy.messageAttributes().get(IngestRetryQueue.REFUSALS).stringValue()).isEqualTo("1");
        assertThat(copy.messageAttributes().get(IngestRetryQueue.WAITING_SINCE).stringValue()).isEqualTo(clock.instant().toString());
        assertThat(copy.messageAttributes().get(IngestRetryQueue.REASON).stringValue()).contains("inReview");
        assertThat(copy.messageAttributes().get("accountId").stringValue()).isEqualTo(account);

        // Still over: the copy comes back again, its wait so far kept (more than maxReceiveCount times in all).
        Instant since = clock.instant();
        for (int refusal = 2; refusal <= 4; refusal++) {
            clock.advance(Duration.ofMinutes(5));
            assertThat(handle(received(copy))).isEmpty();
            copy = nextCopy(Duration.ofSeconds(10));
            assertThat(copy).isNotNull();
            assertThat(copy.messageAttributes().get(IngestRetryQueue.REFUSALS).stringValue()).isEqualTo(Integer.toString(refusal));
            assertThat(copy.messageAttributes().get(IngestRetryQueue.WAITING_SINCE).stringValue()).isEqualTo(since.toString());
        }
        assertThat(assetCount()).isEqualTo(1);

        // Room: the first asset ends. The copy is processed once; a late redelivery of the original is the same upload.
        String firstId = firstAssetId();
        services.assetStore().transition(StatusChange.of(account, firstId).from(EnumSet.of(AssetStatus.submitted, AssetStatus.Processing))
                .to(AssetStatus.Active).by(Actors.REVIEWER).at(clock.instant()));
        assertThat(handle(received(copy))).isEmpty();
        assertThat(assetCount()).isEqualTo(2);
        assertThat(handle(over)).isEmpty();
        assertThat(assetCount()).isEqualTo(2);
        assertThat(sfn.started).hasSize(2);
        assertThat(nextCopy(Duration.ofSeconds(2))).as("nothing more waits").isNull();
    }

    @Test
    void aMessageStillOverItsQuotaAfterTheGiveUpTimeIsLeftForTheDeadLetterQueue() {
        assertThat(handle(sent(image("first")))).isEmpty();
        assertThat(handle(sent(image("over")))).isEmpty();
        Message copy = nextCopy(Duration.ofSeconds(10));
        assertThat(copy).isNotNull();
        clock.advance(Duration.ofHours(1)); // INGEST_QUOTA_WAIT_SECONDS
        SQSEvent.SQSMessage last = received(copy);
        assertThat(handle(last)).as("a batch item failure: the redrive policy moves it to the DLQ").containsExactly(last.getMessageId());
        assertThat(nextCopy(Duration.ofSeconds(2))).as("no further copy").isNull();
        assertThat(assetCount()).isEqualTo(1);
    }

    @Test
    void malformedAndUnknownAccountMessagesDoNotWaitAndWithoutARetryQueueOverQuotaIsLeftToTheVisibilityTimeout() {
        SQSEvent.SQSMessage stranger = sent(image("x"));
        stranger.getMessageAttributes().put(IngestHandler.ACCOUNT_ATTRIBUTE, attribute("String", "never-had-a-key"));
        assertThat(handle(stranger)).containsExactly(stranger.getMessageId()); // to the DLQ after 3 receives, as before
        assertThat(handle(sent("not json"))).isEmpty(); // rejected once, with its rejection completion
        assertThat(nextCopy(Duration.ofSeconds(2))).isNull();

        handler = new IngestHandler(services(null));
        assertThat(handle(sent(image("first")))).isEmpty();
        SQSEvent.SQSMessage over = sent(image("over"));
        assertThat(handle(over)).containsExactly(over.getMessageId());
        assertThat(nextCopy(Duration.ofSeconds(2))).isNull();
    }
}
