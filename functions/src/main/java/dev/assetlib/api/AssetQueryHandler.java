package dev.assetlib.api;

import dev.assetlib.app.query.AssetViews;
import dev.assetlib.app.query.AssetHistory;
import dev.assetlib.app.query.AssetListing;
import dev.assetlib.app.query.ReferenceCheck;
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
import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetIds;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.json.JsonCodec;
import dev.assetlib.store.AssetStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * AssetQueryFunction: the read routes (detail, batch status, list, history, reference check).
 * They read DynamoDB only; clients' polling never reaches the reviewer. Another account's asset
 * answers exactly like a missing one, and so does a deleted one. List, history and resolve answer
 * with an integer {@code code}, like the Seedance 2.0 detail.
 */
public final class AssetQueryHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    /** The account rate limits (null: none, as when built from parts). */
    private RateLimits limits;
    /** The usage route's service (null when built from parts: the route answers 404). */
    private dev.assetlib.app.limits.UsageReport usage;
    public static final String SEEDANCE_DETAIL = "GET /kyyReactApiServer/kyyVideo2/asset/{assetId}";
    public static final String SD2_STATUS = "POST /kyyReactApiServer/asset/sd2Manxue/assetStatus";
    public static final String LIST = "GET /kyyReactApiServer/kyyVideo2/assets";
    public static final String HISTORY = "GET /kyyReactApiServer/kyyVideo2/asset/{assetId}/history";
    public static final String RESOLVE = "POST /kyyReactApiServer/kyyVideo2/asset/resolve";
    public static final String USAGE = "GET /kyyReactApiServer/kyyVideo2/usage";
    public static final int MAX_STATUS_IDS = 100;

    private final AssetStore store;
    private final AssetListing listing;
    private final AssetHistory history;
    private final ReferenceCheck references;

    public AssetQueryHandler() {
        this(Services.lambda());
    }

    /** With the services of this execution environment (Lambda) or of the local stack. */
    public AssetQueryHandler(Services services) {
        this(services.assetStore(), services.assetListing(), services.assetHistory(), services.referenceCheck());
        this.limits = new RateLimits(services.rateLimiter(), services.accountPlans()).orNull();
        this.usage = services.usageReport();
    }

    public AssetQueryHandler(AssetStore store, AssetListing listing, AssetHistory history, ReferenceCheck references) {
        this.store = store;
        this.listing = listing;
        this.history = history;
        this.references = references;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return Routes.dispatch(event, limits, route -> switch (route) {
            case SEEDANCE_DETAIL -> new Routes.Route(Envelope.CodeType.INTEGER, () -> {
                String account = Requests.accountId(event);
                String assetId = Requests.pathParameter(event, "assetId");
                if (!AssetIds.isWellFormed(assetId)) {
                    throw new DomainException(ErrorCode.ASSET_ID_INVALID, "assetId \"" + assetId
                            + "\" is not an asset id: they look like asset-20260330142158-q75m8");
                }
                Asset asset = store.getLive(account, assetId).orElseThrow(() -> new DomainException(
                        ErrorCode.ASSET_NOT_FOUND, "asset " + assetId + " not found"));
                return Envelope.ok(Envelope.CodeType.INTEGER, AssetViews.detail(asset));
            });
            case SD2_STATUS -> new Routes.Route(Envelope.CodeType.STRING, () -> {
                String account = Requests.accountId(event);
                List<String> ids = assetIds(Requests.jsonObjectBody(event));
                return Envelope.ok(Envelope.CodeType.STRING, statuses(account, ids));
            });
            case LIST -> new Routes.Route(Envelope.CodeType.INTEGER, () -> {
                String account = Requests.accountId(event);
                return Envelope.ok(Envelope.CodeType.INTEGER, listing.list(account, Requests.queryParameters(event)));
            });
            case HISTORY -> new Routes.Route(Envelope.CodeType.INTEGER, () -> {
                String account = Requests.accountId(event);
                return Envelope.ok(Envelope.CodeType.INTEGER,
                        history.history(account, Requests.pathParameter(event, "assetId")));
            });
            case RESOLVE -> new Routes.Route(Envelope.CodeType.INTEGER, () -> {
                String account = Requests.accountId(event);
                return Envelope.ok(Envelope.CodeType.INTEGER, references.check(account, Requests.jsonObjectBody(event)));
            });
            case USAGE -> usage == null ? null : new Routes.Route(Envelope.CodeType.INTEGER, () ->
                    Envelope.ok(Envelope.CodeType.INTEGER, usage.usage(Requests.accountId(event))));
            default -> null;
        });
    }

    /** Each id answered on its own: lookups that fail go to failedItems, never fail the request. */
    private ObjectNode statuses(String account, List<String> ids) {
        List<String> wellFormed = ids.stream().filter(AssetIds::isWellFormed).toList();
        Map<String, Asset> found = wellFormed.isEmpty() ? Map.of() : store.getAll(account, wellFormed);
        ObjectNode data = JsonCodec.object();
        ArrayNode items = data.putArray("items");
        ArrayNode failed = data.putArray("failedItems");
        for (String id : ids) {
            Asset a = found.get(id);
            if (a != null && !a.isDeleted()) {
                ObjectNode item = items.addObject().put("assetId", id).put("status", a.status().name());
                if (a.status() == AssetStatus.Failed) {
                    item.put("errorCode", a.errorCode()).put("errorMessage", a.errorMessage());
                }
                dev.assetlib.app.MediaJson.put(item, a.media());
                dev.assetlib.app.FindingsJson.put(item, id, a.findings());
            } else if (!AssetIds.isWellFormed(id)) {
                failed.addObject().put("assetId", id)
                        .put("errorMessage", "malformed asset id: they look like asset-20260330142158-q75m8");
            } else {
                failed.addObject().put("assetId", id).put("errorMessage", "asset not found");
            }
        }
        return data;
    }

    private static List<String> assetIds(ObjectNode body) {
        JsonNode ids = body.get("assetIds");
        if (ids == null || !ids.isArray()) {
            throw new DomainException(ErrorCode.ASSET_IDS_INVALID,
                    "assetIds must be an array of asset id strings, such as [\"asset-20260330142158-q75m8\"]");
        }
        if (ids.isEmpty() || ids.size() > MAX_STATUS_IDS) {
            throw new DomainException(ErrorCode.ASSET_IDS_INVALID, "assetIds has " + ids.size()
                    + " ids: send 1 to " + MAX_STATUS_IDS + " per request");
        }
        List<String> result = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            if (!ids.get(i).isTextual()) {
                throw new DomainException(ErrorCode.ASSET_IDS_INVALID, "assetIds[" + i + "] must be a string");
            }
            result.add(ids.get(i).asText());
        }
        return result;
    }
}
