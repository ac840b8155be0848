package dev.assetlib.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A script that waits for the API port and calls at once is answered: ./run-local opens the API
 * port only when the development keys are stored and the queues and state machine are ready.
 */
class ApiPortOpensLastTest {
    /** Many keys, so that storing them takes long enough for a port opened first to be seen early; the last one calls. */
    static final int KEYS = 300;
    static final String KEY = key(KEYS - 1);

    static String key(int i) {
        return "alk_" + String.format("%043d", i);
    }

    @Test
    void aClientCallingAsSoonAsThePortAcceptsGets200WithTheDevKey() throws Exception {
        int apiPort = Ports.free();
        java.util.List<String> flags = new java.util.ArrayList<>(java.util.List.of("--api-port=" + apiPort,
                "--dynamodb-port=0", "--sqs-port=0", "--sfn-port=0", "--s3-port=0",
                "--data-dir=local/target/port-last-" + java.util.UUID.randomUUID(), "--project-dir=..", "--in-memory"));
        for (int i = 0; i < KEYS; i++) {
            flags.add("--dev-key");
            flags.add(key(i) + "=port-account-" + i);
        }
        StackSettings settings = LocalStack.settings(flags.toArray(String[]::new));
        CompletableFuture<RunningStack> starting = CompletableFuture.supplyAsync(() -> {
            try {
                return RunningStack.start(settings, RunningStack.Hooks.NONE);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        RunningStack stack = null;
        try {
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (!accepts(apiPort)) {
                assertThat(System.nanoTime()).as("the API port opened").isLessThan(deadline);
                assertThat(starting.isCompletedExceptionally()).as("the stack failed to start").isFalse();
                Thread.onSpinWait();
            }
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + apiPort + "/kyyReactApiServer/kyyVideo2/assets"))
                    .header("Authorization", "Bearer " + KEY).GET().build(), HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        } finally {
            stack = starting.join();
            stack.close();
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 50);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
