package dev.assetlib.app.webhooks;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

/** A real HTTP receiver on 127.0.0.1 that captures every delivery and answers as told (by call number). */
final class Receiver implements AutoCloseable {
    record Captured(String path, Map<String, String> headers, String body, Instant at) {
    }

    private final HttpServer server;
    final List<Captured> captured = new CopyOnWriteArrayList<>();
    final Map<String, AtomicInteger> byWebhookId = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();
    volatile IntUnaryOperator status = n -> 200;
    volatile long hangMillis;

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            int n = calls.incrementAndGet();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new java.util.HashMap<>();
            for (String name : List.of("webhook-id", "webhook-timestamp", "webhook-signature", "content-type")) {
                String v = exchange.getRequestHeaders().getFirst(name);
                if (v != null) {
                    headers.put(name, v);
                }
            }
            captured.add(new Captured(exchange.getRequestURI().getPath(), headers, body, Instant.now()));
            byWebhookId.computeIfAbsent(headers.getOrDefault("webhook-id", ""), k -> new AtomicInteger()).incrementAndGet();
            if (hangMillis > 0) {
                try {
                    Thread.sleep(hangMillis);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }
            int code = status.applyAsInt(n);
            exchange.sendResponseHeaders(code, -1);
            exchange.close();
        });
        server.start();
    }

    String origin() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    String url(String path) {
        return "http://" + origin() + path;
    }

    List<Captured> to(String path) {
        return captured.stream().filter(c -> c.path().equals(path)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
