package dev.assetlib.local;

import java.net.URI;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/** ElasticMQ, an SQS-compatible server, in this process on 127.0.0.1. */
final class ElasticMq implements AutoCloseable {
    private final SQSRestServer server;
    private final int port;

    private ElasticMq(SQSRestServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** @param port the port, or 0 for a free one */
    static ElasticMq start(int port) {
        int actual = port == 0 ? Ports.free() : port;
        // The node address is what queue URLs are made of: make them point at this very server.
        SQSRestServer server = SQSRestServerBuilder.withPort(actual).withInterface("127.0.0.1")
                .withServerAddress(new NodeAddress("http", "127.0.0.1", actual, ""))
                .start();
        server.waitUntilStarted();
        return new ElasticMq(server, actual);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() {
        server.stopAndWait();
    }
}
