package dev.assetlib.api;

import dev.assetlib.domain.DomainException;
import dev.assetlib.domain.ErrorCode;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one route of a handler and turns every failure into the envelope: the documented 4xx for
 * refused input, 503 when a dependency is down, and a 500 with no internals for anything else.
 */
public final class Routes {
    /** Made on first use (failures only): java.util.logging's set-up is ~10 ms of a cold start. */
    private static final class Log {
        static final Logger LOG = Logger.getLogger(Routes.class.getName());
    }

    private Routes() {
    }

    /** A route's code type (for its failures too) and its work. */
    public record Route(Envelope.CodeType codeType, Supplier<APIGatewayV2HTTPResponse> work) {
    }

    public static APIGatewayV2HTTPResponse dispatch(APIGatewayV2HTTPEvent event, Function<String, Route> routes) {
        return dispatch(event, null, routes);
    }

    /** As {@link #dispatch(APIGatewayV2HTTPEvent, Function)}, with the account's rate limit checked first ({@code limits} null: none). */
    public static APIGatewayV2HTTPResponse dispatch(APIGatewayV2HTTPEvent event, RateLimits limits, Function<String, Route> routes) {
        String routeKey = event.getRouteKey() == null ? "" : event.getRouteKey();
        Route route = routes.apply(routeKey);
        if (route == null) {
            return Envelope.error(Envelope.CodeType.STRING,
                    new DomainException(ErrorCode.ROUTE_NOT_FOUND, "no such route: " + routeKey));
        }
        dev.assetlib.app.limits.RateLimiter.Decision rate;
        try {
            rate = limits == null ? null : limits.check(event, routeKey);
        } catch (RuntimeException e) {
            return answer(route, routeKey, () -> {
                throw e;
            });
        }
        if (rate != null && !rate.allowed()) {
            return RateLimits.withHeaders(Envelope.error(route.codeType(), new DomainException(ErrorCode.THROTTLED,
                    "rate limit of " + rate.limit() + " requests per second for this kind of request exceeded: retry after "
                            + rate.retryAfterSeconds() + " s (Retry-After)")), rate);
        }
        return RateLimits.withHeaders(answer(route, routeKey, route.work()), rate);
    }

    private static APIGatewayV2HTTPResponse answer(Route route, String routeKey, Supplier<APIGatewayV2HTTPResponse> work) {
        try {
            return work.get();
        } catch (DomainException e) {
            return Envelope.error(route.codeType(), e);
        } catch (dev.assetlib.store.StoreUnavailableException e) {
            Log.LOG.log(Level.SEVERE, "store unavailable on " + routeKey, e);
            return Envelope.error(route.codeType(), new DomainException(ErrorCode.UNAVAILABLE,
                    "the service is briefly unavailable: retry in a few seconds"));
        } catch (RuntimeException e) {
            Log.LOG.log(Level.SEVERE, "unexpected failure on " + routeKey, e);
            return Envelope.error(route.codeType(), new DomainException(ErrorCode.INTERNAL,
                    "internal error: retry later; if it persists, report the apigw-requestid response header"));
        }
    }
}
