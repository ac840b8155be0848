package dev.assetlib.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The AWS JSON 1.0 protocol over HTTP: POST with {@code X-Amz-Target: AWSStepFunctions.<Op>},
 * so the AWS SDK ({@code endpointOverride}) and CLI ({@code --endpoint-url}) can talk to
 * {@link StepFunctionsLocal}. Errors are HTTP 400 {"__type", "message"}; credentials and
 * signatures are not checked.
 */
final class SfnEndpoint {
    private static final String PREFIX = "AWSStepFunctions.";
    private static final String CONTENT_TYPE = "application/x-amz-json-1.0";

    private final HttpServer server;
    private final ExecutorService threads;

    private SfnEndpoint(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    static SfnEndpoint start(StepFunctionsLocal sfn, int port) throws IOException {
        HttpServer server = HttpServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        SfnApi api = new SfnApi(sfn);
        server.createContext("/", exchange -> handle(api, exchange));
        ExecutorService threads = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "sfn-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.start();
        return new SfnEndpoint(server, threads);
    }

    int port() {
        return server.getAddress().getPort();
    }

    void stop() {
        server.stop(0);
        threads.shutdownNow();
    }

    private static void handle(SfnApi api, HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
            JsonNode response;
            int status = 200;
            try {
                if (!"POST".equals(ex.getRequestMethod()) || target == null || !target.startsWith(PREFIX)) {
                    throw new SfnApiException("UnknownOperationException", "Expected a POST with header "
                            + "X-Amz-Target: AWSStepFunctions.<Operation>; supported operations: " + SfnApi.OPERATIONS);
                }
                JsonNode request;
                try {
                    request = body.length == 0 ? Json.object() : Json.parse(body);
                } catch (IllegalArgumentException e) {
                    throw new SfnApiException("SerializationException", "Request body is not JSON: " + e.getMessage());
                }
                response = api.call(target.substring(PREFIX.length()), request);
            } catch (SfnApiException e) {
                status = 400;
                response = error(e.type(), e.getMessage().substring(e.type().length() + 2));
                ex.getResponseHeaders().add("x-amzn-ErrorType", e.type());
            } catch (RuntimeException e) {
                status = 500;
                response = error("InternalFailure", String.valueOf(e));
            }
            byte[] out = Json.bytes(response);
            ex.getResponseHeaders().add("Content-Type", CONTENT_TYPE);
            ex.sendResponseHeaders(status, out.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        }
    }

    private static JsonNode error(String type, String message) {
        ObjectNode n = Json.object();
        n.put("__type", type);
        n.put("message", message);
        return n;
    }
}
