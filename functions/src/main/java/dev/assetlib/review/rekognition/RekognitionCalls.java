package dev.assetlib.review.rekognition;

import dev.assetlib.domain.FailureCode;
import dev.assetlib.security.Sha256;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.rekognition.RekognitionClient;
import software.amazon.awssdk.services.rekognition.model.AccessDeniedException;
import software.amazon.awssdk.services.rekognition.model.BoundingBox;
import software.amazon.awssdk.services.rekognition.model.ContentModerationDetection;
import software.amazon.awssdk.services.rekognition.model.ContentModerationSortBy;
import software.amazon.awssdk.services.rekognition.model.DetectFacesResponse;
import software.amazon.awssdk.services.rekognition.model.DetectModerationLabelsResponse;
import software.amazon.awssdk.services.rekognition.model.FaceDetail;
import software.amazon.awssdk.services.rekognition.model.FaceDetection;
import software.amazon.awssdk.services.rekognition.model.GetContentModerationResponse;
import software.amazon.awssdk.services.rekognition.model.GetFaceDetectionResponse;
import software.amazon.awssdk.services.rekognition.model.Image;
import software.amazon.awssdk.services.rekognition.model.ImageTooLargeException;
import software.amazon.awssdk.services.rekognition.model.InvalidImageFormatException;
import software.amazon.awssdk.services.rekognition.model.InvalidParameterException;
import software.amazon.awssdk.services.rekognition.model.InvalidS3ObjectException;
import software.amazon.awssdk.services.rekognition.model.ModerationLabel;
import software.amazon.awssdk.services.rekognition.model.RekognitionException;
import software.amazon.awssdk.services.rekognition.model.ResourceNotFoundException;
import software.amazon.awssdk.services.rekognition.model.S3Object;
import software.amazon.awssdk.services.rekognition.model.Video;
import software.amazon.awssdk.services.rekognition.model.VideoJobStatus;
import software.amazon.awssdk.services.rekognition.model.VideoTooLargeException;

/**
 * The Rekognition calls of the reviewer, on the stored copy in S3 (the bytes never pass through the
 * function), with the vendor's errors sorted into the two kinds the reviewer acts on:
 * {@link Transient} (throttling, service errors, time-outs, our own missing rights: asked again
 * next round, never a failed asset) and {@link Unreadable} (the media itself: a failed asset with
 * the vendor's reason).
 */
final class RekognitionCalls {
    /** Most result pages read per job and round (1,000 items a page). */
    static final int MAX_PAGES = 20;

    /** Asked again next round. */
    static final class Transient extends RuntimeException {
        Transient(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The media cannot be analysed: the asset fails with {@code code} and this message. */
    static final class Unreadable extends RuntimeException {
        final String code;

        Unreadable(String code, String message, Throwable cause) {
            super(message, cause);
            this.code = code;
        }
    }

    private final RekognitionClient client;
    private final String bucket;
    private final double minConfidence;

    RekognitionCalls(RekognitionClient client, String bucket, double minConfidence) {
        this.client = client;
        this.bucket = bucket;
        this.minConfidence = minConfidence;
    }

    /** DetectModerationLabels and DetectFaces on the stored object. */
    Findings image(String key) {
        Image image = Image.builder().s3Object(s3(key)).build();
        DetectModerationLabelsResponse labels = call(() -> client.detectModerationLabels(r -> r.image(image)
                .minConfidence((float) minConfidence)), "DetectModerationLabels");
        DetectFacesResponse faces = call(() -> client.detectFaces(r -> r.image(image)), "DetectFaces");
        List<Findings.Label> ls = new ArrayList<>();
        labels.moderationLabels().forEach(l -> ls.add(label(l, null)));
        List<Findings.Face> fs = new ArrayList<>();
        faces.faceDetails().forEach(f -> fs.add(face(f, null)));
        return new Findings(ls, fs, labels.moderationModelVersion());
    }

    /**
     * Starts the two video jobs; the ClientRequestToken is derived from the asset, so a retried
     * start (a lost answer, a retried task) gets the same job back instead of a second one.
     * Returns {@code moderationJobId.faceJobId}.
     */
    String startVideo(String accountId, String assetId, String key) {
        Video video = Video.builder().s3Object(s3(key)).build();
        String moderation = call(() -> client.startContentModeration(r -> r.video(video)
                .minConfidence((float) minConfidence).clientRequestToken(token("moderation", accountId, assetId))
                .jobTag("assetlib")), "StartContentModeration").jobId();
        String faces = call(() -> client.startFaceDetection(r -> r.video(video)
                .clientRequestToken(token("faces", accountId, assetId)).jobTag("assetlib")), "StartFaceDetection").jobId();
        return moderation + "." + faces;
    }

    /** 64 characters of [0-9a-f], what ClientRequestToken allows; the same for the same asset and job kind. */
    static String token(String kind, String accountId, String assetId) {
        return Sha256.hex(kind + "\n" + accountId + "\n" + assetId);
    }

    /** Both jobs' findings, all pages; empty while either job runs. */
    Optional<Findings> video(String moderationJobId, String faceJobId) {
        GetContentModerationResponse first = call(() -> client.getContentModeration(r -> r.jobId(moderationJobId)
                .sortBy(ContentModerationSortBy.TIMESTAMP).maxResults(1000)), "GetContentModeration");
        GetFaceDetectionResponse firstFaces = call(() -> client.getFaceDetection(r -> r.jobId(faceJobId).maxResults(1000)),
                "GetFaceDetection");
        // Both asked each round (the jobs run side by side); a failed one fails the review even while the other runs.
        boolean moderationRuns = running(first.jobStatus(), first.statusMessage(), "content moderation");
        if (running(firstFaces.jobStatus(), firstFaces.statusMessage(), "face detection") || moderationRuns) {
            return Optional.empty();
        }
        List<Findings.Label> ls = new ArrayList<>();
        GetContentModerationResponse page = first;
        for (int n = 1; ; n++) {
            for (ContentModerationDetection d : page.moderationLabels()) {
                ls.add(label(d.moderationLabel(), d.timestamp()));
            }
            String next = page.nextToken();
            if (next == null || next.isEmpty()) {
                break;
            }
            if (n >= MAX_PAGES) {
                throw new Transient("content moderation job " + moderationJobId + " has more than " + MAX_PAGES + " pages", null);
            }
            page = call(() -> client.getContentModeration(r -> r.jobId(moderationJobId)
                    .sortBy(ContentModerationSortBy.TIMESTAMP).maxResults(1000).nextToken(next)), "GetContentModeration");
        }
        List<Findings.Face> fs = new ArrayList<>();
        GetFaceDetectionResponse facePage = firstFaces;
        for (int n = 1; ; n++) {
            for (FaceDetection d : facePage.faces()) {
                fs.add(face(d.face(), d.timestamp()));
            }
            String next = facePage.nextToken();
            if (next == null || next.isEmpty()) {
                break;
            }
            if (n >= MAX_PAGES) {
                throw new Transient("face detection job " + faceJobId + " has more than " + MAX_PAGES + " pages", null);
            }
            facePage = call(() -> client.getFaceDetection(r -> r.jobId(faceJobId).maxResults(1000).nextToken(next)),
                    "GetFaceDetection");
        }
        return Optional.of(new Findings(ls, fs, first.moderationModelVersion()));
    }

    private static boolean running(VideoJobStatus status, String message, String job) {
        if (status == VideoJobStatus.SUCCEEDED) {
            return false;
        }
        if (status == VideoJobStatus.FAILED) {
            throw new Unreadable(FailureCode.REVIEW_ERROR, "Rekognition's " + job + " job failed: "
                    + (message == null || message.isBlank() ? "no reason given" : Texts.clip(message)), null);
        }
        return true; // IN_PROGRESS, or a status added later: asked again next round
    }

    private S3Object s3(String key) {
        return S3Object.builder().bucket(bucket).name(key).build();
    }

    private static Findings.Label label(ModerationLabel l, Long timestamp) {
        return new Findings.Label(l.name(), l.parentName(), l.taxonomyLevel(), decimal(l.confidence()), timestamp);
    }

    private static Findings.Face face(FaceDetail f, Long timestamp) {
        BoundingBox b = f.boundingBox();
        return b == null ? new Findings.Face(decimal(f.confidence()), 0, 0, 0, 0, timestamp)
                : new Findings.Face(decimal(f.confidence()), decimal(b.left()), decimal(b.top()), decimal(b.width()),
                decimal(b.height()), timestamp);
    }

    /**
     * Rekognition's floats as the decimals it sent: 97.1f widened is 97.0999..., which would read
     * "97.0 %" and fall below a threshold of 97.1.
     */
    static double decimal(Float f) {
        return f == null ? 0 : Double.parseDouble(Float.toString(f));
    }

    private interface Call<T> {
        T run();
    }

    /** One call, its failure sorted into Transient or Unreadable. */
    static <T> T call(Call<T> call, String operation) {
        try {
            return call.run();
        } catch (InvalidImageFormatException | ImageTooLargeException | VideoTooLargeException | InvalidS3ObjectException
                 | InvalidParameterException e) {
            throw new Unreadable(FailureCode.MEDIA_UNREADABLE, "Rekognition could not read the media (" + operation + ": "
                    + e.awsErrorDetails().errorCode() + ": " + Texts.clip(e.awsErrorDetails().errorMessage()) + ")", e);
        } catch (ResourceNotFoundException e) {
            throw new Unreadable(FailureCode.REVIEW_ERROR, "Rekognition no longer knows the review's job (" + operation + ": "
                    + Texts.clip(e.awsErrorDetails().errorMessage()) + "): upload the asset again", e);
        } catch (AccessDeniedException e) {
            // Our configuration, not the asset: the role lacks a right. Asked again (and logged) until fixed or the deadline.
            throw new Transient(operation + " was denied: the function's role lacks a Rekognition or S3 right", e);
        } catch (RekognitionException e) {
            int status = e.statusCode();
            String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
            if (status >= 500 || status == 429 || code.endsWith("ThrottlingException") || code.equals("ProvisionedThroughputExceededException")
                    || code.equals("LimitExceededException") || code.equals("ServiceQuotaExceededException")
                    || code.equals("InternalServerError")) {
                throw new Transient(operation + ": " + code + " (HTTP " + status + ")", e);
            }
            throw new Unreadable(FailureCode.REVIEW_ERROR, "Rekognition refused the review (" + operation + ": " + code + ": "
                    + Texts.clip(e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage()) + ")", e);
        } catch (SdkClientException e) {
            throw new Transient(operation + ": no answer (" + e.getMessage() + ")", e);
        } catch (SdkException e) {
            throw new Transient(operation + ": " + e.getMessage(), e);
        }
    }

    /** Vendor text kept short and on one line. */
    static final class Texts {
        static String clip(String s) {
            if (s == null) {
                return "";
            }
            String one = s.replaceAll("[\\r\\n\\t]+", " ");
            return one.length() > 300 ? one.substring(0, 300) + "..." : one;
        }
    }
}
