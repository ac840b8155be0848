package dev.assetlib.app.ingest;

import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Sends an ingest message over a quota back to the ingest queue with a delay, as a new message
 * that carries what its wait so far was: the original message id (its idempotency key when the
 * body names none, so a copy and a late redelivery of the original are one upload), how many times
 * it was refused, since when, and why. The caller then lets the original be deleted. A new
 * message starts with a receive count of 0, so the queue's maxReceiveCount (3) still applies only
 * to faults and unknown accounts. Delays are service time; {@code timeScale} turns them into queue
 * time (1 in AWS; the local stack's --time-scale).
 */
public final class IngestRetryQueue {
    /** The account (String attribute): who the upload is for. */
    public static final String ACCOUNT = "accountId";
    /** The ingest message's original SQS message id (set on copies only). */
    public static final String ORIGINAL_ID = "ingestMessageId";
    /** How many times the upload was refused over a quota so far (Number). */
    public static final String REFUSALS = "ingestQuotaRefusals";
    /** When the first refusal was (ISO-8601 instant, service time). */
    public static final String WAITING_SINCE = "ingestWaitingSince";
    /** The last refusal's message (quota, usage, limit): for whoever looks at the queue or the DLQ. */
    public static final String REASON = "ingestWaitReason";
    static final int MAX_DELAY_SECONDS = 900;
    private static final int MAX_REASON = 500;

    private final SqsClient sqs;
    private final String queueUrl;
    private final double timeScale;

    public IngestRetryQueue(SqsClient sqs, String queueUrl, double timeScale) {
        if (!(timeScale > 0)) {
            throw new IllegalArgumentException("timeScale must be > 0");
        }
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.timeScale = timeScale;
    }

    /** Sends the copy; throws (SdkException) if SQS did not take it: the original must then stay on the queue. */
    public void sendLater(IngestService.Message message, int refusals, Duration wait, String reason) {
        int delay = (int) Math.max(0, Math.min(MAX_DELAY_SECONDS, Math.ceil(wait.toMillis() * timeScale / 1000.0)));
        String why = reason == null ? "over a quota" : reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason;
        Map<String, MessageAttributeValue> attributes = Map.of(
                ACCOUNT, text(message.accountId()),
                ORIGINAL_ID, text(message.messageId()),
                REFUSALS, MessageAttributeValue.builder().dataType("Number").stringValue(Integer.toString(refusals)).build(),
                WAITING_SINCE, text(message.waitingSince().toString()),
                REASON, text(why));
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(message.body()).delaySeconds(delay).messageAttributes(attributes));
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}
