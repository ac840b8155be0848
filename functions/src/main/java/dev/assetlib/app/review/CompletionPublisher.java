package dev.assetlib.app.review;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.json.JsonCodec;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Sends the one completion message of an asset to the FIFO completion queue. The deduplication id
 * is the asset id and final status, so a send retried within SQS's five-minute window is dropped by
 * the queue; the asset's completion mark in DynamoDB guards retries beyond it.
 */
public final class CompletionPublisher {
    private final SqsClient sqs;
    private final String queueUrl;

    public CompletionPublisher(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    public void publish(Asset asset) {
        sqs.sendMessage(r -> r.queueUrl(queueUrl)
                .messageBody(body(asset))
                .messageGroupId(asset.assetId())
                .messageDeduplicationId(asset.assetId() + "-" + asset.status().name()));
    }

    /**
     * The one completion of an ingest message that created no asset for some or all of its content
     * (README, "Ingest from S3 and SQS"): {@code body} is built by the ingest consumer and stored with its
     * idempotency record; {@code dedupKey} identifies the message (a hash of account and key).
     */
    public void publishIngestRejection(String dedupKey, String body) {
        sqs.sendMessage(r -> r.queueUrl(queueUrl)
                .messageBody(body)
                .messageGroupId(dedupKey)
                .messageDeduplicationId(dedupKey));
    }

    /** The message body; its fields are documented in the README and must not be renamed. */
    static String body(Asset asset) {
        ObjectNode body = JsonCodec.object();
        body.put("assetId", asset.assetId());
        body.put("accountId", asset.accountId());
        body.put("assetType", asset.assetType().name());
        body.put("status", asset.status().name());
        if (asset.status() == AssetStatus.Active) {
            body.put("uri", asset.uri());
        } else {
            body.put("errorCode", asset.errorCode());
            body.put("errorMessage", asset.errorMessage());
        }
        if (asset.name() != null) {
            body.put("name", asset.name());
        }
        body.put("url", asset.url());
        dev.assetlib.app.MediaJson.put(body, asset.media());
        if (asset.batchId() != null) {
            body.put("batchId", asset.batchId());
        }
        body.put("createdAt", asset.createdAt().toString());
        body.put("completedAt", asset.updatedAt().toString());
        return JsonCodec.write(body);
    }
}
