package dev.assetlib.testing;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** ElasticMQ (an SQS-compatible server) on a free port, once per test JVM; a FIFO queue per test. */
public final class LocalSqs {
    private static URI endpoint;

    private LocalSqs() {
    }

    public static synchronized URI endpoint() {
        if (endpoint == null) {
            try {
                int port = LocalDynamoDb.freePort();
                SQSRestServer server = SQSRestServerBuilder.withPort(port).withInterface("127.0.0.1").start();
                server.waitUntilStarted();
                Runtime.getRuntime().addShutdownHook(new Thread(server::stopAndWait));
                endpoint = URI.create("http://127.0.0.1:" + port);
            } catch (Exception e) {
                throw new IllegalStateException("could not start ElasticMQ", e);
            }
        }
        return endpoint;
    }

    /** A new FIFO completion queue like the template's (explicit deduplication ids). */
    public static String newFifoQueue(SqsClient sqs) {
        String name = "completions-" + UUID.randomUUID() + ".fifo";
        return sqs.createQueue(r -> r.queueName(name).attributes(Map.of(
                QueueAttributeName.FIFO_QUEUE, "true",
                QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "false"))).queueUrl();
    }

    /** Receives (and deletes) everything currently on the queue. */
    public static List<Message> drain(SqsClient sqs, String queueUrl) {
        List<Message> all = new ArrayList<>();
        while (true) {
            List<Message> batch = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
            if (batch.isEmpty()) {
                return all;
            }
            for (Message m : batch) {
                all.add(m);
                sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
    }
}
