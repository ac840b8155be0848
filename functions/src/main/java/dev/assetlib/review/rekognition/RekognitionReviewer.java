package dev.assetlib.review.rekognition;

import dev.assetlib.domain.Actors;
import dev.assetlib.domain.AssetMedia;
import dev.assetlib.domain.AssetType;
import dev.assetlib.domain.FailureCode;
import dev.assetlib.review.ReviewDecision;
import dev.assetlib.review.ReviewItem;
import dev.assetlib.review.ReviewTicket;
import dev.assetlib.review.Reviewer;
import dev.assetlib.review.SubmitOutcome;
import dev.assetlib.review.human.HumanReviewer;
import dev.assetlib.store.AssetStore;
import dev.assetlib.store.HumanReviewStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Automated review with Amazon Rekognition under the operator's {@link ModerationPolicy}, chained
 * to people: what the policy cannot decide goes into the account's human review queue
 * ({@link HumanReviewStore}) with the findings on the asset, and a person's decision ends it.
 *
 * <p>Submission only chooses the path (and starts a video's two jobs); the analysis is read in the
 * check rounds: an image's DetectModerationLabels + DetectFaces in the first round, a video's
 * GetContentModeration + GetFaceDetection each round until both jobs ended. The reference:
 * {@code rek1:{kind}:{payload}:{account}} with kind {@code img} (payload: the S3 key, base64url),
 * {@code vid} ({@code moderationJob.faceJob}) or {@code pol} (no automated check: the policy's
 * action and its reason). Each round first reads the batch's human-queue state (one BatchGetItem
 * per account): an asset a person holds is asked of the person only.
 */
public final class RekognitionReviewer implements Reviewer {
    private static final class Log {
        static final Logger LOG = Logger.getLogger(RekognitionReviewer.class.getName());
    }

    static final String REF_PREFIX = "rek1:";
    /** Rekognition's image limit for an S3 object (JPEG or PNG). */
    static final long IMAGE_MAX_BYTES = 15L * 1024 * 1024;
    private static final Set<String> IMAGE_FORMATS = Set.of("jpeg", "png");
    private static final Set<String> VIDEO_FORMATS = Set.of("mp4", "mov");
    /** H.264, the one codec Rekognition Video reads (in MP4 or MOV). */
    private static final Set<String> VIDEO_CODECS = Set.of("avc1", "avc3");

    private final RekognitionCalls calls;
    private final ModerationPolicy policy;
    private final AssetStore store;
    private final HumanReviewStore humans;
    private final Clock clock;
    private final Duration budget;

    /**
     * @param budget how long one submit or check may spend calling Rekognition (what it could not
     *               reach waits for the next round), well inside StatusCheckFunction's time-out
     */
    public RekognitionReviewer(software.amazon.awssdk.services.rekognition.RekognitionClient client, String mediaBucket,
                               ModerationPolicy policy, AssetStore store, HumanReviewStore humans, Clock clock,
                               Duration budget) {
        this.calls = new RekognitionCalls(client, mediaBucket, policy.minConfidence());
        this.policy = policy;
        this.store = store;
        this.humans = humans;
        this.clock = clock;
        this.budget = budget;
    }

    @Override
    public String name() {
        return "rekognition";
    }

    @Override
    public Map<String, SubmitOutcome> submit(List<ReviewItem> items) {
        Map<String, SubmitOutcome> outcomes = new ConcurrentHashMap<>();
        RoundBudget round = new RoundBudget(budget);
        round.each(items, item -> {
            SubmitOutcome o = route(item);
            if (o != null) {
                outcomes.put(item.assetId(), o);
            }
        });
        return outcomes;
    }

    /** The path of one asset; null to hand it over again next round (a transient fault). */
    private SubmitOutcome route(ReviewItem item) {
        AssetMedia m = item.media();
        AssetType type = item.assetType();
        if (type == AssetType.Audio || type == AssetType.Document) {
            ModerationPolicy.Action action = type == AssetType.Audio ? policy.audio() : policy.document();
            return ref("pol", action.name() + "." + b64(type.name().toLowerCase(java.util.Locale.ROOT)
                    + ": no automated check exists; the moderation policy says " + action), item.accountId());
        }
        if (m == null || m.reviewedKey() == null) {
            return toPerson("no stored copy to analyse (the media step has not inspected this upload)", item);
        }
        if (type == AssetType.Image) {
            boolean readable = m.reviewKey() != null || (IMAGE_FORMATS.contains(m.format()) && m.bytes() <= IMAGE_MAX_BYTES);
            return readable ? ref("img", b64(m.reviewedKey()), item.accountId())
                    : toPerson(m.format() + " image of " + m.bytes() + " bytes: Rekognition reads JPEG and PNG up to 15 MB,"
                    + " and no JPEG rendition was made for review", item);
        }
        if (!VIDEO_FORMATS.contains(m.format()) || (m.videoCodec() != null && !VIDEO_CODECS.contains(m.videoCodec()))) {
            return toPerson("video codec " + (m.videoCodec() == null ? "unknown" : m.videoCodec()) + " in " + m.format()
                    + ": Rekognition Video reads H.264 in MP4 or MOV only", item);
        }
        try {
            return ref("vid", calls.startVideo(item.accountId(), item.assetId(), m.reviewedKey()), item.accountId());
        } catch (RekognitionCalls.Transient e) {
            Log.LOG.log(Level.WARNING, "Rekognition video start for asset " + item.assetId() + " deferred: " + e.getMessage());
            return null;
        } catch (RekognitionCalls.Unreadable e) {
            return new SubmitOutcome.Refused(e.code, e.code + ": " + e.getMessage());
        }
    }

    private static SubmitOutcome toPerson(String why, ReviewItem item) {
        return ref("pol", ModerationPolicy.Action.person.name() + "." + b64(why), item.accountId());
    }

    private static SubmitOutcome ref(String kind, String payload, String accountId) {
        return new SubmitOutcome.Accepted(REF_PREFIX + kind + ":" + payload + ":" + accountId);
    }

    @Override
    public Map<String, ReviewDecision> check(List<ReviewTicket> tickets) {
        Map<String, List<Ref>> byAccount = new LinkedHashMap<>();
        for (ReviewTicket t : tickets) {
            Ref r = Ref.parse(t);
            byAccount.computeIfAbsent(r.accountId, a -> new ArrayList<>()).add(r);
        }
        Map<String, ReviewDecision> decisions = new ConcurrentHashMap<>();
        List<Ref> automated = new ArrayList<>();
        byAccount.forEach((account, refs) -> {
            Map<String, HumanReviewStore.State> states = humans.states(account, refs.stream().map(r -> r.assetId).toList());
            for (Ref r : refs) {
                HumanReviewStore.State s = states.get(r.assetId);
                if (s == null || s.awaiting() || s.decision() != null || s.status().isTerminal()) {
                    decisions.put(r.assetId, HumanReviewer.decision(s)); // a person holds it (or it is gone)
                } else {
                    automated.add(r);
                }
            }
        });
        new RoundBudget(budget).each(automated, r -> {
            ReviewDecision d = automatedStage(r);
            if (d != null) {
                decisions.put(r.assetId, d);
            }
        });
        return decisions;
    }

    /** The automated stage of one asset: its decision, PENDING, or null (transient: asked again next round). */
    private ReviewDecision automatedStage(Ref r) {
        try {
            switch (r.kind) {
                case "pol" -> {
                    int dot = r.payload.indexOf('.');
                    ModerationPolicy.Action action = ModerationPolicy.Action.valueOf(r.payload.substring(0, dot));
                    String why = unb64(r.payload.substring(dot + 1));
                    String json = new Findings(List.of(), List.of(), null).toJson(action.name(), why, policy.minFaceConfidence());
                    return decide(r, action == ModerationPolicy.Action.approve ? new Verdict.Approve(why)
                            : action == ModerationPolicy.Action.reject ? new Verdict.Reject(why) : new Verdict.ToPerson(why), json);
                }
                case "img" -> {
                    Findings f = calls.image(unb64(r.payload));
                    return decide(r, f);
                }
                case "vid" -> {
                    int dot = r.payload.indexOf('.');
                    Optional<Findings> f = calls.video(r.payload.substring(0, dot), r.payload.substring(dot + 1));
                    return f.isEmpty() ? ReviewDecision.PENDING : decide(r, f.get());
                }
                default -> throw new IllegalArgumentException("unknown rekognition reference kind: " + r.kind);
            }
        } catch (RekognitionCalls.Transient e) {
            Log.LOG.log(Level.WARNING, "Rekognition unavailable for asset " + r.assetId + "; asking again next round: "
                    + e.getMessage());
            return null;
        } catch (RekognitionCalls.Unreadable e) {
            return new ReviewDecision.Rejected(e.code, e.code + ": " + e.getMessage(), Actors.REKOGNITION);
        }
    }

    private ReviewDecision decide(Ref r, Findings f) {
        Verdict v = policy.decide(f);
        return decide(r, v, f.toJson(decision(v), v.rule(), policy.minFaceConfidence()));
    }

    /** Records the findings (once) with a history event by rekognition, then ends the stage. */
    private ReviewDecision decide(Ref r, Verdict v, String findingsJson) {
        String summary = v instanceof Verdict.Approve ? "approved by the moderation policy: " + v.rule()
                : v instanceof Verdict.Reject ? "rejected by the moderation policy: " + v.rule()
                : "sent to a person: " + v.rule();
        store.recordFindings(r.accountId, r.assetId, findingsJson, Actors.REKOGNITION, summary, clock.instant());
        if (v instanceof Verdict.Approve) {
            return new ReviewDecision.Approved(Actors.REKOGNITION, "Rekognition: " + v.rule());
        }
        if (v instanceof Verdict.Reject) {
            return new ReviewDecision.Rejected(FailureCode.REVIEW_REJECTED, FailureCode.REVIEW_REJECTED + ": " + v.rule(),
                    Actors.REKOGNITION);
        }
        humans.markAwaiting(r.accountId, List.of(r.assetId), clock.instant());
        return ReviewDecision.PENDING; // the person's decision is read from the next round on
    }

    private static String decision(Verdict v) {
        return v instanceof Verdict.Approve ? "approve" : v instanceof Verdict.Reject ? "reject" : "person";
    }

    @Override
    public void withdraw(String accountId, List<ReviewTicket> tickets) {
        humans.withdraw(accountId, tickets.stream().map(ReviewTicket::assetId).toList());
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String unb64(String s) {
        return new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8);
    }

    /** A parsed reference. */
    private record Ref(String assetId, String kind, String payload, String accountId) {
        static Ref parse(ReviewTicket t) {
            String ref = t.reviewRef();
            String[] parts = ref == null || !ref.startsWith(REF_PREFIX) ? new String[0]
                    : ref.substring(REF_PREFIX.length()).split(":", 3);
            if (parts.length != 3 || parts[2].isEmpty()) {
                throw new IllegalArgumentException("not a rekognition reviewer reference: " + ref
                        + " (asset " + t.assetId() + " was handed to another reviewer)");
            }
            return new Ref(t.assetId(), parts[0], parts[1], parts[2]);
        }
    }
}
