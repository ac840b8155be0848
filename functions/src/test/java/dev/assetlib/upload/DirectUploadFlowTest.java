package dev.assetlib.upload;

import dev.assetlib.testing.LocalAws;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.assetlib.store.StatusChange;
import dev.assetlib.app.upload.DirectUploadService;
import dev.assetlib.app.upload.UploadReceiver;
import dev.assetlib.aws.S3UploadUrlSigner;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.app.upload.UploadService;
import dev.assetlib.api.UploadUrlHandler;
import dev.assetlib.aws.AwsClients;
import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetEvent;
import dev.assetlib.domain.AssetIds;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.json.Json;
import dev.assetlib.review.SimulatedReviewer;
import dev.assetlib.store.AssetStore;
import dev.assetlib.testing.Events;
import dev.assetlib.testing.FakeSfnClient;
import dev.assetlib.testing.LocalSqs;
import dev.assetlib.testing.MutableClock;
import dev.assetlib.app.review.CompletionPublisher;
import dev.assetlib.app.review.PollSchedule;
import dev.assetlib.app.review.ReviewStarter;
import dev.assetlib.app.review.ReviewState;
import dev.assetlib.app.review.ReviewWorkflow;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Direct upload at functions level: the uploadUrl route (real S3 presigner, signing offline), the
 * review tasks (what the state machine would run, from the input it was started with), and the
 * ObjectCreated handler with the events/ sample, against DynamoDB Local and ElasticMQ.
 */
@ExtendWith(LocalAws.class)
class DirectUploadFlowTest {
    private static final String BUCKET = "asset-library-uploads-123456789012-us-east-1";
    private static AwsClients clients;
    private static String table;
    private static S3Presigner presigner;
    private MutableClock clock;
    private FakeSfnClient sfn;
    private AssetStore store;
    private String queue;
    private UploadUrlHandler uploadUrl;
    private S3UploadHandler objectCreated;
    private ReviewWorkflow workflow;

    @BeforeAll
    static void startServers(LocalAws aws) {
        clients = aws.clients();
        table = aws.table();
        presigner = S3Presigner.builder().region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret"))).build();
    }

    @AfterAll
    static void stopServers() {
        presigner.close();
    }

    @BeforeEach
    void setUp() {
        clock = new MutableClock(Instant.parse("2026-03-30T14:21:58Z"));
        sfn = new FakeSfnClient();
        store = new AssetStore(clients.dynamoDb(), table, new AssetIds());
        queue = LocalSqs.newFifoQueue(clients.sqs());
        UploadService uploads = new UploadService(store, new ReviewStarter(sfn, "arn:aws:states:us-east-1:000000000000:stateMachine:AssetReview"),
                Duration.ofHours(24), Duration.ofHours(1), clock);
        uploadUrl = new UploadUrlHandler(new DirectUploadService(uploads, new S3UploadUrlSigner(presigner, BUCKET), Duration.ofMinutes(15)));
        objectCreated = new S3UploadHandler(new UploadReceiver(store, clock));
        workflow = new ReviewWorkflow(store, new SimulatedReviewer(Duration.ofSeconds(10), List.of(), clock),
                new CompletionPublisher(clients.sqs(), queue), new PollSchedule(2, 1.5, 120), clock);
    }

    private JsonNode requestUploadUrl(String account, String body) throws Exception {
        APIGatewayV2HTTPEvent event = Events.http("api-upload-url.json", account);
        if (body != null) {
            event.setBody(body);
        }
        APIGatewayV2HTTPResponse response = uploadUrl.handleRequest(event, null);
        return ((com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(response.getBody())).put("httpStatus", response.getStatusCode());
    }

    private ReviewState startedReview() throws Exception {
        assertThat(sfn.started).hasSize(1);
        return Json.MAPPER.readValue(sfn.started.get(0).input(), ReviewState.class);
    }

    /** The events/ sample, for the given key and size (keys arrive URL-encoded, as S3 sends them). */
    private List<String> putObject(String key, long size) {
        S3Event event = Events.s3("s3-object-created.json");
        var object = event.getRecords().get(0).getS3().getObject();
        S3Event.S3ObjectEntity changed = new S3Event.S3ObjectEntity(
                java.net.URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/"), size, object.geteTag(),
                object.getVersionId(), object.getSequencer());
        var record = event.getRecords().get(0);
        var s3 = new S3Event.S3Entity(record.getS3().getConfigurationId(), record.getS3().getBucket(), changed, record.getS3().getS3SchemaVersion());
        var newRecord = new S3Event.S3EventNotificationRecord(record.getAwsRegion(), record.getEventName(), record.getEventSource(),
                record.getEventTime().toString(), record.getEventVersion(), record.getRequestParameters(), record.getResponseElements(),
                s3, record.getUserIdentity());
        return objectCreated.handleRequest(new S3Event(List.of(newRecord)), null);
    }

    private ReviewState runChecks(ReviewState s, int rounds) {
        for (int i = 0; i < rounds && !s.done(); i++) {
            clock.advance(Duration.ofSeconds(s.waitSeconds()));
            s = workflow.check(s);
        }
        return s;
    }

    @Test
    void theSampleObjectCreatedEventLoadsAsSent() {
        S3Event event = Events.s3("s3-object-created.json");
        assertThat(event.getRecords().get(0).getEventName()).isEqualTo("ObjectCreated:Put");
        assertThat(event.getRecords().get(0).getS3().getObject().getUrlDecodedKey())
                .isEqualTo("uploads/acct-demo/asset-20260330142158-q75m8");
        // No such asset: the sample starts nothing.
        assertThat(objectCreated.handleRequest(event, null)).containsExactly("NOT_AWAITED");
    }

    @Test
    void anUploadUrlThenItsObjectEndsActiveWithOneCompletion() throws Exception {
        JsonNode answer = requestUploadUrl("acct-up", null);
        assertThat(answer.get("httpStatus").asInt()).isEqualTo(200);
        assertThat(answer.get("code").isInt()).isTrue();
        String id = answer.at("/data/assetId").asText();
        assertThat(AssetIds.isWellFormed(id)).isTrue();
        assertThat(answer.at("/data/status").asText()).isEqualTo("Processing");
        assertThat(answer.at("/data/method").asText()).isEqualTo("PUT");
        assertThat(answer.at("/data/headers/Content-Type").asText()).isEqualTo("image/png");
        assertThat(answer.at("/data/headers/If-None-Match").asText()).as("one object per URL").isEqualTo("*");
        assertThat(answer.at("/data/maxBytes").asLong()).isEqualTo(30L * 1024 * 1024);
        // The presigner signs with the wall clock (as in Lambda), so expiry is 15 minutes from now.
        Instant expires = java.time.LocalDateTime.parse(answer.at("/data/expireTime").asText().replace(' ', 'T'))
                .toInstant(java.time.ZoneOffset.UTC);
        assertThat(Duration.between(Instant.now(), expires)).isBetween(Duration.ofMinutes(14), Duration.ofMinutes(15));

        URI url = URI.create(answer.at("/data/uploadUrl").asText());
        assertThat(url.getHost()).isEqualTo(BUCKET + ".s3.amazonaws.com");
        assertThat(url.getPath()).isEqualTo("/uploads/acct-up/" + id);
        String query = URLDecoder.decode(url.getRawQuery(), StandardCharsets.UTF_8);
        assertThat(query).contains("X-Amz-Expires=900").contains("X-Amz-SignedHeaders=content-type;host;if-none-match")
                .contains("X-Amz-Algorithm=AWS4-HMAC-SHA256").doesNotContain("checksum");

        Asset created = store.get("acct-up", id).orElseThrow();
        assertThat(created.status()).isEqualTo(AssetStatus.Processing);
        assertThat(created.url()).isEqualTo("s3://" + BUCKET + "/uploads/acct-up/" + id);
        assertThat(created.name()).isEqualTo("My private portrait");

        // The review started at once, with the asset awaiting its object.
        ReviewState s = startedReview();
        assertThat(sfn.started.get(0).name()).isEqualTo("review-" + id);
        assertThat(s.pending().get(0).url()).isNull();
        assertThat(s.pending().get(0).uploadDeadline()).isEqualTo(clock.instant().plus(Duration.ofHours(1)).getEpochSecond());

        s = workflow.submit(s);
        assertThat(s.pending().get(0).ref()).as("not handed to the reviewer before its object").isNull();
        s = runChecks(s, 3);
        assertThat(s.pending().get(0).ref()).isNull();
        assertThat(s.waitSeconds()).isLessThanOrEqualTo(30);

        assertThat(putObject("uploads/acct-up/" + id, 123_456)).containsExactly("RECORDED");
        assertThat(putObject("uploads/acct-up/" + id, 123_456)).as("a duplicate event").containsExactly("NOT_AWAITED");

        clock.advance(Duration.ofSeconds(s.waitSeconds()));
        s = workflow.check(s);
        assertThat(s.pending().get(0).url()).isEqualTo(created.url());
        assertThat(s.pending().get(0).ref()).as("not handed over before the media step inspected the object").isNull();
        assertThat(s.inspect()).as("the state machine runs InspectMedia next").isTrue();
        assertThat(s.toJson().path("inspect").asBoolean()).isTrue();
        // InspectMedia (MediaStepDirectUploadTest) passes it on; SubmitToReviewer hands it over.
        s = workflow.submit(s);
        assertThat(s.inspect()).isFalse();
        assertThat(s.pending().get(0).ref()).as("handed over once the object is there").isNotNull();
        assertThat(s.round()).as("the review's own schedule starts now").isZero();
        assertThat(s.waitSeconds()).isEqualTo(2);

        s = runChecks(s, 20);
        assertThat(s.done()).isTrue();
        assertThat(store.get("acct-up", id).orElseThrow().status()).isEqualTo(AssetStatus.Active);
        List<Message> completions = LocalSqs.drain(clients.sqs(), queue);
        assertThat(completions).hasSize(1);
        JsonNode body = Json.MAPPER.readTree(completions.get(0).body());
        assertThat(body.get("assetId").asText()).isEqualTo(id);
        assertThat(body.get("status").asText()).isEqualTo("Active");
        assertThat(body.get("url").asText()).isEqualTo(created.url());

        // Each change is in the history, with who made it: the arrival too (a duplicate is not).
        assertThat(store.history("acct-up", id, clock.instant()).orElseThrow())
                .extracting(AssetEvent::change, AssetEvent::actor, AssetEvent::to)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("created", "upload", AssetStatus.Processing),
                        org.assertj.core.groups.Tuple.tuple("uploaded", "upload", AssetStatus.Processing),
                        org.assertj.core.groups.Tuple.tuple("status", "reviewer", AssetStatus.Active));
    }

    @Test
    void aDeletedAssetsObjectStartsNothingAndItsReviewEndsWithTheDeleteCompletion() throws Exception {
        String id = requestUploadUrl("acct-gone", null).at("/data/assetId").asText();
        ReviewState s = workflow.submit(startedReview());
        assertThat(store.delete("acct-gone", id, clock.instant(), Duration.ofDays(30)).outcome())
                .isEqualTo(dev.assetlib.store.DeleteResult.Outcome.DELETED);

        assertThat(putObject("uploads/acct-gone/" + id, 1000)).containsExactly("NOT_AWAITED");
        s = runChecks(s, 1);
        assertThat(s.done()).isTrue();
        Asset deleted = store.get("acct-gone", id).orElseThrow();
        assertThat(deleted.isDeleted()).isTrue();
        assertThat(deleted.errorCode()).isEqualTo("DELETED");
        List<Message> completions = LocalSqs.drain(clients.sqs(), queue);
        assertThat(completions).hasSize(1);
        assertThat(completions.get(0).body()).contains("\"errorCode\":\"DELETED\"");
        assertThat(store.history("acct-gone", id, clock.instant()).orElseThrow()).extracting(AssetEvent::change)
                .containsExactly("created", "deleted");
        assertThat(sfn.started).hasSize(1);
    }

    @Test
    void aKeyNamingAnotherAccountsAssetStartsNothing() throws Exception {
        String id = requestUploadUrl("acct-owner", null).at("/data/assetId").asText();
        ReviewState s = workflow.submit(startedReview());

        assertThat(putObject("uploads/acct-intruder/" + id, 1000)).containsExactly("NOT_AWAITED");

        s = runChecks(s, 3);
        assertThat(s.pending().get(0).ref()).isNull();
        assertThat(s.pending().get(0).uploadDeadline()).isNotNull();
        assertThat(store.get("acct-intruder", id)).isEmpty();
        assertThat(store.get("acct-owner", id).orElseThrow().status()).isEqualTo(AssetStatus.Processing);
        assertThat(LocalSqs.drain(clients.sqs(), queue)).isEmpty();
    }

    @Test
    void anAssetNoLongerWaitingStartsNothing() throws Exception {
        String id = requestUploadUrl("acct-late", null).at("/data/assetId").asText();
        store.transition(StatusChange.of("acct-late", id)
                .from(EnumSet.of(AssetStatus.Processing)).to(AssetStatus.Failed).failing("UPLOAD_MISSING", "gone")
                .by("deadline").at(clock.instant()));

        assertThat(putObject("uploads/acct-late/" + id, 1000)).containsExactly("NOT_AWAITED");
        assertThat(store.get("acct-late", id).orElseThrow().status()).isEqualTo(AssetStatus.Failed);
    }

    static Stream<Arguments> ignoredKeys() {
        return Stream.of(
                Arguments.of("outside uploads/", "media/acct-x/asset-20260330142158-q75m8"),
                Arguments.of("no asset id", "uploads/acct-x/"),
                Arguments.of("malformed asset id", "uploads/acct-x/portrait.jpg"),
                Arguments.of("deeper path", "uploads/acct-x/asset-20260330142158-q75m8/more"),
                Arguments.of("bad account", "uploads/acct x/asset-20260330142158-q75m8"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ignoredKeys")
    void objectsAnywhereElseAreIgnored(String what, String key) {
        assertThat(putObject(key, 10)).containsExactly("IGNORED");
    }

    @Test
    void anUploadUrlNeverUsedFailsAtItsUploadDeadlineWithTheReason() throws Exception {
        String id = requestUploadUrl("acct-idle", null).at("/data/assetId").asText();
        ReviewState s = workflow.submit(startedReview());
        int rounds = 0;
        while (!s.done() && rounds++ < 1000) {
            clock.advance(Duration.ofSeconds(s.waitSeconds()));
            s = workflow.check(s);
        }
        assertThat(s.done()).isTrue();
        assertThat(rounds).as("looks while awaiting are at most 30 s apart, so about 2 per minute of the hour").isLessThan(150);
        assertThat(clock.instant()).isEqualTo(Instant.parse("2026-03-30T15:21:58Z"));
        Asset failed = store.get("acct-idle", id).orElseThrow();
        assertThat(failed.status()).isEqualTo(AssetStatus.Failed);
        assertThat(failed.errorCode()).isEqualTo("UPLOAD_MISSING");
        assertThat(failed.errorMessage()).contains("the upload never arrived");
        List<Message> completions = LocalSqs.drain(clients.sqs(), queue);
        assertThat(completions).hasSize(1);
        assertThat(completions.get(0).body()).contains("UPLOAD_MISSING");
        AssetEvent last = store.history("acct-idle", id, clock.instant()).orElseThrow().get(1);
        assertThat(last.actor()).isEqualTo("deadline");
        assertThat(last.errorCode()).isEqualTo("UPLOAD_MISSING");

        // The object arriving afterwards starts nothing.
        assertThat(putObject("uploads/acct-idle/" + id, 1000)).containsExactly("NOT_AWAITED");
    }

    @Test
    void anObjectOverTheSizeLimitFailsWithTheLimit() throws Exception {
        String id = requestUploadUrl("acct-big", null).at("/data/assetId").asText();
        ReviewState s = workflow.submit(startedReview());
        assertThat(putObject("uploads/acct-big/" + id, 31L * 1024 * 1024)).containsExactly("RECORDED");
        s = runChecks(s, 1);
        assertThat(s.done()).isTrue();
        Asset failed = store.get("acct-big", id).orElseThrow();
        assertThat(failed.errorCode()).isEqualTo("UPLOAD_TOO_LARGE");
        assertThat(failed.errorMessage()).contains("31457280").contains("Image");
        assertThat(store.history("acct-big", id, clock.instant()).orElseThrow()).extracting(AssetEvent::change, AssetEvent::actor)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("created", "upload"),
                        org.assertj.core.groups.Tuple.tuple("uploaded", "upload"),
                        org.assertj.core.groups.Tuple.tuple("status", "upload"));
        assertThat(LocalSqs.drain(clients.sqs(), queue)).hasSize(1);
    }

    @Test
    void anObjectArrivingAtTheDeadlineIsNeverFailedAsMissing() throws Exception {
        String id = requestUploadUrl("acct-race", null).at("/data/assetId").asText();
        ReviewState s = workflow.submit(startedReview());
        clock.advance(Duration.ofHours(1));
        // The object is recorded after the check would have read "awaiting" (same state of the world).
        assertThat(putObject("uploads/acct-race/" + id, 5000)).containsExactly("RECORDED");
        s = workflow.check(s);
        assertThat(store.get("acct-race", id).orElseThrow().status()).isEqualTo(AssetStatus.Processing);
        assertThat(s.inspect()).as("arrived: on to the media step, not failed as missing").isTrue();
        assertThat(workflow.submit(s).pending().get(0).ref()).isNotNull();
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("contentType missing", "{\"assetType\":\"Image\"}", 40016, "contentType is required"),
                Arguments.of("contentType of another type", "{\"assetType\":\"Image\",\"contentType\":\"video/mp4\"}", 40016, "image/png"),
                Arguments.of("contentType not a string", "{\"assetType\":\"Video\",\"contentType\":5}", 40016, "string"),
                Arguments.of("contentType with parameters", "{\"assetType\":\"Document\",\"contentType\":\"text/plain; charset=utf-8\"}", 40016, "no parameters"),
                Arguments.of("assetType lowercase", "{\"assetType\":\"image\",\"contentType\":\"image/png\"}", 40010, "case-sensitive"),
                Arguments.of("name too long", "{\"assetType\":\"Image\",\"contentType\":\"image/png\",\"name\":\"" + "n".repeat(257) + "\"}", 40012, "256"),
                Arguments.of("not JSON", "assetType=Image", 40002, "JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badRequestsGetTheEnvelopeAndCreateNothing(String what, String body, int code, String hint) throws Exception {
        JsonNode answer = requestUploadUrl("acct-bad", body);
        assertThat(answer.get("httpStatus").asInt()).isEqualTo(400);
        assertThat(answer.get("code").asInt()).isEqualTo(code);
        assertThat(answer.get("msg").asText()).contains(hint);
        assertThat(sfn.started).isEmpty();
    }

    @Test
    void aReviewerKeyMayNotAskForAnUploadUrl() throws Exception {
        APIGatewayV2HTTPEvent event = Events.http("api-upload-url.json", "acct-reviewer");
        event.getRequestContext().getAuthorizer().getLambda().put("role", "reviewer");
        APIGatewayV2HTTPResponse response = uploadUrl.handleRequest(event, null);
        assertThat(response.getStatusCode()).isEqualTo(403);
        assertThat(Json.MAPPER.readTree(response.getBody()).get("code").asInt()).isEqualTo(40300);
        assertThat(sfn.started).isEmpty();
    }

    @Test
    void whenTheReviewCannotStartNothingIsLeftBehind() throws Exception {
        sfn.failWith = software.amazon.awssdk.services.sfn.model.SfnException.builder().message("throttled").build();
        JsonNode answer = requestUploadUrl("acct-sfn-down", null);
        assertThat(answer.get("httpStatus").asInt()).isEqualTo(503);
        assertThat(clients.dynamoDb().query(r -> r.tableName(table).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(java.util.Map.of(":pk",
                        software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("ACCOUNT#acct-sfn-down")))).count()).isZero();
    }
}
