package dev.assetlib.local.faults;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A fake, for fault injection only: an HTTP proxy in front of one real local server (DynamoDB
 * Local, ElasticMQ, an upstream library) that forwards every request unchanged, except those a
 * scripted rule matches, which get the rule's fault instead: an error answer (throttling, 5xx),
 * a delay (a time-out for a client with a shorter one), or garbage. Rules run out after a number
 * of faults or at the end of their window, so every test ends on a healthy dependency.
 */
public final class FaultProxy implements AutoCloseable {
    /** One request as a rule sees it; {@code operation} is the AWS JSON protocol's X-Amz-Target (e.g. DynamoDB_20120810.PutItem). */
    public record Call(String method, String path, String operation, String body) {
        public boolean is(String... operations) {
            for (String o : operations) {
                if (operation != null && operation.endsWith("." + o)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** What a matched request gets instead of the real server's answer. */
    public sealed interface Fault permits Answer, Delay {
    }

    /** An answer of the proxy's own. */
    public record Answer(int status, Map<String, String> headers, String body) implements Fault {
    }

    /** Waits, then forwards (a client with a shorter time-out has given up by then). */
    public record Delay(Duration delay) implements Fault {
    }

    private static final String AMZ_JSON = "application/x-amz-json-1.0";
    private static final Set<String> HOP_HEADERS = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection");

    public static Answer dynamoDbThrottling() {
        return new Answer(400, Map.of("Content-Type", AMZ_JSON), "{\"__type\":\"com.amazonaws.dynamodb.v20120810#"
                + "ProvisionedThroughputExceededException\",\"message\":\"The level of configured provisioned throughput for "
                + "the table was exceeded (injected by FaultProxy)\"}");
    }

    public static Answer dynamoDbInternalError() {
        return new Answer(500, Map.of("Content-Type", AMZ_JSON),
                "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\",\"message\":\"injected by FaultProxy\"}");
    }

    public static Answer serviceUnavailable() {
        return new Answer(503, Map.of("Content-Type", AMZ_JSON),
                "{\"__type\":\"com.amazon.coral.availability#ServiceUnavailableException\",\"message\":\"injected by FaultProxy\"}");
    }

    public static Answer sqsInternalError() {
        return new Answer(500, Map.of("Content-Type", AMZ_JSON, "x-amzn-query-error", "InternalError;Receiver"),
                "{\"__type\":\"com.amazonaws.sqs#InternalError\",\"message\":\"injected by FaultProxy\"}");
    }

    public static Answer status(int status, String contentType, String body) {
        return new Answer(status, Map.of("Content-Type", contentType), body);
    }

    private final class Rule {
        final Predicate<Call> matches;
        final Fault fault;
        final AtomicInteger left;
        final long untilNanos;
        final int everyNth;
        final AtomicInteger seen = new AtomicInteger();

        Rule(Predicate<Call> matches, Fault fault, int times, Duration window, int everyNth) {
            this.matches = matches;
            this.fault = fault;
            this.left = new AtomicInteger(times);
            this.untilNanos = System.nanoTime() + window.toNanos();
            this.everyNth = everyNth;
        }

        boolean takes(Call call) {
            if (System.nanoTime() - untilNanos > 0 || left.get() <= 0 || !matches.test(call)) {
                return false;
            }
            return seen.incrementAndGet() % everyNth == 0 && left.getAndDecrement() > 0;
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fault-proxy");
        t.setDaemon(true);
        return t;
    });
    private final URI target;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final AtomicInteger injected = new AtomicInteger();
    private final AtomicInteger forwarded = new AtomicInteger();

    private FaultProxy(URI target) {
        this.target = target;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    /** A proxy on a free port of 127.0.0.1 in front of {@code target} (scheme, host and port). */
    public static FaultProxy start(URI target) {
        return new FaultProxy(target);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * Every {@code everyNth} matching request gets {@code fault}, until {@code times} faults were
     * given or {@code window} has passed, whichever comes first.
     */
    public void inject(Predicate<Call> matches, Fault fault, int times, Duration window, int everyNth) {
        rules.add(new Rule(matches, fault, times, window, everyNth));
    }

    public void clear() {
        rules.clear();
    }

    /** How many requests got a fault instead of the real answer. */
    public int injected() {
        return injected.get();
    }

    public int forwarded() {
        return forwarded.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Call call = new Call(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    exchange.getRequestHeaders().getFirst("X-Amz-Target"), new String(body, StandardCharsets.UTF_8));
            Fault fault = null;
            for (Rule rule : rules) {
                if (rule.takes(call)) {
                    fault = rule.fault;
                    break;
                }
            }
            if (fault != null) {
                injected.incrementAndGet();
            }
            if (fault instanceof Answer answer) {
                byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
                answer.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
                exchange.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
                exchange.getResponseBody().write(out);
                return;
            }
            if (fault instanceof Delay delay) {
                Thread.sleep(delay.delay().toMillis());
            }
            forward(exchange, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void forward(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
                .timeout(Duration.ofSeconds(60))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                values.forEach(v -> request.header(name, v));
            }
        });
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            exchange.sendResponseHeaders(502, -1);
            return;
        }
        forwarded.incrementAndGet();
        response.headers().map().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT)) && !name.startsWith(":")) {
                values.forEach(v -> exchange.getResponseHeaders().add(name, v));
            }
        });
        byte[] out = response.body();
        boolean noBody = out.length == 0 || exchange.getRequestMethod().equals("HEAD") || response.statusCode() == 204;
        exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : out.length);
        if (!noBody) {
            exchange.getResponseBody().write(out);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
