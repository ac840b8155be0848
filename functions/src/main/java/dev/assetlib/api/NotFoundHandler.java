package dev.assetlib.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.assetlib.domain.DomainException;
import dev.assetlib.domain.ErrorCode;

/**
 * NotFoundFunction: the HttpApi's {@code $default} route, which API Gateway uses for every request
 * no other route matches (unknown paths, wrong methods, dot segments, case): the documented
 * {@code 40401} envelope instead of API Gateway's {@code {"message":"Not Found"}}. No authorizer and
 * no collaborators: it reads nothing and answers the same to everyone.
 */
public final class NotFoundHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private static final int MAX_ECHOED_PATH = 200;

    public NotFoundHandler() {
    }

    /** The local stack builds every handler from its services; this one needs none. */
    public NotFoundHandler(dev.assetlib.Services ignored) {
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        String method = event.getRequestContext() != null && event.getRequestContext().getHttp() != null
                ? event.getRequestContext().getHttp().getMethod() : "?";
        String path = event.getRawPath() == null ? "" : event.getRawPath();
        if (path.length() > MAX_ECHOED_PATH) {
            path = path.substring(0, MAX_ECHOED_PATH) + "...";
        }
        return Envelope.error(Envelope.CodeType.STRING, new DomainException(ErrorCode.ROUTE_NOT_FOUND,
                "no such route: " + method + " " + path + " (the API is under /kyyReactApiServer: see the API reference)"));
    }
}
