package dev.assetlib.app.review;

import dev.assetlib.json.JsonCodec;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The review-start queue of shared mode: one message per upload (its review's input, the
 * {@link ReviewState} of one batch), read by the starter function. A standard queue: the order of
 * uploads does not matter to a review, each message is handled idempotently (executions are named
 * by their assets), and a standard queue has no per-group throughput limit to plan for at 3,000
 * uploads/s.
 */
public final class ReviewStartQueue {
    private final SqsClient sqs;
    private final String queueUrl;

    public ReviewStartQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    public void enqueue(ReviewState initial) {
        String body = JsonCodec.write(initial.toJson());
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(body));
    }
}
