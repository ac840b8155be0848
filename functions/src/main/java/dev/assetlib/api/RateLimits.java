package dev.assetlib.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.assetlib.app.limits.PlanSource;
import dev.assetlib.app.limits.RateLimiter;
import dev.assetlib.domain.RouteClass;
import java.util.HashMap;
import java.util.Map;

/**
 * The per-account rate limits of the HTTP routes (docs/quotas.md), checked before the route's
 * work: a request over its class's limit is answered 429 (code 42900) with {@code Retry-After};
 * every answer to a caller with a valid key carries {@code RateLimit-Limit},
 * {@code RateLimit-Remaining} and {@code RateLimit-Reset}. A request without a valid key is not
 * counted (its route answers 401). API Gateway's stage throttle stays the outer guard.
 */
public final class RateLimits {
    /** Each route's class; a route not listed is not limited. */
    static final Map<String, RouteClass> CLASSES = Map.ofEntries(
            Map.entry(UploadHandler.SEEDANCE_UPLOAD, RouteClass.UPLOADS),
            Map.entry(UploadHandler.SD2_UPLOAD, RouteClass.UPLOADS),
            Map.entry(UploadUrlHandler.UPLOAD_URL, RouteClass.UPLOADS),
            Map.entry(AssetQueryHandler.SEEDANCE_DETAIL, RouteClass.READS),
            Map.entry(AssetQueryHandler.SD2_STATUS, RouteClass.READS),
            Map.entry(AssetQueryHandler.LIST, RouteClass.READS),
            Map.entry(AssetQueryHandler.HISTORY, RouteClass.READS),
            Map.entry(AssetQueryHandler.RESOLVE, RouteClass.READS),
            Map.entry(AssetQueryHandler.USAGE, RouteClass.READS),
            Map.entry(ManageHandler.DELETE, RouteClass.MANAGEMENT),
            Map.entry(ManageHandler.RENAME, RouteClass.MANAGEMENT),
            Map.entry(ReviewQueueHandler.PENDING, RouteClass.REVIEW),
            Map.entry(ReviewQueueHandler.DECIDE, RouteClass.REVIEW));

    private final RateLimiter limiter;
    private final PlanSource plans;

    public RateLimits(RateLimiter limiter, PlanSource plans) {
        this.limiter = limiter;
        this.plans = plans;
    }

    /** This, or null when limits are off (no limiter). */
    RateLimits orNull() {
        return limiter == null ? null : this;
    }

    /** The decision for this request, or null when it is not limited (no such class, no valid key). */
    RateLimiter.Decision check(APIGatewayV2HTTPEvent event, String routeKey) {
        RouteClass routeClass = CLASSES.get(routeKey);
        String account = authorizedAccount(event);
        if (routeClass == null || account == null) {
            return null;
        }
        return limiter.acquire(account, routeClass, plans.limits(account).perSecond(routeClass));
    }

    /** The answer with the RateLimit headers added. */
    static APIGatewayV2HTTPResponse withHeaders(APIGatewayV2HTTPResponse response, RateLimiter.Decision d) {
        if (d == null) {
            return response;
        }
        Map<String, String> headers = new HashMap<>(response.getHeaders() == null ? Map.of() : response.getHeaders());
        headers.put("RateLimit-Limit", Integer.toString(d.limit()));
        headers.put("RateLimit-Remaining", Long.toString(d.remaining()));
        headers.put("RateLimit-Reset", Long.toString(d.resetSeconds()));
        if (!d.allowed()) {
            headers.put("Retry-After", Long.toString(d.retryAfterSeconds()));
        }
        response.setHeaders(headers);
        return response;
    }

    private static String authorizedAccount(APIGatewayV2HTTPEvent event) {
        if (event.getRequestContext() == null || event.getRequestContext().getAuthorizer() == null
                || event.getRequestContext().getAuthorizer().getLambda() == null) {
            return null;
        }
        Object account = event.getRequestContext().getAuthorizer().getLambda().get("accountId");
        return account instanceof String id && !id.isBlank() ? id : null;
    }
}
