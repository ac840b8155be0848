package dev.assetlib.local;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.net.URI;

/**
 * DynamoDB Local, the AWS engine, in memory, in this process. {@code -sharedDb}: one database
 * whatever the caller's credentials and region, so the AWS CLI sees the stack's tables.
 */
final class DynamoDbLocal implements AutoCloseable {
    private final DynamoDBProxyServer server;
    private final int port;

    private DynamoDbLocal(DynamoDBProxyServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** @param port the port, or 0 for a free one */
    static DynamoDbLocal start(int port) throws Exception {
        int actual = port == 0 ? Ports.free() : port;
        DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(new String[] {
            "-inMemory", "-sharedDb", "-port", Integer.toString(actual), "-disableTelemetry"});
        server.start();
        return new DynamoDbLocal(server, actual);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
