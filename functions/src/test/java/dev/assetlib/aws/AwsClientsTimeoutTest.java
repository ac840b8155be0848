package dev.assetlib.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;

/**
 * Issue 15, hole 1: every AWS call ends well inside the function's time-out, even against a server
 * that accepts the connection and never answers (the SDK's own defaults would wait far longer).
 */
class AwsClientsTimeoutTest {

    @Test
    void theDefaultTimeoutsEndEveryCallWellInsideTheFunctionsTimeout() throws Exception {
        JsonNode template = new ObjectMapper(new YAMLFactory())
                .readTree(Path.of("..", "template.yaml").toFile());
        Duration function = Duration.ofSeconds(template.at("/Globals/Function/Timeout").asLong());
        AwsClients.Timeouts t = AwsClients.Timeouts.DEFAULT;
        // Half the function's time at most, so the function can still clean up or answer after a failed call.
        assertThat(t.apiCall()).isLessThanOrEqualTo(function.dividedBy(2));
        assertThat(t.attempt()).isLessThan(t.apiCall());
        assertThat(t.socketRead()).isLessThanOrEqualTo(t.attempt());
        assertThat(t.connect()).isLessThanOrEqualTo(t.attempt());
    }

    /**
     * Without call time-outs this call waits 30 s per attempt (the url-connection default) and is
     * retried: the JUnit time-out (a safety net, not a speed target) then fails the test.
     */
    @Test
    @org.junit.jupiter.api.Timeout(value = 20, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aServerThatNeverAnswersFailsTheCallWithinTheCallTimeout() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept()); // accepted, read nothing, answer nothing
                    }
                } catch (Exception closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            AwsClients.Timeouts quick = new AwsClients.Timeouts(Duration.ofMillis(1500), Duration.ofMillis(500),
                    Duration.ofMillis(500), Duration.ofMillis(500));
            try (AwsClients clients = new AwsClients(Region.US_EAST_1,
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "y")),
                    Map.of("dynamodb", URI.create("http://127.0.0.1:" + silent.getLocalPort())), quick)) {
                assertThatThrownBy(() -> clients.dynamoDb().listTables()).isInstanceOf(SdkClientException.class);
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    /**
     * The Rekognition client has its own, longer time-outs (an image analysis may take seconds),
     * still bounded: against a server that never answers, a call fails within its 6 s call time-out
     * with the default settings (the JUnit time-out is the safety net; unbounded, it would wait 30 s
     * an attempt), so the reviewer's 6 s budget plus an asset's two calls stay inside the 20 s.
     */
    @Test
    @org.junit.jupiter.api.Timeout(value = 15, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aRekognitionServerThatNeverAnswersFailsTheCallWithinItsOwnBoundedTimeout() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (Exception closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            try (AwsClients clients = new AwsClients(Region.US_EAST_1,
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "y")),
                    Map.of("rekognition", URI.create("http://127.0.0.1:" + silent.getLocalPort())))) {
                assertThatThrownBy(() -> clients.rekognition().detectFaces(r -> r.image(i -> i.s3Object(o -> o.bucket("b").name("k")))))
                        .isInstanceOf(SdkClientException.class);
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
