package dev.assetlib.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A FAKE service: a scripted HTTP server answering queued responses in order. Only for what the
 * local stack never does - throttling (429) and brief unavailability (503) with Retry-After -
 * so the client's retries can be pinned down; everything else is tested against the real stack.
 */
final class ScriptedHttpServer implements AutoCloseable {
    record Answer(int status, Map<String, String> headers, String body) {
    }

    private final HttpServer server;
    private final Deque<Answer> script = new ArrayDeque<>();
    private final AtomicInteger requests = new AtomicInteger();

    ScriptedHttpServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            Answer a;
            synchronized (script) {
                a = script.size() > 1 ? script.poll() : script.peek();
            }
            byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
            a.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(a.status(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    /** Queues an answer; the last one queued is repeated for every later request. */
    ScriptedHttpServer then(int status, Map<String, String> headers, String body) {
        synchronized (script) {
            script.add(new Answer(status, headers, body));
        }
        return this;
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
