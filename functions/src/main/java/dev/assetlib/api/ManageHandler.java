package dev.assetlib.api;

import dev.assetlib.app.AssetIdRules;
import dev.assetlib.app.manage.AssetManagement;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.assetlib.Services;

/**
 * ManageFunction: {@code DELETE /kyyReactApiServer/kyyVideo2/asset/{assetId}} (the contract's
 * answer: string code {@code "0"}, {@code msg "success"}, {@code data null}) and
 * {@code PATCH /kyyReactApiServer/kyyVideo2/asset/{assetId}} (rename; integer code, like detail).
 */
public final class ManageHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    /** The account rate limits (null: none, as when built from parts). */
    private RateLimits limits;
    public static final String DELETE = "DELETE /kyyReactApiServer/kyyVideo2/asset/{assetId}";
    public static final String RENAME = "PATCH /kyyReactApiServer/kyyVideo2/asset/{assetId}";

    private final AssetManagement management;

    public ManageHandler() {
        this(Services.lambda());
    }

    /** With the services of this execution environment (Lambda) or of the local stack. */
    public ManageHandler(Services services) {
        this(services.assetManagement());
        this.limits = new RateLimits(services.rateLimiter(), services.accountPlans()).orNull();
    }

    public ManageHandler(AssetManagement management) {
        this.management = management;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return Routes.dispatch(event, limits, route -> switch (route) {
            case DELETE -> new Routes.Route(Envelope.CodeType.STRING, () -> {
                String account = Requests.managerAccount(event);
                management.delete(account, Requests.pathParameter(event, "assetId"));
                return Envelope.ok(Envelope.CodeType.STRING, "success", null);
            });
            case RENAME -> new Routes.Route(Envelope.CodeType.INTEGER, () -> {
                String account = Requests.managerAccount(event);
                String assetId = Requests.pathParameter(event, "assetId");
                AssetIdRules.requireWellFormed(assetId);
                return Envelope.ok(Envelope.CodeType.INTEGER,
                        management.rename(account, assetId, Requests.jsonObjectBody(event)));
            });
            default -> null;
        });
    }
}
