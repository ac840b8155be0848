package dev.assetlib.local.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@code GET /openapi.yaml} on the local API port: the checkout's OpenAPI description, without
 * authentication (a development aid, not a route of the deployed API). Read on every request, so an
 * edited description is served at once. Any other path or method under the same prefix (e.g.
 * {@code /openapi.yaml/x}, {@code POST /openapi.yaml}) goes on to the emulated API Gateway.
 */
public final class OpenApiDocument implements HttpHandler {
    public static final String PATH = "/openapi.yaml";
    /** RFC 9512's media type for YAML. */
    public static final String CONTENT_TYPE = "application/yaml; charset=utf-8";

    private final Path file;
    private final HttpHandler otherwise;

    OpenApiDocument(Path file, HttpHandler otherwise) {
        this.file = file;
        this.otherwise = otherwise;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (!PATH.equals(exchange.getRequestURI().getRawPath()) || !(method.equals("GET") || method.equals("HEAD"))) {
            otherwise.handle(exchange);
            return;
        }
        try (exchange) {
            byte[] body;
            try {
                body = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                byte[] missing = "{\"message\":\"Not Found\"}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("content-type", "application/json");
                exchange.sendResponseHeaders(404, missing.length);
                exchange.getResponseBody().write(missing);
                return;
            }
            exchange.getResponseHeaders().add("content-type", CONTENT_TYPE);
            exchange.getResponseHeaders().add("cache-control", "no-cache");
            boolean head = method.equals("HEAD");
            exchange.sendResponseHeaders(200, head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }
}
