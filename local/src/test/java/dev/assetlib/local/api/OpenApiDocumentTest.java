package dev.assetlib.local.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /openapi.yaml on the API port: the file itself, no authentication, everything else to the gateway. */
class OpenApiDocumentTest {
    static final byte[] FALLBACK = "{\"message\":\"Not Found\"}".getBytes();

    @TempDir
    Path dir;
    HttpServer server;
    final HttpClient http = HttpClient.newHttpClient();

    URI start(Path file) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(OpenApiDocument.PATH, new OpenApiDocument(file, exchange -> {
            try (exchange) {
                exchange.sendResponseHeaders(404, FALLBACK.length);
                exchange.getResponseBody().write(FALLBACK);
            }
        }));
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheFileAsYamlWithoutAnAuthorizationHeader() throws Exception {
        Path file = Files.writeString(dir.resolve("openapi.yaml"), "openapi: 3.1.0\n");
        URI base = start(file);
        HttpResponse<String> answer = send(HttpRequest.newBuilder(base.resolve("/openapi.yaml")).build());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("openapi: 3.1.0\n");
        assertThat(answer.headers().firstValue("content-type")).hasValue(OpenApiDocument.CONTENT_TYPE);
    }

    @Test
    void servesTheFileAsItIsNowAfterAnEdit() throws Exception {
        Path file = Files.writeString(dir.resolve("openapi.yaml"), "openapi: 3.1.0\n");
        URI base = start(file);
        Files.writeString(file, "openapi: 3.1.1\n");
        assertThat(send(HttpRequest.newBuilder(base.resolve("/openapi.yaml")).build()).body()).isEqualTo("openapi: 3.1.1\n");
    }

    @Test
    void headAnswersTheStatusWithoutABody() throws Exception {
        URI base = start(Files.writeString(dir.resolve("openapi.yaml"), "openapi: 3.1.0\n"));
        HttpResponse<String> answer = send(HttpRequest.newBuilder(base.resolve("/openapi.yaml"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEmpty();
    }

    @Test
    void otherPathsAndMethodsUnderThePrefixGoToTheGateway() throws Exception {
        URI base = start(Files.writeString(dir.resolve("openapi.yaml"), "openapi: 3.1.0\n"));
        for (String path : new String[] {"/openapi.yamlx", "/openapi.yaml/x"}) {
            HttpResponse<String> answer = send(HttpRequest.newBuilder(base.resolve(path)).build());
            assertThat(answer.statusCode()).as(path).isEqualTo(404);
            assertThat(answer.body()).as(path).isEqualTo(new String(FALLBACK));
        }
        HttpResponse<String> post = send(HttpRequest.newBuilder(base.resolve("/openapi.yaml"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(post.statusCode()).isEqualTo(404);
        assertThat(post.body()).isEqualTo(new String(FALLBACK));
    }

    @Test
    void aMissingFileIsNotFound() throws Exception {
        URI base = start(dir.resolve("absent.yaml"));
        HttpResponse<String> answer = send(HttpRequest.newBuilder(base.resolve("/openapi.yaml")).build());
        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(answer.body()).contains("Not Found");
    }
}
