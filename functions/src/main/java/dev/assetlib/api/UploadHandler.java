package dev.assetlib.api;

import dev.assetlib.app.idempotency.Idempotency;
import dev.assetlib.app.upload.UploadRequests;
import dev.assetlib.app.upload.UploadService;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.Services;
import dev.assetlib.json.JsonCodec;
import java.util.List;

/**
 * UploadFunction: {@code POST /kyyReactApiServer/kyyVideo2/asset/upload} (Seedance 2.0, one asset)
 * and {@code POST /kyyReactApiServer/asset/sd2Manxue/assetUpload} (SD2 Manxue, a batch). Both take
 * an optional {@code Idempotency-Key} header and an optional {@code "reuse": true}.
 */
public final class UploadHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    public static final String SEEDANCE_UPLOAD = "POST /kyyReactApiServer/kyyVideo2/asset/upload";
    public static final String SD2_UPLOAD = "POST /kyyReactApiServer/asset/sd2Manxue/assetUpload";
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final UploadService uploads;
    private final Idempotency idempotency;
    private final int maxBatchUrls;

    public UploadHandler() {
        this(Services.lambda());
    }

    /** With the services of this execution environment (Lambda) or of the local stack. */
    public UploadHandler(Services services) {
        this(services.uploadService(), services.idempotency(), services.config().maxBatchUrls());
    }

    public UploadHandler(UploadService uploads, Idempotency idempotency, int maxBatchUrls) {
        this.uploads = uploads;
        this.idempotency = idempotency;
        this.maxBatchUrls = maxBatchUrls;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return Routes.dispatch(event, route -> switch (route) {
            case SEEDANCE_UPLOAD -> new Routes.Route(Envelope.CodeType.INTEGER, () -> {
                String account = Requests.uploaderAccount(event);
                ObjectNode body = Requests.jsonObjectBody(event);
                UploadRequests.SingleUpload upload = UploadRequests.single(body);
                return idempotency.run(account, Requests.header(event, IDEMPOTENCY_KEY), route, body,
                        claim -> uploads.single(account, upload, claim, UploadHandler::singleResponse));
            });
            case SD2_UPLOAD -> new Routes.Route(Envelope.CodeType.STRING, () -> {
                String account = Requests.uploaderAccount(event);
                ObjectNode body = Requests.jsonObjectBody(event);
                UploadRequests.BatchUpload upload = UploadRequests.batch(body, maxBatchUrls);
                return idempotency.run(account, Requests.header(event, IDEMPOTENCY_KEY), route, body,
                        claim -> uploads.batch(account, upload, claim, done -> batchResponse(done, upload)));
            });
            default -> null;
        });
    }

    /** The Seedance 2.0 route's answer (also what an ingest message records for its key). */
    public static APIGatewayV2HTTPResponse singleResponse(List<UploadService.Uploaded> done) {
        UploadService.Uploaded u = done.get(0);
        ObjectNode data = JsonCodec.object().put("assetId", u.asset().assetId());
        if (u.reused()) {
            data.put("reused", true);
        }
        return Envelope.ok(Envelope.CodeType.INTEGER, data);
    }

    /** The SD2 Manxue route's answer (also what an ingest message records for its key). */
    public static APIGatewayV2HTTPResponse batchResponse(List<UploadService.Uploaded> done, UploadRequests.BatchUpload upload) {
        ObjectNode data = JsonCodec.object();
        ArrayNode items = data.putArray("items");
        for (int i = 0; i < done.size(); i++) {
            UploadService.Uploaded u = done.get(i);
            ObjectNode item = items.addObject().put("assetType", u.asset().assetType().name())
                    .put("originalUrl", upload.accepted().get(i).url())
                    .put("assetId", u.asset().assetId()).put("status", u.asset().status().name());
            if (u.reused()) {
                item.put("reused", true);
            }
        }
        ArrayNode failed = data.putArray("failedItems");
        for (UploadRequests.RefusedUrl r : upload.refused()) {
            failed.addObject().put("originalUrl", r.originalUrl()).put("errorMessage", r.errorMessage());
        }
        return Envelope.ok(Envelope.CodeType.STRING, data);
    }
}
