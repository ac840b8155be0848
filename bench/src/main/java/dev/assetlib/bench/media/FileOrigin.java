package dev.assetlib.bench.media;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The benchmark's local media origin: a JDK HTTP server on 127.0.0.1 that streams registered
 * files from disk with their Content-Length (as a CDN answers), never holding one in memory.
 */
public final class FileOrigin implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService pool;
    private final Map<String, Path> files = new ConcurrentHashMap<>();

    public FileOrigin() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "bench-origin");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::serve);
        server.start();
    }

    /** Serves {@code file} at {@code /name}; its URL. */
    public URI add(String name, Path file) {
        files.put("/" + name, file);
        return URI.create("http://127.0.0.1:" + port() + "/" + name);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** HOST:PORT, as the fetch allow-list takes it. */
    public String origin() {
        return "127.0.0.1:" + port();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            Path file = files.get(exchange.getRequestURI().getPath());
            if (file == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            String name = file.getFileName().toString();
            exchange.getResponseHeaders().set("Content-Type", name.endsWith(".mp4") ? "video/mp4"
                    : name.endsWith(".jpg") ? "image/jpeg" : "application/octet-stream");
            exchange.sendResponseHeaders(200, Files.size(file));
            try (InputStream in = Files.newInputStream(file); OutputStream out = exchange.getResponseBody()) {
                in.transferTo(out);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
