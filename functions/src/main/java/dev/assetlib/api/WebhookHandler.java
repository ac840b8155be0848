package dev.assetlib.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.assetlib.Services;
import dev.assetlib.app.webhooks.WebhookRegistry;

/**
 * WebhookFunction: the account's webhook endpoints, their delivery log, retries and test events
 * (docs/webhooks.md). Uploader keys only: the endpoints receive the account's asset events.
 */
public final class WebhookHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    static final String BASE = "/kyyReactApiServer/kyyVideo2/webhooks";
    public static final String CREATE = "POST " + BASE;
    public static final String LIST = "GET " + BASE;
    public static final String DELETE = "DELETE " + BASE + "/{webhookId}";
    public static final String ROTATE = "POST " + BASE + "/{webhookId}/rotate";
    public static final String DELIVERIES = "GET " + BASE + "/{webhookId}/deliveries";
    public static final String RETRY = "POST " + BASE + "/{webhookId}/deliveries/{deliveryId}/retry";
    public static final String TEST = "POST " + BASE + "/{webhookId}/test";

    private final WebhookRegistry registry;

    public WebhookHandler() {
        this(Services.lambda());
    }

    public WebhookHandler(Services services) {
        this(services.webhookRegistry());
    }

    public WebhookHandler(WebhookRegistry registry) {
        this.registry = registry;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return Routes.dispatch(event, route -> {
            if (!route.startsWith("POST " + BASE) && !route.startsWith("GET " + BASE) && !route.startsWith("DELETE " + BASE)) {
                return null;
            }
            return new Routes.Route(Envelope.CodeType.INTEGER, () -> {
                String account = uploader(event);
                return switch (route) {
                    case CREATE -> Envelope.ok(Envelope.CodeType.INTEGER, registry.register(account, Requests.jsonObjectBody(event)));
                    case LIST -> Envelope.ok(Envelope.CodeType.INTEGER, registry.list(account));
                    case DELETE -> {
                        registry.delete(account, id(event));
                        yield Envelope.ok(Envelope.CodeType.INTEGER, null);
                    }
                    case ROTATE -> Envelope.ok(Envelope.CodeType.INTEGER, registry.rotate(account, id(event)));
                    case DELIVERIES -> Envelope.ok(Envelope.CodeType.INTEGER, registry.deliveries(account, id(event)));
                    case RETRY -> Envelope.ok(Envelope.CodeType.INTEGER,
                            registry.retry(account, id(event), Requests.pathParameter(event, "deliveryId")));
                    case TEST -> Envelope.ok(Envelope.CodeType.INTEGER, registry.test(account, id(event)));
                    default -> Envelope.error(Envelope.CodeType.INTEGER, new dev.assetlib.domain.DomainException(
                            dev.assetlib.domain.ErrorCode.ROUTE_NOT_FOUND, "no such route: " + route));
                };
            });
        });
    }

    private static String id(APIGatewayV2HTTPEvent event) {
        return Requests.pathParameter(event, "webhookId");
    }

    /** Reviewer keys may not manage webhooks (403 40300). */
    private static String uploader(APIGatewayV2HTTPEvent event) {
        Requests.Caller caller = Requests.caller(event);
        if (!Requests.UPLOADER.equals(caller.role())) {
            throw new dev.assetlib.domain.DomainException(dev.assetlib.domain.ErrorCode.FORBIDDEN,
                    "the webhook routes need an uploader key; this key has the role " + caller.role());
        }
        return caller.accountId();
    }
}
