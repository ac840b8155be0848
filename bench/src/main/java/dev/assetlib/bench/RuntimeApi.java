package dev.assetlib.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A Lambda Runtime API for exactly one invocation of one fresh runtime: the first
 * {@code GET /runtime/invocation/next} gets the event; the response (or error) completes
 * {@link #result}; later {@code next} calls wait until {@link #close}. The runtime interface client
 * in the child JVM talks to it as it talks to Lambda. The time of the first {@code next} is when
 * the runtime finished its init (class loading, the handler's constructor).
 */
final class RuntimeApi implements AutoCloseable {
    static final String BASE = "/2018-06-01/runtime";

    record Result(boolean error, String body, long firstNextNanos, long resultNanos) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "bench-runtime-api");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch closed = new CountDownLatch(1);
    private final String requestId = UUID.randomUUID().toString();
    private final byte[] event;
    private final String functionArn;
    private volatile boolean handedOut;
    private volatile long firstNextNanos;
    final CompletableFuture<Result> result = new CompletableFuture<>();

    RuntimeApi(byte[] event, String functionArn) throws IOException {
        this.event = event;
        this.functionArn = functionArn;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(threads);
        server.createContext(BASE + "/", this::handle);
        server.start();
    }

    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        long now = System.nanoTime();
        String path = exchange.getRequestURI().getPath();
        byte[] body = exchange.getRequestBody().readAllBytes();
        try {
            if (path.equals(BASE + "/invocation/next")) {
                synchronized (this) {
                    if (!handedOut) {
                        handedOut = true;
                        firstNextNanos = now;
                        exchange.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", requestId);
                        exchange.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + 20_000));
                        exchange.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn", functionArn);
                        exchange.getResponseHeaders().add("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Sampled=0");
                        reply(exchange, 200, event);
                        return;
                    }
                }
                closed.await(); // the next invocation never comes: the harness ends this runtime
                reply(exchange, 500, new byte[0]);
            } else if (path.equals(BASE + "/invocation/" + requestId + "/response")) {
                reply(exchange, 202, "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8));
                result.complete(new Result(false, new String(body, StandardCharsets.UTF_8), firstNextNanos, now));
            } else if (path.endsWith("/error")) {
                reply(exchange, 202, "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8));
                result.complete(new Result(true, path + " " + new String(body, StandardCharsets.UTF_8), firstNextNanos, now));
            } else {
                reply(exchange, 404, new byte[0]);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException ignored) {
            // the runtime was ended while waiting
        } finally {
            exchange.close();
        }
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
