package dev.assetlib.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.assetlib.config.SecretSource;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * GetSecretValue as the functions send it: a SigV4-signed JSON POST (service secretsmanager, the
 * client's region), the SecretString back, clear errors, retries of throttling and 5xx only.
 * Against a FAKE Secrets Manager endpoint (a local HTTP server scripted per test): no local
 * Secrets Manager exists.
 */
class SecretsManagerReaderTest {
    record Seen(String method, String path, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().get(0))
                    .findFirst().orElse(null);
        }
    }

    record Answer(int status, String body) {
    }

    private HttpServer server;
    private final List<Seen> seen = new ArrayList<>();
    private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/", ex -> {
            try (ex) {
                String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                synchronized (seen) {
                    seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().getPath(), Map.copyOf(ex.getRequestHeaders()), body));
                }
                Answer a = script.poll();
                byte[] out = (a == null ? "{}" : a.body()).getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
                ex.sendResponseHeaders(a == null ? 500 : a.status(), out.length);
                ex.getResponseBody().write(out);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private SecretsManagerReader reader(StaticCredentialsProvider credentials) {
        AwsClients clients = new AwsClients(Region.EU_WEST_1, credentials,
                Map.of("secretsmanager", URI.create("http://127.0.0.1:" + server.getAddress().getPort())));
        return (SecretsManagerReader) clients.secretsManager();
    }

    @Test
    void signsAJsonPostForSecretsManagerInTheRegionAndReturnsTheSecretString() {
        script.add(new Answer(200, "{\"ARN\":\"arn:aws:secretsmanager:eu-west-1:1:secret:k\",\"Name\":\"k\",\"SecretString\":\"s3cr3t-value\"}"));
        var credentials = StaticCredentialsProvider.create(AwsSessionCredentials.create("AKIDEXAMPLE", "wJalr", "the-session"));

        assertThat(reader(credentials).secretString("arn:aws:secretsmanager:eu-west-1:1:secret:k")).isEqualTo("s3cr3t-value");

        Seen s = seen.get(0);
        assertThat(s.method()).isEqualTo("POST");
        assertThat(s.path()).isEqualTo("/");
        assertThat(s.header("X-Amz-Target")).isEqualTo("secretsmanager.GetSecretValue");
        assertThat(s.header("Content-Type")).isEqualTo("application/x-amz-json-1.1");
        assertThat(s.body()).isEqualTo("{\"SecretId\":\"arn:aws:secretsmanager:eu-west-1:1:secret:k\"}");
        assertThat(s.header("X-Amz-Security-Token")).isEqualTo("the-session");
        assertThat(s.header("X-Amz-Date")).matches("\\d{8}T\\d{6}Z");
        String auth = s.header("Authorization");
        assertThat(auth).startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/").contains("/eu-west-1/secretsmanager/aws4_request")
                .containsPattern("SignedHeaders=[^,]*host[^,]*x-amz-target").containsPattern("Signature=[0-9a-f]{64}");
    }

    @Test
    void aMissingSecretIsUnreadableWithTheServicesWordsAndNotRetried() {
        script.add(new Answer(400, "{\"__type\":\"ResourceNotFoundException\",\"message\":\"Secrets Manager can't find the specified secret.\"}"));

        assertThatThrownBy(() -> reader(StaticCredentialsProvider.create(AwsBasicCredentials.create("AK", "SK"))).secretString("nope"))
                .isInstanceOf(SecretSource.Unreadable.class)
                .hasMessage("could not read secret nope: Secrets Manager answered HTTP 400 ResourceNotFoundException: "
                        + "Secrets Manager can't find the specified secret.");
        assertThat(seen).hasSize(1);
    }

    @Test
    void throttlingAndServerErrorsAreRetriedThenTheValueReturned() {
        script.add(new Answer(400, "{\"__type\":\"com.amazonaws.secretsmanager#ThrottlingException\",\"message\":\"Rate exceeded\"}"));
        script.add(new Answer(503, "<html>unavailable</html>"));
        script.add(new Answer(200, "{\"SecretString\":\"third-time\"}"));

        assertThat(reader(StaticCredentialsProvider.create(AwsBasicCredentials.create("AK", "SK"))).secretString("k")).isEqualTo("third-time");
        assertThat(seen).hasSize(SecretsManagerReader.ATTEMPTS);
    }

    @Test
    void aBinarySecretOrPersistentFaultIsUnreadable() {
        script.add(new Answer(200, "{\"SecretBinary\":\"AAEC\"}"));
        var reader = reader(StaticCredentialsProvider.create(AwsBasicCredentials.create("AK", "SK")));
        assertThatThrownBy(() -> reader.secretString("bin")).isInstanceOf(SecretSource.Unreadable.class)
                .hasMessage("secret bin has no string value");

        for (int i = 0; i < SecretsManagerReader.ATTEMPTS; i++) {
            script.add(new Answer(500, "{\"__type\":\"InternalServiceError\"}"));
        }
        assertThatThrownBy(() -> reader.secretString("k")).isInstanceOf(SecretSource.Unreadable.class)
                .hasMessage("could not read secret k: Secrets Manager answered HTTP 500 InternalServiceError (3 attempts)");
    }
}
