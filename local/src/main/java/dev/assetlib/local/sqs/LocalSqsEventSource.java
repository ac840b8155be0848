package dev.assetlib.local.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.local.sfn.LocalLambda;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The local counterpart of Lambda's SQS event source mapping: pollers receive from the queue in
 * ElasticMQ, call the function with the SQSEvent shape Lambda builds, and delete only the messages
 * that succeeded: with ReportBatchItemFailures, all but the reported ones; if the function throws,
 * none. Kept messages come back after the visibility timeout, so the queue's redrive policy moves
 * them to the dead-letter queue after maxReceiveCount receives, exactly as in AWS. The one local
 * liberty: the visibility timeout of a kept message is scaled by the stack's time scale (like every
 * other wait), so retries do not take minutes of real time.
 *
 * <p>Batching as Lambda does it: a poll that has received its first messages keeps receiving until
 * it holds BatchSize messages (which may exceed SQS's 10 per receive) or MaximumBatchingWindowInSeconds
 * has passed since then, and only then calls the function. The window is scaled by the time scale
 * too (like every other wait of the local stack).
 */
public final class LocalSqsEventSource implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final String region;
    private final LocalLambda function;
    private final int batchSize;
    private final boolean reportBatchItemFailures;
    private final int retryVisibilitySeconds;
    private final Duration batchingWindow;
    private final String functionName;
    private final ExecutorService pollers;
    private volatile boolean running = true;

    public LocalSqsEventSource(SqsClient sqs, String queueUrl, String queueArn, String region, LocalLambda function,
                               int batchSize, boolean reportBatchItemFailures, Duration visibilityTimeout,
                               double timeScale, int concurrency) {
        this(sqs, queueUrl, queueArn, region, function, null, batchSize, Duration.ZERO, reportBatchItemFailures,
                visibilityTimeout, timeScale, concurrency);
    }

    /**
     * @param batchingWindow MaximumBatchingWindowInSeconds of the event (template time; scaled here)
     * @param functionName   the template's logical id of the function (for {@link #functionName()})
     */
    public LocalSqsEventSource(SqsClient sqs, String queueUrl, String queueArn, String region, LocalLambda function,
                               String functionName, int batchSize, Duration batchingWindow, boolean reportBatchItemFailures,
                               Duration visibilityTimeout, double timeScale, int concurrency) {
        this.functionName = functionName;
        this.batchingWindow = Duration.ofNanos(Math.round(batchingWindow.toNanos() * timeScale));
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.queueArn = queueArn;
        this.region = region;
        this.function = function;
        // Lambda's limit for a standard queue with a window (10,000); SQS hands out 10 per receive.
        this.batchSize = Math.max(1, Math.min(10_000, batchSize));
        this.reportBatchItemFailures = reportBatchItemFailures;
        this.retryVisibilitySeconds = (int) Math.max(1, Math.round(visibilityTimeout.toSeconds() * timeScale));
        AtomicInteger n = new AtomicInteger();
        this.pollers = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "sqs-event-source-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < concurrency; i++) {
            pollers.submit(this::poll);
        }
    }

    private void poll() {
        while (running) {
            try {
                List<Message> batch = new java.util.ArrayList<>(receive(1));
                if (!batch.isEmpty()) {
                    gather(batch);
                    deliver(batch);
                }
            } catch (Exception e) {
                if (running) {
                    System.err.println("local SQS event source (" + queueUrl + "): " + e);
                    sleep(500);
                }
            }
        }
    }

    private List<Message> receive(int waitSeconds) {
        int max = Math.min(10, batchSize);
        return sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(max)
                .waitTimeSeconds(waitSeconds).messageAttributeNames("All")
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
    }

    /** Keeps receiving until the batch is full or the (scaled) batching window has passed. */
    private void gather(List<Message> batch) {
        long until = System.nanoTime() + batchingWindow.toNanos();
        while (running && batch.size() < batchSize && System.nanoTime() < until) {
            List<Message> more = receive(0);
            int room = batchSize - batch.size();
            if (more.size() > room) {
                // Over the batch size (a receive takes up to 10): the rest comes back after its visibility timeout.
                more.subList(room, more.size()).forEach(m -> sqs.changeMessageVisibility(r -> r.queueUrl(queueUrl)
                        .receiptHandle(m.receiptHandle()).visibilityTimeout(0)));
                more = more.subList(0, room);
            }
            batch.addAll(more);
            if (more.isEmpty()) {
                // Look again in 20 ms (or at the window's end): a gathering poll costs ElasticMQ ~50 receives/s.
                sleep(Math.max(1, Math.min(20, (until - System.nanoTime()) / 1_000_000)));
            }
        }
    }

    /** BatchSize as the template gives it. */
    public int batchSize() {
        return batchSize;
    }

    /** MaximumBatchingWindowInSeconds, scaled by the stack's time scale: how long a poll gathers at most. */
    public Duration batchingWindow() {
        return batchingWindow;
    }

    /** The function this source invokes (its template logical id), or null. */
    public String functionName() {
        return functionName;
    }

    private void deliver(List<Message> batch) throws Exception {
        Set<String> failed = new HashSet<>();
        try {
            byte[] result = function.invoke(event(batch));
            if (reportBatchItemFailures && result != null && result.length > 0) {
                JsonNode response = JSON.readTree(result);
                response.path("batchItemFailures").forEach(f -> failed.add(f.path("itemIdentifier").asText()));
            }
        } catch (Exception e) {
            System.err.println("local SQS event source: the function failed; the whole batch will be received again: " + e);
            batch.forEach(m -> failed.add(m.messageId()));
        }
        for (Message m : batch) {
            if (failed.contains(m.messageId())) {
                sqs.changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle())
                        .visibilityTimeout(retryVisibilitySeconds));
            } else {
                sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
    }

    /** The SQSEvent JSON Lambda's event source mapping sends. */
    private byte[] event(List<Message> batch) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (Message m : batch) {
            ObjectNode r = records.addObject();
            r.put("messageId", m.messageId());
            r.put("receiptHandle", m.receiptHandle());
            r.put("body", m.body());
            ObjectNode attributes = r.putObject("attributes");
            m.attributesAsStrings().forEach(attributes::put);
            ObjectNode messageAttributes = r.putObject("messageAttributes");
            m.messageAttributes().forEach((name, v) -> {
                ObjectNode a = messageAttributes.putObject(name);
                if (v.stringValue() != null) {
                    a.put("stringValue", v.stringValue());
                }
                if (v.binaryValue() != null) {
                    a.put("binaryValue", java.util.Base64.getEncoder().encodeToString(v.binaryValue().asByteArray()));
                }
                a.putArray("stringListValues");
                a.putArray("binaryListValues");
                a.put("dataType", v.dataType());
            });
            r.put("md5OfBody", m.md5OfBody() != null ? m.md5OfBody() : md5(m.body()));
            r.put("eventSource", "aws:sqs");
            r.put("eventSourceARN", queueArn);
            r.put("awsRegion", region);
        }
        return event.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        pollers.shutdown();
        try {
            if (!pollers.awaitTermination(5, TimeUnit.SECONDS)) {
                pollers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
