package dev.assetlib.api;

import dev.assetlib.app.upload.UploadRequests;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.Services;
import dev.assetlib.domain.UploadLimits;
import dev.assetlib.json.JsonCodec;
import dev.assetlib.app.upload.DirectUploadService;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * UploadUrlFunction: {@code POST /kyyReactApiServer/kyyVideo2/asset/uploadUrl}. Answers the new
 * asset's id (status {@code Processing}) and a URL to PUT the media to, with the headers the PUT
 * must send, when the URL expires, and the largest object accepted.
 */
public final class UploadUrlHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    /** The account rate limits (null: none, as when built from parts). */
    private RateLimits limits;
    public static final String UPLOAD_URL = "POST /kyyReactApiServer/kyyVideo2/asset/uploadUrl";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final DirectUploadService directUploads;

    public UploadUrlHandler() {
        this(Services.lambda());
    }

    /** With the services of this execution environment (Lambda) or of the local stack. */
    public UploadUrlHandler(Services services) {
        this(services.directUploadService());
        this.limits = new RateLimits(services.rateLimiter(), services.accountPlans()).orNull();
    }

    public UploadUrlHandler(DirectUploadService directUploads) {
        this.directUploads = directUploads;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return Routes.dispatch(event, limits, route -> switch (route) {
            case UPLOAD_URL -> new Routes.Route(Envelope.CodeType.INTEGER, () -> {
                String account = Requests.uploaderAccount(event); // reviewer keys may not upload (403)
                UploadRequests.UploadUrlRequest request = UploadRequests.uploadUrl(Requests.jsonObjectBody(event));
                DirectUploadService.Issued issued = directUploads.issue(account, request);
                ObjectNode data = JsonCodec.object();
                data.put("assetId", issued.asset().assetId());
                data.put("status", issued.asset().status().name());
                data.put("uploadUrl", issued.upload().url().toString());
                data.put("method", "PUT");
                ObjectNode headers = data.putObject("headers");
                issued.upload().headers().forEach(headers::put);
                data.put("expireTime", TIME.format(issued.upload().expiresAt()));
                data.put("maxBytes", UploadLimits.maxBytes(request.assetType()));
                return Envelope.ok(Envelope.CodeType.INTEGER, data);
            });
            default -> null;
        });
    }
}
