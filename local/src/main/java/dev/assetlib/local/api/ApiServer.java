package dev.assetlib.local.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP side of the local API: the JDK's HTTP server on 127.0.0.1, handing every request to
 * the {@link HttpApiGateway}. It reads at most the payload limit, so an oversized body is refused
 * without being buffered.
 */
public final class ApiServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads;
    private final HttpApiGateway gateway;

    private ApiServer(HttpServer server, ExecutorService threads, HttpApiGateway gateway) {
        this.server = server;
        this.threads = threads;
        this.gateway = gateway;
    }

    /** Listens on the port (0: any free one) with enough threads for a burst of concurrent clients. */
    /** The sample media at /samples/ (the local stack's allow-listed origin), made once per JVM. */
    private static final SampleMedia SAMPLES = new SampleMedia();

    public static ApiServer start(HttpApiGateway gateway, int port) throws IOException {
        return start(gateway, port, null);
    }

    /** As {@link #start(HttpApiGateway, int)}, also serving the review console at /console/ (if not null). */
    public static ApiServer start(HttpApiGateway gateway, int port, ConsoleSite console) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        AtomicInteger n = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(64, r -> {
            Thread t = new Thread(r, "api-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.createContext("/", exchange -> {
            if (console != null && ConsoleSite.handles(exchange.getRequestURI().getRawPath())) {
                console.serve(exchange);
            } else if (SAMPLES != null && SampleMedia.handles(exchange.getRequestURI().getRawPath())) {
                SAMPLES.serve(exchange);
            } else {
                serve(gateway, exchange);
            }
        });
        server.setExecutor(threads);
        server.start();
        return new ApiServer(server, threads, gateway);
    }

    /** Also serves {@code GET /openapi.yaml} from {@code file}, unauthenticated (see {@link OpenApiDocument}). */
    public ApiServer serveOpenApi(Path file) {
        server.createContext(OpenApiDocument.PATH, new OpenApiDocument(file, exchange -> serve(gateway, exchange)));
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void serve(HttpApiGateway gateway, HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = readLimited(exchange.getRequestBody(), HttpApiGateway.MAX_BODY_BYTES);
            GatewayResponse response = body == null
                    ? HttpApiGateway.tooLarge(HttpApiGateway.newRequestId())
                    : gateway.handle(request(exchange, body));
            response.headers().forEach(h -> exchange.getResponseHeaders().add(h.name(), h.value()));
            boolean noBody = response.body().length == 0 || exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(response.status(), noBody ? -1 : response.body().length);
            if (!noBody) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body());
                }
            }
        } catch (RuntimeException e) {
            // The gateway answers every failure itself; reaching here is a bug of the local stack.
            System.err.println("local API gateway error: " + e);
            e.printStackTrace();
        }
    }

    private static GatewayRequest request(HttpExchange exchange, byte[] body) {
        List<GatewayRequest.Header> headers = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : exchange.getRequestHeaders().entrySet()) {
            e.getValue().forEach(v -> headers.add(new GatewayRequest.Header(e.getKey(), v)));
        }
        String rawQuery = exchange.getRequestURI().getRawQuery();
        return new GatewayRequest(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                rawQuery == null ? "" : rawQuery, headers, body,
                exchange.getRemoteAddress().getAddress().getHostAddress(), exchange.getProtocol());
    }

    /** The body, or null if it is longer than {@code limit}. */
    private static byte[] readLimited(InputStream in, int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        int read;
        while ((read = in.read(buffer)) != -1) {
            if (out.size() + read > limit) {
                return null;
            }
            out.write(buffer, 0, read);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
