package dev.assetlib.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.assetlib.Services;
import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetIds;
import dev.assetlib.store.AssetStore;

/**
 * AssetQueryFunction: the read routes. They read DynamoDB only; clients' polling never reaches the
 * reviewer. Another account's asset answers exactly like a missing one.
 */
public final class AssetQueryHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    public static final String SEEDANCE_DETAIL = "GET /kyyReactApiServer/kyyVideo2/asset/{assetId}";

    private final AssetStore store;

    public AssetQueryHandler() {
        this(Services.lambda().assetStore());
    }

    public AssetQueryHandler(AssetStore store) {
        this.store = store;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return Routes.dispatch(event, route -> switch (route) {
            case SEEDANCE_DETAIL -> new Routes.Route(Envelope.CodeType.INTEGER, () -> {
                String account = Requests.accountId(event);
                String assetId = Requests.pathParameter(event, "assetId");
                if (!AssetIds.isWellFormed(assetId)) {
                    throw new ApiException(ErrorCode.ASSET_ID_INVALID, "assetId \"" + assetId
                            + "\" is not an asset id: they look like asset-20260330142158-q75m8");
                }
                Asset asset = store.get(account, assetId).orElseThrow(() -> new ApiException(
                        ErrorCode.ASSET_NOT_FOUND, "asset " + assetId + " not found"));
                return Envelope.ok(Envelope.CodeType.INTEGER, AssetViews.detail(asset));
            });
            default -> null;
        });
    }
}
