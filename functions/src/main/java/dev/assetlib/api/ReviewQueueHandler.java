package dev.assetlib.api;

import dev.assetlib.app.query.AssetViews;
import dev.assetlib.app.review.MediaLinks;
import dev.assetlib.domain.AssetMedia;
import dev.assetlib.domain.DomainException;
import dev.assetlib.domain.ErrorCode;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.Services;
import dev.assetlib.domain.AssetIds;
import dev.assetlib.json.JsonCodec;
import dev.assetlib.review.human.HumanReviewService;
import dev.assetlib.store.HumanReviewStore;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * ReviewQueueFunction: the human review queue, for API keys with the role {@code reviewer} only (403
 * for any other key). A reviewer sees and decides only its own account's assets; another account's
 * asset answers like a missing one (404). Integer {@code code}s, like the Seedance 2.0 routes.
 * <ul>
 *   <li>{@code GET /kyyReactApiServer/review/pending?limit=20&nextToken=...}: assets awaiting a
 *       person, oldest upload first; {@code data.items} and {@code data.nextToken} (absent on the last
 *       page; signed, bound to the account).</li>
 *   <li>{@code POST /kyyReactApiServer/review/{assetId}} with {@code {"decision":"approve"|"reject",
 *       "reason":...}} (reason required to reject): recorded with the reviewer key and time; the review
 *       workflow applies it on its next check. 409 when the asset is not awaiting a human decision.</li>
 * </ul>
 */
public final class ReviewQueueHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    /** The account rate limits (null: none, as when built from parts). */
    private RateLimits limits;
    public static final String PENDING = "GET /kyyReactApiServer/review/pending";
    public static final String DECIDE = "POST /kyyReactApiServer/review/{assetId}";
    public static final int MAX_REASON_CHARS = 1000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final HumanReviewService reviews;
    private final MediaLinks mediaLinks;
    /** How long a console's preview link is valid (a page is re-listed more often than that). */
    static final java.time.Duration PREVIEW_TTL = java.time.Duration.ofHours(1);

    public ReviewQueueHandler() {
        this(Services.lambda());
    }

    public ReviewQueueHandler(Services services) {
        this(services.humanReviewService(), services.mediaLinks());
        this.limits = new RateLimits(services.rateLimiter(), services.accountPlans()).orNull();
    }

    public ReviewQueueHandler(HumanReviewService reviews) {
        this(reviews, MediaLinks.NONE);
    }

    /** @param mediaLinks presigned GETs of the stored copies: each pending item's {@code previewUrl} */
    public ReviewQueueHandler(HumanReviewService reviews, MediaLinks mediaLinks) {
        this.reviews = reviews;
        this.mediaLinks = mediaLinks;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return Routes.dispatch(event, limits, route -> switch (route) {
            case PENDING -> new Routes.Route(Envelope.CodeType.INTEGER, () -> pending(event));
            case DECIDE -> new Routes.Route(Envelope.CodeType.INTEGER, () -> decide(event));
            default -> null;
        });
    }

    private APIGatewayV2HTTPResponse pending(APIGatewayV2HTTPEvent event) {
        Requests.Caller caller = Requests.reviewer(event);
        int limit = limit(Requests.queryParameter(event, "limit"));
        String token = Requests.queryParameter(event, "nextToken");
        HumanReviewService.PendingPage page = reviews.pending(caller.accountId(), limit,
                token == null || token.isEmpty() ? null : token).orElseThrow(() -> new DomainException(
                ErrorCode.REVIEW_NEXT_TOKEN_INVALID, "nextToken is not one this route gave your account:"
                + " pass the data.nextToken of the previous page unchanged, or leave it out for the first page"));
        ObjectNode data = JsonCodec.object();
        ArrayNode items = data.putArray("items");
        for (HumanReviewStore.Queued q : page.items()) {
            ObjectNode item = AssetViews.detail(q.asset());
            item.put("awaitingSince", TIME.format(q.awaitingSince()));
            item.put("accountId", caller.accountId()); // additive: whose asset it is, for the review console
            AssetMedia media = q.asset().media();
            String preview = media == null || media.storedKey() == null ? null
                    : mediaLinks.presignedGet(media.storedKey(), PREVIEW_TTL, MediaLinks.fileName(q.asset().url()));
            if (preview != null) {
                item.put("previewUrl", preview); // additive: the stored copy, never the client's URL
            }
            items.add(item);
        }
        if (page.nextToken() != null) {
            data.put("nextToken", page.nextToken());
        }
        return Envelope.ok(Envelope.CodeType.INTEGER, data);
    }

    private APIGatewayV2HTTPResponse decide(APIGatewayV2HTTPEvent event) {
        Requests.Caller caller = Requests.reviewer(event);
        String assetId = Requests.pathParameter(event, "assetId");
        if (!AssetIds.isWellFormed(assetId)) {
            throw new DomainException(ErrorCode.ASSET_ID_INVALID, "assetId \"" + assetId
                    + "\" is not an asset id: they look like asset-20260330142158-q75m8");
        }
        ObjectNode body = Requests.jsonObjectBody(event);
        JsonNode decisionNode = body.get("decision");
        String decision = decisionNode != null && decisionNode.isTextual() ? decisionNode.asText() : null;
        if (!"approve".equals(decision) && !"reject".equals(decision)) {
            throw new DomainException(ErrorCode.REVIEW_DECISION_INVALID, "decision must be \"approve\" or \"reject\"");
        }
        JsonNode reasonNode = body.get("reason");
        if (reasonNode != null && !reasonNode.isNull() && !reasonNode.isTextual()) {
            throw new DomainException(ErrorCode.REVIEW_REASON_INVALID, "reason must be a string");
        }
        String reason = reasonNode == null || reasonNode.isNull() || reasonNode.asText().isBlank() ? null : reasonNode.asText().trim();
        if (reason == null && decision.equals("reject")) {
            throw new DomainException(ErrorCode.REVIEW_REASON_INVALID,
                    "a rejection needs a reason: the uploader sees it as the asset's errorMessage");
        }
        String notUnicode = dev.assetlib.domain.Texts.unicodeProblem("reason", reason);
        if (notUnicode != null) {
            throw new DomainException(ErrorCode.REVIEW_REASON_INVALID, notUnicode);
        }
        if (reason != null && dev.assetlib.domain.Texts.length(reason) > MAX_REASON_CHARS) {
            throw new DomainException(ErrorCode.REVIEW_REASON_INVALID, "reason has " + dev.assetlib.domain.Texts.length(reason)
                    + " characters: at most " + MAX_REASON_CHARS);
        }
        HumanReviewService.Outcome outcome = reviews.decide(caller.accountId(), caller.keyId(), assetId, decision, reason);
        switch (outcome.result()) {
            case NOT_FOUND -> throw new DomainException(ErrorCode.ASSET_NOT_FOUND, "asset " + assetId + " not found");
            case NOT_AWAITING -> throw new DomainException(ErrorCode.CONFLICT, "asset " + assetId
                    + " is not awaiting a human decision (already decided, finished, or not reviewed by people):"
                    + " see GET /kyyReactApiServer/review/pending");
            default -> { }
        }
        ObjectNode data = JsonCodec.object().put("assetId", assetId).put("decision", decision)
                .put("status", "Processing").put("decidedBy", caller.keyId())
                .put("decidedAt", TIME.format(outcome.decidedAt()));
        if (reason != null) {
            data.put("reason", reason);
        }
        return Envelope.ok(Envelope.CodeType.INTEGER, data);
    }

    private static int limit(String text) {
        if (text == null || text.isEmpty()) {
            return HumanReviewService.DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text.trim());
            if (limit >= 1 && limit <= HumanReviewService.MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new DomainException(ErrorCode.REVIEW_LIMIT_INVALID, "limit must be a whole number from 1 to "
                + HumanReviewService.MAX_LIMIT + ", got \"" + text + "\"");
    }
}
