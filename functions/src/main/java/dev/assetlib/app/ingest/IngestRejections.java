package dev.assetlib.app.ingest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.app.review.ReviewState;
import dev.assetlib.app.upload.UploadRequests;
import dev.assetlib.domain.ErrorCode;
import dev.assetlib.json.JsonCodec;
import dev.assetlib.security.Sha256;
import java.time.Clock;
import java.util.List;

/**
 * The completion messages of refused ingest messages ({@value IngestService#REJECTED_CODE}): what
 * was refused and why, how to correlate it with the message, and the queue's deduplication key.
 */
final class IngestRejections {
    private final Clock clock;

    IngestRejections(Clock clock) {
        this.clock = clock;
    }

    /** The rejection completion: no asset, status Failed, the reason and how to correlate it with the message. */
    ObjectNode of(String account, IngestService.Message message, String key, ErrorCode error, String reason) {
        ObjectNode body = JsonCodec.object();
        body.put("source", "ingest");
        body.put("accountId", account);
        body.put("status", "Failed");
        body.put("errorCode", IngestService.REJECTED_CODE);
        body.put("apiErrorCode", error.code());
        body.put("errorMessage", reason);
        body.put("ingestMessageId", message.messageId());
        if (!key.equals(message.messageId())) {
            body.put("idempotencyKey", key);
        }
        body.put("rejectedAt", clock.instant().toString());
        return body;
    }

    /** The refused URLs of a batch whose other URLs became assets ({@code review}: their review, null if all were reused). */
    String partial(String account, IngestService.Message message, String key, ReviewState review,
                                    List<UploadRequests.RefusedUrl> refused) {
        ObjectNode body = of(account, message, key, ErrorCode.URL_INVALID, refused.size()
                + " URL(s) of the batch were refused (see failedItems)"
                + (review == null ? "; the others were existing assets, reused" : "; the other " + review.pending().size()
                + " became assets of batch " + review.batchId()));
        if (review != null) {
            body.put("batchId", review.batchId());
        }
        addFailedItems(body, refused);
        return body.toString();
    }

    static void addFailedItems(ObjectNode body, List<UploadRequests.RefusedUrl> refused) {
        ArrayNode items = body.putArray("failedItems");
        refused.forEach(r -> items.addObject().put("originalUrl", r.originalUrl()).put("errorMessage", r.errorMessage()));
    }

    /** The completion queue's deduplication key of a message's rejection: short, fixed length, no raw input. */
    static String dedupKey(String accountId, String keyHash) {
        return "ingest-" + Sha256.hex(accountId + "\n" + keyHash);
    }
}
