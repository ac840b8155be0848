package dev.assetlib.review.rekognition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.app.query.AssetViews;
import dev.assetlib.app.review.CompletionPublisher;
import dev.assetlib.app.review.PollSchedule;
import dev.assetlib.app.review.ReviewState;
import dev.assetlib.app.review.ReviewWorkflow;
import dev.assetlib.aws.AwsClients;
import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetEvent;
import dev.assetlib.domain.AssetIds;
import dev.assetlib.domain.AssetMedia;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.domain.AssetType;
import dev.assetlib.json.Json;
import dev.assetlib.review.ReviewItem;
import dev.assetlib.review.SubmitOutcome;
import dev.assetlib.store.AssetStore;
import dev.assetlib.store.HumanReviewStore;
import dev.assetlib.store.NewAsset;
import dev.assetlib.testing.LocalAws;
import dev.assetlib.testing.LocalSqs;
import dev.assetlib.testing.MutableClock;
import dev.assetlib.testing.rekognition.ScriptedRekognition;
import dev.assetlib.testing.rekognition.ScriptedRekognition.Face;
import dev.assetlib.testing.rekognition.ScriptedRekognition.Label;
import dev.assetlib.testing.rekognition.ScriptedRekognition.VideoScript;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The rekognition reviewer with the real SDK client against {@link ScriptedRekognition} (the named
 * fake), inside the real review workflow on DynamoDB Local and ElasticMQ: the requests it sends,
 * each outcome's status, reason, findings and history, and one completion per asset.
 */
@ExtendWith(LocalAws.class)
class RekognitionReviewerTest {
    private static final String BUCKET = "media-bucket";
    private ScriptedRekognition rekognition;
    private AwsClients rekognitionClients;
    private MutableClock clock;
    private AssetStore store;
    private HumanReviewStore humans;
    private RekognitionReviewer reviewer;
    private ReviewWorkflow workflow;
    private String queue;
    private String account;
    private LocalAws aws;

    @BeforeEach
    void setUp(LocalAws aws) throws Exception {
        this.aws = aws;
        rekognition = new ScriptedRekognition();
        rekognitionClients = new AwsClients(Region.US_EAST_1,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")),
                Map.of("rekognition", rekognition.endpoint()), AwsClients.Timeouts.LOCAL);
        clock = new MutableClock(Instant.parse("2026-03-30T14:21:58Z"));
        store = new AssetStore(aws.clients().dynamoDb(), aws.table(), new AssetIds());
        humans = new HumanReviewStore(aws.clients().dynamoDb(), aws.table(), store);
        reviewer = new RekognitionReviewer(rekognitionClients.rekognition(), BUCKET, ModerationPolicy.DEFAULT, store, humans,
                clock, Duration.ofSeconds(30));
        queue = LocalSqs.newFifoQueue(aws.clients().sqs());
        workflow = new ReviewWorkflow(store, reviewer, new CompletionPublisher(aws.clients().sqs(), queue),
                new PollSchedule(2, 1.5, 60), clock);
        account = "studio-" + Long.toString(System.nanoTime(), 36);
    }

    @AfterEach
    void tearDown() {
        rekognitionClients.close();
        rekognition.close();
    }

    /** An asset as the media step leaves it: facts recorded, the copy under media/{account}/{id}. */
    private Asset asset(AssetType type, String format, String codec) {
        Asset a = store.createAll(account, List.of(new NewAsset(type, "https://cdn.example.com/" + UUID.randomUUID(),
                "n", AssetStatus.submitted)), true, clock.instant()).get(0);
        String sha = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
        boolean video = type == AssetType.Video;
        store.recordMedia(account, a.assetId(), new AssetMedia(format, 200_000, sha, type == AssetType.Audio ? null : 1280,
                type == AssetType.Audio ? null : 720, video || type == AssetType.Audio ? 5_000L : null, video ? 24.0 : null,
                "media/" + account + "/" + a.assetId(), codec, null), clock.instant());
        return a;
    }

    private Asset image() {
        return asset(AssetType.Image, "jpeg", null);
    }

    private static String key(Asset a) {
        return "media/" + a.accountId() + "/" + a.assetId();
    }

    private ReviewState submit(Asset... assets) {
        List<ReviewState.PendingAsset> pending = new ArrayList<>();
        for (Asset a : assets) {
            pending.add(new ReviewState.PendingAsset(a.assetId(), a.assetType().name(), a.url(), null));
        }
        ReviewState s = new ReviewState(account, assets[0].batchId(), ReviewState.BATCH,
                clock.instant().plus(Duration.ofHours(1)).getEpochSecond(), 0, 0, false, pending, null);
        return workflow.submit(s);
    }

    private ReviewState round(ReviewState s) {
        clock.advance(Duration.ofSeconds(Math.max(1, s.waitSeconds())));
        return workflow.check(s);
    }

    private Asset get(Asset a) {
        return store.get(account, a.assetId()).orElseThrow();
    }

    private List<AssetEvent> history(Asset a) {
        return store.history(account, a.assetId(), clock.instant()).orElseThrow();
    }

    private JsonNode findings(Asset a) {
        return AssetViews.detail(get(a)).get("findings");
    }

    private List<String> completions() {
        return LocalSqs.drain(aws.clients().sqs(), queue).stream().map(Message::body).toList();
    }

    @Test
    void anImageWithOneFaceAndNoModerationLabelIsApprovedByRekognitionReadingTheStoredObject() throws Exception {
        Asset a = image();
        rekognition.image(key(a), List.of(Label.top("Alcohol", 91)), List.of(Face.of(99.5, 0.25, 0.1, 0.5, 0.4)));
        ReviewState s = round(submit(a));

        assertThat(get(a).status()).isEqualTo(AssetStatus.Active);
        ScriptedRekognition.Request labels = rekognition.of("DetectModerationLabels").get(0);
        assertThat(labels.s3Bucket()).isEqualTo(BUCKET);
        assertThat(labels.s3Name()).isEqualTo(key(a));
        assertThat(labels.body().get("MinConfidence").asDouble()).isEqualTo(50.0);
        assertThat(rekognition.of("DetectFaces").get(0).s3Name()).isEqualTo(key(a));
        assertThat(labels.body().has("Image") && !labels.body().get("Image").has("Bytes")).isTrue(); // never the bytes
        JsonNode f = findings(a);
        assertThat(f.get("decision").asText()).isEqualTo("approve");
        assertThat(f.get("facesFound").asInt()).isEqualTo(1);
        assertThat(f.at("/faces/0/boundingBox/left").asDouble()).isEqualTo(0.25);
        assertThat(f.at("/labels/0/name").asText()).isEqualTo("Alcohol");
        assertThat(history(a)).extracting(AssetEvent::change, AssetEvent::actor).endsWith(
                org.assertj.core.groups.Tuple.tuple("findings", "rekognition"), org.assertj.core.groups.Tuple.tuple("status", "rekognition"));
        assertThat(completions()).hasSize(1).allSatisfy(b -> assertThat(b).contains("Active"));
        assertThat(s.done()).isTrue();
    }

    @Test
    void anImageIsRejectedByItsTopLevelCategoryWithTheConfidenceAndTheThresholdInItsReason() throws Exception {
        Asset a = image();
        rekognition.image(key(a), List.of(Label.top("Explicit Nudity", 97.1),
                Label.child("Exposed Male Genitalia", "Explicit Nudity", 2, 97.1)), List.of());
        round(submit(a));

        Asset failed = get(a);
        assertThat(failed.status()).isEqualTo(AssetStatus.Failed);
        assertThat(failed.errorCode()).isEqualTo("REVIEW_REJECTED");
        assertThat(failed.errorMessage()).isEqualTo("REVIEW_REJECTED: Explicit Nudity 97.1 % (rejects at 80 %)");
        assertThat(findings(a).get("rule").asText()).isEqualTo("Explicit Nudity 97.1 % (rejects at 80 %)");
        assertThat(findings(a).get("labels")).hasSize(2);
        AssetEvent last = history(a).get(history(a).size() - 1);
        assertThat(last.actor()).isEqualTo("rekognition");
        assertThat(last.errorCode()).isEqualTo("REVIEW_REJECTED");
        assertThat(completions()).hasSize(1);
    }

    @Test
    void anImageWithMoreFacesThanAllowedIsRejectedSayingHowMany() {
        Asset a = image();
        rekognition.image(key(a), List.of(), List.of(Face.of(99, 0, 0, .2, .2), Face.of(98, .3, 0, .2, .2), Face.of(97, .6, 0, .2, .2)));
        round(submit(a));

        assertThat(get(a).errorMessage()).isEqualTo("REVIEW_REJECTED: 3 faces found; at most 1 allowed");
        assertThat(findings(a).get("faces")).hasSize(3);
        assertThat(completions()).hasSize(1);
    }

    @Test
    void anUncertainImageGoesToThePersonQueueWithItsFindingsAndAPersonsApprovalEndsIt() {
        Asset a = image();
        rekognition.image(key(a), List.of(Label.top("Violence", 70.4)), List.of(Face.of(99, .1, .1, .3, .3)));
        ReviewState s = round(submit(a));

        assertThat(get(a).status()).isEqualTo(AssetStatus.Processing);
        HumanReviewStore.Page page = humans.pending(account, 10, null);
        assertThat(page.items()).extracting(q -> q.asset().assetId()).containsExactly(a.assetId());
        JsonNode shown = AssetViews.detail(page.items().get(0).asset()).get("findings"); // what the console reads
        assertThat(shown.get("decision").asText()).isEqualTo("person");
        assertThat(shown.get("rule").asText()).startsWith("Violence 70.4 % (rejects at 80 %");
        assertThat(shown.at("/faces/0/boundingBox/width").asDouble()).isEqualTo(0.3);
        assertThat(history(a)).last().satisfies(e -> {
            assertThat(e.actor()).isEqualTo("rekognition");
            assertThat(e.reason()).startsWith("sent to a person: Violence 70.4 %");
        });

        s = round(s); // nothing decided yet: Rekognition is not asked again
        assertThat(rekognition.count("DetectModerationLabels")).isEqualTo(1);
        assertThat(get(a).status()).isEqualTo(AssetStatus.Processing);

        assertThat(humans.decide(account, a.assetId(), "approve", "staged fight scene", "key-7qk2m9xw4tbn", clock.instant()))
                .isEqualTo(HumanReviewStore.DecideResult.DECIDED);
        s = round(s);
        assertThat(get(a).status()).isEqualTo(AssetStatus.Active);
        assertThat(history(a)).last().satisfies(e -> {
            assertThat(e.actor()).isEqualTo("reviewer:key-7qk2m9xw4tbn@" + account);
            assertThat(e.reason()).isEqualTo("staged fight scene");
        });
        assertThat(rekognition.count("DetectModerationLabels")).isEqualTo(1);
        assertThat(completions()).hasSize(1);
        assertThat(s.done()).isTrue();
    }

    @Test
    void aVideoIsPolledAcrossRoundsUntilBothJobsEndAndEveryPageIsRead() {
        Asset v = asset(AssetType.Video, "mp4", "avc1");
        List<Label> labels = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            labels.add(Label.top("Alcohol", 60 + i).at(i * 1000L));
        }
        // one face a frame over 4 pages, then two faces in the last frame, on the 5th page
        List<Face> faces = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            faces.add(Face.of(99, .1, .1, .2, .2).at(i * 500L));
        }
        faces.add(Face.of(99, .6, .1, .2, .2).at(3000L));
        rekognition.video(key(v), new VideoScript(labels, faces, 2, 2, null));
        ReviewState s = submit(v);

        ScriptedRekognition.Request start = rekognition.of("StartContentModeration").get(0);
        assertThat(start.s3Name()).isEqualTo(key(v));
        assertThat(start.body().get("MinConfidence").asDouble()).isEqualTo(50.0);
        assertThat(start.body().get("ClientRequestToken").asText())
                .isEqualTo(RekognitionCalls.token("moderation", account, v.assetId())).matches("[0-9a-f]{64}");
        assertThat(rekognition.of("StartFaceDetection").get(0).body().get("ClientRequestToken").asText())
                .isEqualTo(RekognitionCalls.token("faces", account, v.assetId()));

        s = round(s);
        s = round(s);
        assertThat(get(v).status()).isEqualTo(AssetStatus.Processing); // two rounds in progress
        s = round(s);
        assertThat(get(v).errorMessage()).isEqualTo("REVIEW_REJECTED: 2 faces found; at most 1 allowed");
        // 3 rounds' first pages + 2 more pages of 5 labels; 1 first page of faces + 3 more pages of 8 faces
        assertThat(rekognition.of("GetContentModeration")).filteredOn(r -> r.body().has("NextToken")).hasSize(2);
        assertThat(rekognition.of("GetFaceDetection")).filteredOn(r -> r.body().has("NextToken")).hasSize(3);
        JsonNode f = findings(v);
        assertThat(f.get("labels")).hasSize(1); // one name, at its most confident frame
        assertThat(f.at("/labels/0/confidence").asDouble()).isEqualTo(64.0);
        assertThat(f.at("/labels/0/timestampMs").asLong()).isEqualTo(4000L);
        assertThat(f.get("faces")).hasSize(2).allSatisfy(face -> assertThat(face.get("timestampMs").asLong()).isEqualTo(3000L));
        assertThat(completions()).hasSize(1);
        assertThat(s.done()).isTrue();
    }

    @Test
    void aRetriedVideoSubmissionStartsNoSecondJob() {
        Asset v = asset(AssetType.Video, "mov", "avc1");
        rekognition.video(key(v), new VideoScript(List.of(), List.of(), 0, 10, null));
        Asset fresh = get(v);
        ReviewItem item = new ReviewItem(account, v.assetId(), AssetType.Video, v.url(), fresh.media(), null);
        SubmitOutcome first = reviewer.submit(List.of(item)).get(v.assetId());
        SubmitOutcome again = reviewer.submit(List.of(item)).get(v.assetId());
        assertThat(again).isEqualTo(first);
        assertThat(rekognition.of("StartContentModeration")).extracting(r -> r.body().get("ClientRequestToken").asText())
                .hasSize(2).containsOnly(RekognitionCalls.token("moderation", account, v.assetId()));
    }

    @Test
    void throttlingForSeveralRoundsLeavesTheAssetPendingAndThenItIsDecided() {
        Asset a = image();
        rekognition.image(key(a), List.of(), List.of());
        rekognition.fail("DetectModerationLabels", "ThrottlingException", 4); // two attempts a round: 2 rounds
        rekognition.fail("DetectFaces", "ProvisionedThroughputExceededException", 2); // and one more
        ReviewState s = submit(a);
        for (int i = 0; i < 3; i++) {
            s = round(s);
            assertThat(get(a).status()).as("round " + (i + 1)).isEqualTo(AssetStatus.Processing);
            assertThat(s.done()).isFalse();
        }
        s = round(s);
        assertThat(get(a).status()).isEqualTo(AssetStatus.Active);
        assertThat(rekognition.count("DetectModerationLabels")).isEqualTo(4 + 2);
        assertThat(completions()).hasSize(1);
    }

    @Test
    void aServiceErrorIsTransientToo() {
        Asset a = image();
        rekognition.image(key(a), List.of(), List.of());
        rekognition.fail("DetectModerationLabels", "InternalServerError", 2);
        ReviewState s = round(submit(a));
        assertThat(get(a).status()).isEqualTo(AssetStatus.Processing);
        round(s);
        assertThat(get(a).status()).isEqualTo(AssetStatus.Active);
    }

    @Test
    void anImageRekognitionCannotReadFailsWithTheVendorsReason() {
        Asset a = image();
        rekognition.imageError(key(a), "InvalidImageFormatException", "Request has invalid image format");
        round(submit(a));

        Asset failed = get(a);
        assertThat(failed.status()).isEqualTo(AssetStatus.Failed);
        assertThat(failed.errorCode()).isEqualTo("MEDIA_UNREADABLE");
        assertThat(failed.errorMessage()).isEqualTo("MEDIA_UNREADABLE: Rekognition could not read the media (DetectModerationLabels:"
                + " InvalidImageFormatException: Request has invalid image format)");
        assertThat(history(a)).last().extracting(AssetEvent::actor).isEqualTo("rekognition");
        assertThat(completions()).hasSize(1);
    }

    @Test
    void aFailedVideoJobFailsTheAssetWithTheJobsStatusMessage() {
        Asset v = asset(AssetType.Video, "mp4", "avc1");
        rekognition.video(key(v), new VideoScript(List.of(), List.of(), 1, 10, "Video file is corrupted"));
        ReviewState s = round(submit(v));
        assertThat(get(v).status()).isEqualTo(AssetStatus.Processing);
        round(s);
        assertThat(get(v).errorCode()).isEqualTo("REVIEW_ERROR");
        assertThat(get(v).errorMessage()).isEqualTo("REVIEW_ERROR: Rekognition's content moderation job failed: Video file is corrupted");
        assertThat(completions()).hasSize(1);
    }

    @Test
    void aVideoInACodecRekognitionCannotReadAndAnAudioAssetGoToAPersonWithTheReason() {
        Asset hevc = asset(AssetType.Video, "mp4", "hvc1");
        Asset audio = asset(AssetType.Audio, "wav", null);
        round(submit(hevc, audio));

        assertThat(rekognition.requests).isEmpty();
        assertThat(humans.pending(account, 10, null).items()).extracting(q -> q.asset().assetId())
                .containsExactlyInAnyOrder(hevc.assetId(), audio.assetId());
        assertThat(findings(hevc).get("rule").asText()).isEqualTo("video codec hvc1 in mp4: Rekognition Video reads H.264 in MP4 or MOV only");
        assertThat(findings(audio).get("rule").asText()).isEqualTo("audio: no automated check exists; the moderation policy says person");
        assertThat(get(hevc).status()).isEqualTo(AssetStatus.Processing);
    }

    @Test
    void aPolicyThatRejectsDocumentsFailsThemWithoutACall() {
        reviewer = new RekognitionReviewer(rekognitionClients.rekognition(), BUCKET,
                ModerationPolicy.parse("{\"document\": \"reject\"}"), store, humans, clock, Duration.ofSeconds(30));
        workflow = new ReviewWorkflow(store, reviewer, new CompletionPublisher(aws.clients().sqs(), queue),
                new PollSchedule(2, 1.5, 60), clock);
        Asset d = asset(AssetType.Document, "pdf", null);
        round(submit(d));
        assertThat(get(d).errorMessage()).isEqualTo("REVIEW_REJECTED: document: no automated check exists; the moderation policy says reject");
        assertThat(rekognition.requests).isEmpty();
    }
}
