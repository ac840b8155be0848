package dev.assetlib.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.assetlib.Services;
import dev.assetlib.domain.Asset;
import dev.assetlib.json.Json;

/** UploadFunction: {@code POST /kyyReactApiServer/kyyVideo2/asset/upload}. */
public final class UploadHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    public static final String SEEDANCE_UPLOAD = "POST /kyyReactApiServer/kyyVideo2/asset/upload";

    private final UploadService uploads;

    public UploadHandler() {
        this(Services.lambda().uploadService());
    }

    public UploadHandler(UploadService uploads) {
        this.uploads = uploads;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return Routes.dispatch(event, route -> switch (route) {
            case SEEDANCE_UPLOAD -> new Routes.Route(Envelope.CodeType.INTEGER, () -> {
                String account = Requests.accountId(event);
                UploadRequests.SingleUpload upload = UploadRequests.single(Requests.jsonObjectBody(event));
                Asset asset = uploads.uploadSingle(account, upload);
                return Envelope.ok(Envelope.CodeType.INTEGER, Json.MAPPER.createObjectNode().put("assetId", asset.assetId()));
            });
            default -> null;
        });
    }
}
