package dev.assetlib.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.Services;
import dev.assetlib.domain.Asset;
import dev.assetlib.json.JsonCodec;
import java.util.List;

/**
 * UploadFunction: {@code POST /kyyReactApiServer/kyyVideo2/asset/upload} (Seedance 2.0, one asset)
 * and {@code POST /kyyReactApiServer/asset/sd2Manxue/assetUpload} (SD2 Manxue, a batch).
 */
public final class UploadHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    public static final String SEEDANCE_UPLOAD = "POST /kyyReactApiServer/kyyVideo2/asset/upload";
    public static final String SD2_UPLOAD = "POST /kyyReactApiServer/asset/sd2Manxue/assetUpload";

    private final UploadService uploads;
    private final int maxBatchUrls;

    public UploadHandler() {
        this(Services.lambda().uploadService(), Services.lambda().config().maxBatchUrls());
    }

    public UploadHandler(UploadService uploads, int maxBatchUrls) {
        this.uploads = uploads;
        this.maxBatchUrls = maxBatchUrls;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return Routes.dispatch(event, route -> switch (route) {
            case SEEDANCE_UPLOAD -> new Routes.Route(Envelope.CodeType.INTEGER, () -> {
                String account = Requests.accountId(event);
                UploadRequests.SingleUpload upload = UploadRequests.single(Requests.jsonObjectBody(event));
                Asset asset = uploads.uploadSingle(account, upload);
                return Envelope.ok(Envelope.CodeType.INTEGER, JsonCodec.object().put("assetId", asset.assetId()));
            });
            case SD2_UPLOAD -> new Routes.Route(Envelope.CodeType.STRING, () -> {
                String account = Requests.accountId(event);
                UploadRequests.BatchUpload upload = UploadRequests.batch(Requests.jsonObjectBody(event), maxBatchUrls);
                return Envelope.ok(Envelope.CodeType.STRING, batchResponse(uploads.uploadBatch(account, upload), upload));
            });
            default -> null;
        });
    }

    private static ObjectNode batchResponse(List<Asset> created, UploadRequests.BatchUpload upload) {
        ObjectNode data = JsonCodec.object();
        ArrayNode items = data.putArray("items");
        for (Asset a : created) {
            items.addObject().put("assetType", a.assetType().name()).put("originalUrl", a.url())
                    .put("assetId", a.assetId()).put("status", a.status().name());
        }
        ArrayNode failed = data.putArray("failedItems");
        for (UploadRequests.RefusedUrl r : upload.refused()) {
            failed.addObject().put("originalUrl", r.originalUrl()).put("errorMessage", r.errorMessage());
        }
        return data;
    }
}
