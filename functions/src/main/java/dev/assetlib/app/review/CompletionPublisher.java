package dev.assetlib.app.review;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.json.JsonCodec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Sends the one completion message of an asset to the FIFO completion queue. The deduplication id
 * is the asset id and final status, so a send retried within SQS's five-minute window is dropped by
 * the queue; the asset's completion mark in DynamoDB guards retries beyond it.
 *
 * <p>At rate (docs/scale.md, "Completions at 3,000/s"): one message group per asset, so no group
 * ever holds more than one message and high-throughput FIFO mode (template.yaml: DeduplicationScope
 * messageGroup, FifoThroughputLimit perMessageGroupId) spreads the groups over the queue's
 * partitions; and the completions a review round decides go out together in SendMessageBatch calls
 * of ten ({@link #publishAll}), so 3,000 completions/s cost ~300-400 calls/s.
 */
public final class CompletionPublisher {
    private final SqsClient sqs;
    private final String queueUrl;
    /** The webhook event queue (a FIFO copy of every completion for WebhookDeliveryFunction), or null. */
    private final String webhookQueueUrl;

    public CompletionPublisher(SqsClient sqs, String queueUrl) {
        this(sqs, queueUrl, null);
    }

    /**
     * With {@code webhookQueueUrl}, each completion is also sent there, first: the completion queue
     * is the operator's (SQS gives a message to one consumer only), the webhook queue the delivery
     * function's. Same group and deduplication ids, so a retried publish is dropped by both.
     */
    public CompletionPublisher(SqsClient sqs, String queueUrl, String webhookQueueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.webhookQueueUrl = webhookQueueUrl;
    }

    public void publish(Asset asset) {
        if (webhookQueueUrl != null) {
            sqs.sendMessage(r -> r.queueUrl(webhookQueueUrl)
                    .messageBody(body(asset))
                    .messageGroupId(asset.assetId())
                    .messageDeduplicationId(asset.assetId() + "-" + asset.status().name()));
        }
        sqs.sendMessage(r -> r.queueUrl(queueUrl)
                .messageBody(body(asset))
                .messageGroupId(asset.assetId())
                .messageDeduplicationId(asset.assetId() + "-" + asset.status().name()));
    }

    /** Most entries in one SendMessageBatch call (the SQS limit). */
    static final int BATCH = 10;

    /**
     * Sends the completions of {@code assets} in batches of ten; returns the ids of the assets whose
     * message the queue accepted. An entry the queue refused (or a batch whose call failed) is
     * simply not in the answer: the caller sends it again later, and the deduplication id drops a
     * second copy within five minutes.
     */
    public Set<String> publishAll(List<Asset> assets) {
        Set<String> sent = new HashSet<>();
        RuntimeException failure = null;
        for (int from = 0; from < assets.size(); from += BATCH) {
            List<Asset> chunk = assets.subList(from, Math.min(assets.size(), from + BATCH));
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>(chunk.size());
            for (int i = 0; i < chunk.size(); i++) {
                Asset a = chunk.get(i);
                entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(body(a))
                        .messageGroupId(a.assetId()).messageDeduplicationId(a.assetId() + "-" + a.status().name()).build());
            }
            try {
                // The webhook copy first, as publish does: an entry it refused is not sent to the
                // completion queue either, so the caller's next try sends both (deduplicated).
                List<SendMessageBatchRequestEntry> toSend = entries;
                if (webhookQueueUrl != null) {
                    Set<String> copied = new HashSet<>();
                    sqs.sendMessageBatch(r -> r.queueUrl(webhookQueueUrl).entries(entries)).successful()
                            .forEach(ok -> copied.add(ok.id()));
                    toSend = entries.stream().filter(e -> copied.contains(e.id())).toList();
                    if (toSend.isEmpty()) {
                        continue;
                    }
                }
                List<SendMessageBatchRequestEntry> main = toSend;
                SendMessageBatchResponse response = sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(main));
                response.successful().forEach(ok -> sent.add(chunk.get(Integer.parseInt(ok.id())).assetId()));
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (sent.isEmpty() && failure != null) {
            throw failure;
        }
        return sent;
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
        dev.assetlib.app.FindingsJson.put(body, asset.assetId(), asset.findings());
        if (asset.batchId() != null) {
            body.put("batchId", asset.batchId());
        }
        body.put("createdAt", asset.createdAt().toString());
        body.put("completedAt", asset.updatedAt().toString());
        return JsonCodec.write(body);
    }
}
