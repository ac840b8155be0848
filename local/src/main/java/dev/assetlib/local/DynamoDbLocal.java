package dev.assetlib.local;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.net.URI;

/**
 * DynamoDB Local, the AWS engine, in this process: in memory, or kept in a file under the data dir. {@code -sharedDb}: one database
 * whatever the caller's credentials and region, so the AWS CLI sees the stack's tables.
 */
final class DynamoDbLocal implements AutoCloseable {
    private final DynamoDBProxyServer server;
    private final int port;

    private DynamoDbLocal(DynamoDBProxyServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * @param port the port, or 0 for a free one
     * @param dbPath where the database file is kept (it survives a restart), or null for memory only
     */
    static DynamoDbLocal start(int port, java.nio.file.Path dbPath) throws Exception {
        int actual = port == 0 ? Ports.free() : port;
        if (dbPath != null) {
            java.nio.file.Files.createDirectories(dbPath);
        }
        String[] storage = dbPath == null ? new String[] {"-inMemory"} : new String[] {"-dbPath", dbPath.toString()};
        String[] rest = {"-sharedDb", "-port", Integer.toString(actual), "-disableTelemetry"};
        String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(storage), java.util.Arrays.stream(rest))
                .toArray(String[]::new);
        DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(args);
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
