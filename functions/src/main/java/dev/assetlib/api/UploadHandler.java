package dev.assetlib.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.Services;
import dev.assetlib.app.idempotency.IdempotencyKeys;
import dev.assetlib.app.upload.PublicUrls;
import dev.assetlib.app.upload.UploadRequests;
import dev.assetlib.app.upload.UploadService;

/**
 * UploadFunction: {@code POST /kyyReactApiServer/kyyVideo2/asset/upload} (Seedance 2.0, one asset)
 * and {@code POST /kyyReactApiServer/asset/sd2Manxue/assetUpload} (SD2 Manxue, a batch). Both take
 * an optional {@code Idempotency-Key} header and an optional {@code "reuse": true}.
 */
public final class UploadHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    /** The account rate limits (null: none, as when built from parts). */
    private RateLimits limits;
    public static final String SEEDANCE_UPLOAD = IdempotencyKeys.SINGLE_UPLOAD;
    public static final String SD2_UPLOAD = IdempotencyKeys.BATCH_UPLOAD;
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final UploadService uploads;
    private final IdempotentRequests idempotency;
    private final int maxBatchUrls;
    private final PublicUrls publicUrls;

    public UploadHandler() {
        this(Services.lambda());
    }

    /** With the services of this execution environment (Lambda) or of the local stack. */
    public UploadHandler(Services services) {
        this(services.uploadService(), new IdempotentRequests(services.idempotentExecutor()), services.config().maxBatchUrls(),
                services.publicUrls());
        this.limits = new RateLimits(services.rateLimiter(), services.accountPlans()).orNull();
    }

    public UploadHandler(UploadService uploads, IdempotentRequests idempotency, int maxBatchUrls) {
        this(uploads, idempotency, maxBatchUrls, PublicUrls.strict());
    }

    public UploadHandler(UploadService uploads, IdempotentRequests idempotency, int maxBatchUrls, PublicUrls publicUrls) {
        this.publicUrls = publicUrls;
        this.uploads = uploads;
        this.idempotency = idempotency;
        this.maxBatchUrls = maxBatchUrls;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return Routes.dispatch(event, limits, route -> switch (route) {
            case SEEDANCE_UPLOAD -> new Routes.Route(Envelope.CodeType.INTEGER, () -> {
                String account = Requests.uploaderAccount(event);
                ObjectNode body = Requests.jsonObjectBody(event);
                UploadRequests.SingleUpload upload = UploadRequests.single(body, publicUrls);
                return idempotency.run(account, Requests.header(event, IDEMPOTENCY_KEY), route, body,
                        Envelope.CodeType.INTEGER, claim -> uploads.single(account, upload, claim));
            });
            case SD2_UPLOAD -> new Routes.Route(Envelope.CodeType.STRING, () -> {
                String account = Requests.uploaderAccount(event);
                ObjectNode body = Requests.jsonObjectBody(event);
                UploadRequests.BatchUpload upload = UploadRequests.batch(body, maxBatchUrls, publicUrls);
                return idempotency.run(account, Requests.header(event, IDEMPOTENCY_KEY), route, body,
                        Envelope.CodeType.STRING, claim -> uploads.batch(account, upload, claim));
            });
            default -> null;
        });
    }
}
