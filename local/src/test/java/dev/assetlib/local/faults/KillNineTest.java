package dev.assetlib.local.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of the whole local stack in the middle of 200 reviews, then a restart on the same
 * --data-dir: ./run-local's main runs as a process of its own (this JVM's classpath), 200 assets
 * (SD2 batches and singles) are uploaded with a slow reviewer, the process is destroyed forcibly,
 * a second one is started on the same data dir and API port, and every asset ends terminal with
 * exactly one completion: the table (DynamoDB Local's file), the queues (ElasticMQ's H2 store)
 * and the reconciler, which resumes the reviews whose executions died with the process.
 */
@Tag("faults")
class KillNineTest {
    static final String KEY = "alk_killNineKey00000000000000000000000000000001";
    static final Pattern DYNAMODB = Pattern.compile("DynamoDB Local\\s+(http://\\S+)");
    static final Pattern SQS = Pattern.compile("ElasticMQ \\(SQS\\)\\s+(http://\\S+)");
    static final Pattern COMPLETIONS = Pattern.compile("CompletionQueue\\s+(http://\\S+)");

    record Started(Process process, Path log, Invariant.Target target) {
    }

    static Started start(Path dataDir, int apiPort, String name) throws Exception {
        Path log = dataDir.resolveSibling(dataDir.getFileName() + "-" + name + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-cp", System.getProperty("java.class.path"), "dev.assetlib.local.LocalStack",
                "--api-port=" + apiPort, "--dynamodb-port=0", "--sqs-port=0", "--sfn-port=0", "--s3-port=0",
                "--data-dir=" + dataDir, "--project-dir=..", "--time-scale=0.01", "--review-delay=10m",
                "--dev-key", KEY + "=killed", "--reject", "rejected=Rejected: injected rule"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("ASSETLIB_"));
        Process process = builder.start();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            String text = Files.exists(log) ? Files.readString(log) : "";
            if (text.contains("local stack is up")) {
                return new Started(process, log, new Invariant.Target(URI.create(find(DYNAMODB, text)), URI.create(find(SQS, text)),
                        "AssetsTable", find(COMPLETIONS, text)));
            }
            if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                process.destroyForcibly();
                throw new AssertionError("./run-local did not come up: " + text);
            }
            Thread.sleep(200);
        }
    }

    static String find(Pattern p, String text) {
        Matcher m = p.matcher(text);
        if (!m.find()) {
            throw new AssertionError("not in the banner: " + p + "\n" + text);
        }
        return m.group(1);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void everyReviewInFlightAtAKillNineEndsOnceAfterTheRestart() throws Exception {
        Path dataDir = Path.of("target", "kill-nine-" + UUID.randomUUID()).toAbsolutePath();
        int apiPort = freePort();
        URI api = URI.create("http://127.0.0.1:" + apiPort);
        String samples = api + "/samples/";
        FaultClient client = new FaultClient(api, KEY);
        Started first = start(dataDir, apiPort, "first");
        try {
            // 200 assets from 4 clients: 20 SD2 batches of 5 (one of them rejected) and 100 singles.
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 5; i++) {
                        String n = "k" + thread + "-" + i;
                        assertThat(client.batch(List.of(samples + n + "-a.jpg", samples + n + "-b.png", samples + n + "-c.jpg",
                                samples + n + "-rejected.jpg", samples + n + "-d-640x480.jpg"))).hasSize(5);
                        for (int s = 0; s < 5; s++) {
                            assertThat(client.upload(samples + n + "-single-" + s + ".jpg", n + "-" + s)).isNotNull();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
            pool.shutdown();
            assertThat(client.accepted()).hasSize(200);
        } finally {
            first.process().destroyForcibly().waitFor(); // kill -9: no shutdown hook runs
        }
        assertThat(first.process().exitValue()).as("killed, not stopped").isEqualTo(137);

        Started second = start(dataDir, apiPort, "second");
        try {
            Invariant.Outcome outcome = Invariant.holds(second.target(), List.of(client), Duration.ofMinutes(5));
            assertThat(outcome.assets()).hasSize(200);
            outcome.assets().forEach((id, a) -> assertThat(a.get("status").s()).as("%s", a)
                    .isEqualTo(a.get("url").s().contains("rejected") ? "Failed" : "Active"));
            System.out.printf("faults: kill -9: %d assets, %d Active, %d Failed, %d completions%n", outcome.assets().size(),
                    outcome.count("Active"), outcome.count("Failed"), outcome.completions().size());
        } finally {
            second.process().destroy();
            second.process().waitFor();
        }
    }
}
