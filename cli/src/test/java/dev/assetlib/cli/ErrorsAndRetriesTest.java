package dev.assetlib.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assetlib.cli.CliRunner.Result;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Usage errors (exit 2), an unreachable endpoint (exit 3, named), and retries of 429/503 honouring Retry-After. */
class ErrorsAndRetriesTest {
    static final String KEY = LocalStackExtension.key("noServiceNeeded");
    static final String LIST_OK = "{\"code\":0,\"msg\":null,\"data\":{\"items\":[],\"nextToken\":null}}";

    @Test
    void badArgumentsExit2WithAMessageAndAHint() {
        CliRunner cli = CliRunner.against("http://127.0.0.1:9", KEY);
        Result unknownOption = cli.run("list", "--colour");
        assertThat(unknownOption.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknownOption.err()).contains("Unknown option: '--colour'");
        assertThat(cli.run("frobnicate").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.run("get").err()).contains("Missing required parameter", "Try 'assetlib get --help'");
        assertThat(cli.run("list", "--output", "yaml").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.run("list", "--type", "image").err()).contains("case-sensitive");
        assertThat(cli.run("wait", "asset-1", "--interval", "soon").err()).contains("--interval \"soon\"");
        assertThat(cli.run("rename", "asset-1").exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void noKeyAnywhereIsAUsageErrorThatSaysHowToConfigureOne() {
        Result r = new CliRunner().run("list");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("no API key", "assetlib configure", "ASSETLIB_KEY");
    }

    @Test
    void anEndpointThatIsNotAUrlIsAUsageError() {
        Result r = CliRunner.against("ftp://example.com", KEY).run("list");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("endpoint \"ftp://example.com\" is not an http(s) URL");
    }

    @Test
    void aDeadEndpointExits3NamingTheEndpoint() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String endpoint = "http://127.0.0.1:" + port;
        Result r = CliRunner.against(endpoint, KEY).run("status", "asset-20260330142158-q75m8");

        assertThat(r.exit()).isEqualTo(ExitCodes.SERVICE);
        assertThat(r.err()).contains("cannot reach " + endpoint, "connection refused");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void throttledAnswersAreRetriedAfterTheirRetryAfter() throws Exception {
        List<Duration> slept = new CopyOnWriteArrayList<>();
        try (ScriptedHttpServer server = new ScriptedHttpServer()) {
            server.then(429, Map.of("Retry-After", "7"), "{\"message\":\"Too Many Requests\"}")
                    .then(503, Map.of("Retry-After", "2"), "{\"code\":50300,\"msg\":\"briefly unavailable\",\"data\":null}")
                    .then(200, Map.of(), LIST_OK);

            Result r = CliRunner.against(server.endpoint(), KEY).sleeper(slept::add).run("list", "-o", "json");

            assertThat(r.exit()).as(r.toString()).isEqualTo(0);
            assertThat(slept).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(2));
            assertThat(server.requests()).isEqualTo(3);
            assertThat(r.err()).contains("HTTP 429", "retrying in 7.0 s");
            assertThat(r.json().path("items")).isEmpty();
        }
    }

    @Test
    void withoutRetryAfterTheBackoffGrowsAndTheLastAnswerIsReported() throws Exception {
        List<Duration> slept = new CopyOnWriteArrayList<>();
        try (ScriptedHttpServer server = new ScriptedHttpServer()) {
            server.then(503, Map.of(), "{\"code\":50300,\"msg\":\"a dependency is briefly unavailable (retry)\",\"data\":null}");

            Result r = CliRunner.against(server.endpoint(), KEY).sleeper(slept::add).run("list");

            assertThat(r.exit()).isEqualTo(ExitCodes.SERVICE);
            assertThat(server.requests()).isEqualTo(5);
            assertThat(slept).hasSize(4);
            for (int i = 0; i < 4; i++) {
                long cap = Math.min(8000, 500L << i);
                assertThat(slept.get(i).toMillis()).isBetween(cap / 2, cap);
            }
            assertThat(r.err()).contains("HTTP 503 (code 50300)", "a dependency is briefly unavailable (retry)");
        }
    }

    @Test
    void otherErrorsAreNotRetried() throws Exception {
        try (ScriptedHttpServer server = new ScriptedHttpServer()) {
            server.then(400, Map.of(), "{\"code\":40030,\"msg\":\"limit must be 1 to 100\",\"data\":null}");
            Result r = CliRunner.against(server.endpoint(), KEY).sleeper(d -> { throw new AssertionError("slept"); }).run("list");
            assertThat(r.exit()).isEqualTo(ExitCodes.SERVICE);
            assertThat(server.requests()).isEqualTo(1);
            assertThat(r.err()).contains("HTTP 400 (code 40030)", "limit must be 1 to 100");
        }
    }
}
