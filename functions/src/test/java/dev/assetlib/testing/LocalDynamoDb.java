package dev.assetlib.testing;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import dev.assetlib.store.AssetsTable;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import dev.assetlib.aws.AwsClients;

/**
 * DynamoDB Local (the real AWS engine, in memory) in server mode on a free port, started once per
 * test JVM and reached over HTTP with the same SDK client code as in Lambda. Each test gets a table
 * of its own.
 */
public final class LocalDynamoDb {
    private static URI endpoint;

    private LocalDynamoDb() {
    }

    public static synchronized URI endpoint() {
        if (endpoint == null) {
            try {
                int port = freePort();
                DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(
                        new String[] {"-inMemory", "-sharedDb", "-port", Integer.toString(port), "-disableTelemetry"});
                server.start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        server.stop();
                    } catch (Exception ignored) {
                        // the JVM is exiting
                    }
                }));
                endpoint = URI.create("http://127.0.0.1:" + port);
            } catch (Exception e) {
                throw new IllegalStateException("could not start DynamoDB Local", e);
            }
        }
        return endpoint;
    }

    /** Clients against DynamoDB Local and ElasticMQ with dummy credentials. */
    public static AwsClients clients() {
        return new AwsClients(Region.US_EAST_1,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")),
                Map.of("dynamodb", endpoint(), "sqs", LocalSqs.endpoint()), AwsClients.Timeouts.LOCAL);
    }

    /** A fresh, empty assets table with the production key schema. */
    public static String newTable(AwsClients clients) {
        String name = "assets-" + UUID.randomUUID();
        AssetsTable.create(clients.dynamoDb(), name);
        return name;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
