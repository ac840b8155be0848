package dev.assetlib.app.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.json.JsonCodec;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The standard delivery queue: one message per attempt. A retry waits in the queue with
 * DelaySeconds; SQS allows at most 900 s, so a longer wait is re-enqueued with what remains when
 * the message comes back early (at most 15 min per hop: a 10 h wait is 40 receives, each a
 * GetItem-free check of {@code dueAt}). Delays are service time; {@code timeScale} turns them into
 * queue time (1 in AWS; the local stack's --time-scale).
 */
public final class DeliveryQueue {
    static final int MAX_DELAY_SECONDS = 900;

    /** One attempt to make: attempt {@code attempt} of the delivery, not before {@code dueAt}. */
    public record Ticket(String accountId, String endpointId, String deliveryId, int attempt, Instant dueAt) {
        public String toJson() {
            ObjectNode o = JsonCodec.object();
            o.put("accountId", accountId).put("endpointId", endpointId).put("deliveryId", deliveryId)
                    .put("attempt", attempt).put("dueAt", dueAt.toString());
            return JsonCodec.write(o);
        }

        public static Ticket fromJson(JsonNode o) {
            return new Ticket(o.path("accountId").asText(), o.path("endpointId").asText(), o.path("deliveryId").asText(),
                    o.path("attempt").asInt(), Instant.parse(o.path("dueAt").asText()));
        }
    }

    private final SqsClient sqs;
    private final String queueUrl;
    private final double timeScale;

    public DeliveryQueue(SqsClient sqs, String queueUrl, double timeScale) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.timeScale = timeScale;
    }

    /** Sends the ticket to come back at its due time, or after 900 s of queue time if that is later. */
    public void send(Ticket ticket, Instant now) {
        Duration wait = Duration.between(now, ticket.dueAt());
        int delay = wait.isNegative() ? 0 : (int) Math.min(MAX_DELAY_SECONDS, Math.ceil(wait.toMillis() * timeScale / 1000.0));
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(ticket.toJson()).delaySeconds(delay));
    }

    /** True when a received ticket came back before its time (a wait longer than one hop). */
    public boolean early(Ticket ticket, Instant now) {
        return Duration.between(now, ticket.dueAt()).toMillis() * timeScale > 1000;
    }
}
