package dev.assetlib.review.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.assetlib.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A SCRIPTED upstream asset library for contract tests (a test double, JDK HTTP server): it speaks
 * the four public routes with their envelopes and {@code code} types, keeps the assets it created,
 * answers the statuses the test sets, and plays the faults the test queues per route (429, 500, a
 * time-out, malformed JSON, an unknown status, a 400, a 401). It honours {@code Idempotency-Key}
 * unless told not to, and records every request.
 */
final class ScriptedUpstream implements AutoCloseable {
    enum Route { UPLOAD, DETAIL, SD2_UPLOAD, SD2_STATUS }

    enum Fault { HTTP_429, HTTP_500, HTTP_503_HTML, TIMEOUT, MALFORMED_JSON, UNKNOWN_STATUS, NO_STATUS, HTTP_400, HTTP_401, CODE_NOT_A_NUMBER, CODE_THROTTLED }

    record Request(Route route, String method, String path, Map<String, String> headers, String body) {
        String idempotencyKey() {
            return headers.get("idempotency-key");
        }
    }

    final String apiKey;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    /** upstream id → status; absent means Processing. */
    final Map<String, String> statusOf = new ConcurrentHashMap<>();
    final Map<String, String> reasonOf = new ConcurrentHashMap<>();
    /** upstream id → the URL it was uploaded with. */
    final Map<String, String> urlOf = new ConcurrentHashMap<>();
    final Set<String> refusedUrls = ConcurrentHashMap.newKeySet();
    final AtomicInteger created = new AtomicInteger();
    volatile boolean honourIdempotencyKey = true;
    /** Answer each route with the other code type than the public API gives it. */
    volatile boolean swapCodeTypes;
    volatile long timeoutSleepMillis = 1500;

    private final Map<Route, Deque<Fault>> faults = new ConcurrentHashMap<>();
    private final Map<String, String> answerByIdempotencyKey = new ConcurrentHashMap<>();
    private final HttpServer server;

    ScriptedUpstream(String apiKey) throws IOException {
        this.apiKey = apiKey;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/kyyReactApiServer/", this::handle);
        server.start();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    synchronized void fail(Route route, Fault... next) {
        faults.computeIfAbsent(route, r -> new ArrayDeque<>()).addAll(List.of(next));
    }

    long count(Route route) {
        return requests.stream().filter(r -> r.route() == route).count();
    }

    List<Request> of(Route route) {
        return requests.stream().filter(r -> r.route() == route).toList();
    }

    private synchronized Fault nextFault(Route route) {
        Deque<Fault> q = faults.get(route);
        return q == null ? null : q.poll();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            Route route = method.equals("GET") && path.startsWith("/kyyReactApiServer/kyyVideo2/asset/") ? Route.DETAIL
                    : path.equals("/kyyReactApiServer/kyyVideo2/asset/upload") ? Route.UPLOAD
                    : path.equals("/kyyReactApiServer/asset/sd2Manxue/assetUpload") ? Route.SD2_UPLOAD
                    : path.equals("/kyyReactApiServer/asset/sd2Manxue/assetStatus") ? Route.SD2_STATUS : null;
            Map<String, String> headers = new ConcurrentHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (route == null) {
                respond(ex, 404, "{\"code\":\"40401\",\"msg\":\"no such route\",\"data\":null}");
                return;
            }
            requests.add(new Request(route, method, path, Map.copyOf(headers), body));
            boolean integerCode = (route == Route.UPLOAD || route == Route.DETAIL) != swapCodeTypes;
            Fault fault = nextFault(route);
            if (!("Bearer " + apiKey).equals(headers.get("authorization")) || fault == Fault.HTTP_401) {
                respond(ex, 401, envelope(integerCode, 40100, "missing, malformed or revoked API key", null));
                return;
            }
            if (fault != null) {
                switch (fault) {
                    case HTTP_429 -> { respond(ex, 429, envelope(integerCode, 42900, "throttled: slow down", null)); return; }
                    case HTTP_500 -> { respond(ex, 500, envelope(integerCode, 50000, "internal error", null)); return; }
                    case HTTP_503_HTML -> { respond(ex, 503, "<html><body>Service Unavailable</body></html>"); return; }
                    case MALFORMED_JSON -> { respond(ex, 200, "{\"code\":0,\"msg\":null,\"data\":{\"assetId\":"); return; }
                    case HTTP_400 -> { respond(ex, 400, envelope(integerCode, 40011, "url must be an absolute http(s) URL", null)); return; }
                    case CODE_NOT_A_NUMBER -> { respond(ex, 200, "{\"code\":\"ok\",\"msg\":null,\"data\":{}}"); return; }
                    case CODE_THROTTLED -> { respond(ex, 200, envelope(integerCode, 42900, "throttled", null)); return; }
                    case TIMEOUT -> sleep(timeoutSleepMillis); // then do the work: the answer arrives too late
                    default -> { }
                }
            }
            JsonNode request = body.isEmpty() ? null : Json.MAPPER.readTree(body);
            switch (route) {
                case UPLOAD -> upload(ex, headers.get("idempotency-key"), request, integerCode);
                case SD2_UPLOAD -> sd2Upload(ex, headers.get("idempotency-key"), request, integerCode);
                case DETAIL -> detail(ex, path.substring(path.lastIndexOf('/') + 1), fault, integerCode);
                case SD2_STATUS -> sd2Status(ex, request, fault, integerCode);
            }
        } catch (IOException | RuntimeException e) {
            // the client gave up (a time-out): nothing to answer
        }
    }

    private void upload(HttpExchange ex, String key, JsonNode request, boolean integerCode) throws IOException {
        String url = request.path("url").asText();
        if (refusedUrls.contains(url)) {
            respond(ex, 400, envelope(integerCode, 40011, "url " + url + " cannot be fetched", null));
            return;
        }
        String answer = idempotent(key, () -> {
            ObjectNode data = Json.MAPPER.createObjectNode().put("assetId", newAsset(url));
            return envelope(integerCode, 0, null, data);
        });
        respond(ex, 200, answer);
    }

    private void sd2Upload(HttpExchange ex, String key, JsonNode request, boolean integerCode) throws IOException {
        String answer = idempotent(key, () -> {
            ObjectNode data = Json.MAPPER.createObjectNode();
            ArrayNode items = data.putArray("items");
            ArrayNode failed = data.putArray("failedItems");
            for (String[] list : new String[][] {{"imageUrls", "Image"}, {"videoUrls", "Video"}, {"audioUrls", "Audio"}}) {
                for (JsonNode u : request.path(list[0])) {
                    if (refusedUrls.contains(u.asText())) {
                        failed.addObject().put("originalUrl", u.asText()).put("errorMessage", "url cannot be fetched");
                    } else {
                        items.addObject().put("assetType", list[1]).put("originalUrl", u.asText())
                                .put("assetId", newAsset(u.asText())).put("status", "submitted");
                    }
                }
            }
            return envelope(integerCode, 0, null, data);
        });
        respond(ex, 200, answer);
    }

    private void detail(HttpExchange ex, String id, Fault fault, boolean integerCode) throws IOException {
        if (!urlOf.containsKey(id)) {
            respond(ex, 404, envelope(integerCode, 40400, "asset " + id + " not found", null));
            return;
        }
        ObjectNode data = Json.MAPPER.createObjectNode().put("assetId", id).put("url", urlOf.get(id));
        status(data, id, fault);
        respond(ex, 200, envelope(integerCode, 0, null, data));
    }

    private void sd2Status(HttpExchange ex, JsonNode request, Fault fault, boolean integerCode) throws IOException {
        ObjectNode data = Json.MAPPER.createObjectNode();
        ArrayNode items = data.putArray("items");
        ArrayNode failed = data.putArray("failedItems");
        for (JsonNode idNode : request.path("assetIds")) {
            String id = idNode.asText();
            if (urlOf.containsKey(id)) {
                status(items.addObject().put("assetId", id), id, fault);
            } else {
                failed.addObject().put("assetId", id).put("errorMessage", "asset not found");
            }
        }
        respond(ex, 200, envelope(integerCode, 0, null, data));
    }

    private void status(ObjectNode item, String id, Fault fault) {
        if (fault == Fault.UNKNOWN_STATUS) {
            item.put("status", "Archived");
            return;
        }
        if (fault == Fault.NO_STATUS) {
            return;
        }
        String status = statusOf.getOrDefault(id, "Processing");
        item.put("status", status);
        if (status.equals("Failed")) {
            item.put("errorMessage", reasonOf.getOrDefault(id, "review failed"));
        }
    }

    private String newAsset(String url) {
        String id = String.format("asset-20260101000000-u%04d", created.incrementAndGet());
        urlOf.put(id, url);
        return id;
    }

    private synchronized String idempotent(String key, java.util.function.Supplier<String> work) {
        if (key != null && honourIdempotencyKey && answerByIdempotencyKey.containsKey(key)) {
            return answerByIdempotencyKey.get(key);
        }
        String answer = work.get();
        if (key != null) {
            answerByIdempotencyKey.put(key, answer);
        }
        return answer;
    }

    private static String envelope(boolean integerCode, int code, String msg, JsonNode data) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        if (integerCode) {
            body.put("code", code);
        } else {
            body.put("code", Integer.toString(code));
        }
        if (msg == null) {
            body.putNull("msg");
        } else {
            body.put("msg", msg);
        }
        body.set("data", data == null ? body.nullNode() : data);
        return body.toString();
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", body.startsWith("<") ? "text/html" : "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
