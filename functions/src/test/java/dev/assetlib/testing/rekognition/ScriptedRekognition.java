package dev.assetlib.testing.rekognition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A SCRIPTED stand-in for Amazon Rekognition (a fake: there is no local Rekognition), a JDK HTTP
 * server speaking its JSON protocol ({@code X-Amz-Target: RekognitionService.*},
 * {@code application/x-amz-json-1.1}, errors as {@code __type}), for tests with the real SDK client.
 * Per S3 object name the test scripts what an image shows (labels, faces, or an error) or what a
 * video's two jobs answer (rounds in progress, then pages of results, or FAILED). Faults are queued
 * per operation. Every request is recorded with its parsed body, so tests can assert the S3 object,
 * MinConfidence and ClientRequestToken sent.
 */
public final class ScriptedRekognition implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One recorded request. */
    public record Request(String operation, JsonNode body) {
        public String s3Name() {
            JsonNode s3 = body.path("Image").path("S3Object");
            if (s3.isMissingNode()) {
                s3 = body.path("Video").path("S3Object");
            }
            return s3.path("Name").asText(null);
        }

        public String s3Bucket() {
            JsonNode s3 = body.path("Image").path("S3Object");
            if (s3.isMissingNode()) {
                s3 = body.path("Video").path("S3Object");
            }
            return s3.path("Bucket").asText(null);
        }
    }

    /** A moderation label: {@code parent} null for a top-level category. */
    public record Label(String name, String parent, int level, double confidence, long timestampMs) {
        public static Label top(String name, double confidence) {
            return new Label(name, "", 1, confidence, 0);
        }

        public static Label child(String name, String parent, int level, double confidence) {
            return new Label(name, parent, level, confidence, 0);
        }

        public Label at(long ms) {
            return new Label(name, parent, level, confidence, ms);
        }
    }

    public record Face(double confidence, double left, double top, double width, double height, long timestampMs) {
        public static Face of(double confidence, double left, double top, double width, double height) {
            return new Face(confidence, left, top, width, height, 0);
        }

        public Face at(long ms) {
            return new Face(confidence, left, top, width, height, ms);
        }
    }

    /**
     * What an image shows, or the error Rekognition answers for it ({@code errorType} non-null);
     * its first {@code throttledCalls} Detect* requests answer ThrottlingException.
     */
    public record ImageScript(List<Label> labels, List<Face> faces, String errorType, String errorMessage, int throttledCalls) {
        public ImageScript(List<Label> labels, List<Face> faces, String errorType, String errorMessage) {
            this(labels, faces, errorType, errorMessage, 0);
        }
    }

    /** A video: {@code roundsInProgress} Get calls answer IN_PROGRESS first; {@code failure} non-null: FAILED with it. */
    public record VideoScript(List<Label> labels, List<Face> faces, int roundsInProgress, int pageSize, String failure) {
    }

    private record Job(String kind, String name) {
    }

    public final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, ImageScript> images = new ConcurrentHashMap<>();
    private final Map<String, VideoScript> videos = new ConcurrentHashMap<>();
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final Map<String, Integer> getsOf = new ConcurrentHashMap<>();
    private final Map<String, Deque<String>> faults = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final Map<String, Integer> detectsOf = new ConcurrentHashMap<>();
    /** Consulted for an object with no script of its own (a test that learns asset ids only later). */
    private volatile java.util.function.Function<String, ImageScript> imageResolver = name -> null;
    private volatile java.util.function.Function<String, VideoScript> videoResolver = name -> null;

    public ScriptedRekognition() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "scripted-rekognition");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public void image(String s3Name, List<Label> labels, List<Face> faces) {
        images.put(s3Name, new ImageScript(labels, faces, null, null));
    }

    public void imageError(String s3Name, String errorType, String message) {
        images.put(s3Name, new ImageScript(List.of(), List.of(), errorType, message));
    }

    /** Scripts for objects not scripted by name, from their name (e.g. by looking up the asset it belongs to). */
    public void resolveWith(java.util.function.Function<String, ImageScript> images,
                            java.util.function.Function<String, VideoScript> videos) {
        this.imageResolver = images;
        this.videoResolver = videos;
    }

    private ImageScript imageScript(String name) {
        return images.computeIfAbsent(name, n -> imageResolver.apply(n));
    }

    private VideoScript videoScript(String name) {
        return videos.computeIfAbsent(name, n -> videoResolver.apply(n));
    }

    public void video(String s3Name, VideoScript script) {
        videos.put(s3Name, script);
    }

    /** The next {@code times} requests of {@code operation} answer this error type (e.g. ThrottlingException). */
    public synchronized void fail(String operation, String errorType, int times) {
        Deque<String> q = faults.computeIfAbsent(operation, o -> new ArrayDeque<>());
        for (int i = 0; i < times; i++) {
            q.add(errorType);
        }
    }

    public List<Request> of(String operation) {
        return requests.stream().filter(r -> r.operation().equals(operation)).toList();
    }

    public long count(String operation) {
        return of(operation).size();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
            String contentType = ex.getRequestHeaders().getFirst("Content-Type");
            JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
            if (target == null || !target.startsWith("RekognitionService.") || contentType == null
                    || !contentType.startsWith("application/x-amz-json-1.1")) {
                error(ex, 400, "SerializationException", "not a Rekognition JSON request: " + target + " " + contentType);
                return;
            }
            String op = target.substring("RekognitionService.".length());
            requests.add(new Request(op, body));
            String fault = nextFault(op);
            if (fault != null) {
                error(ex, fault.equals("InternalServerError") ? 500 : 400, fault, "scripted " + fault);
                return;
            }
            switch (op) {
                case "DetectModerationLabels", "DetectFaces" -> detect(ex, op, body);
                case "StartContentModeration", "StartFaceDetection" -> start(ex, op, body);
                case "GetContentModeration", "GetFaceDetection" -> get(ex, op, body);
                default -> error(ex, 400, "InvalidParameterException", "operation not scripted: " + op);
            }
        }
    }

    private synchronized String nextFault(String op) {
        Deque<String> q = faults.get(op);
        return q == null ? null : q.poll();
    }

    private void detect(HttpExchange ex, String op, JsonNode body) throws IOException {
        String name = body.path("Image").path("S3Object").path("Name").asText();
        ImageScript s = name.isEmpty() ? null : imageScript(name);
        if (s == null) {
            error(ex, 400, "InvalidS3ObjectException", "Unable to get object metadata from S3. Check object key, region and/or access permissions.");
            return;
        }
        if (detectsOf.merge(name, 1, Integer::sum) <= s.throttledCalls()) {
            error(ex, 400, "ThrottlingException", "Rate exceeded");
            return;
        }
        if (s.errorType() != null) {
            error(ex, 400, s.errorType(), s.errorMessage());
            return;
        }
        ObjectNode out = JSON.createObjectNode();
        if (op.equals("DetectModerationLabels")) {
            double min = body.path("MinConfidence").asDouble(50);
            ArrayNode ls = out.putArray("ModerationLabels");
            s.labels().stream().filter(l -> l.confidence() >= min).forEach(l -> label(ls.addObject(), l));
            out.put("ModerationModelVersion", "7.0");
        } else {
            ArrayNode fs = out.putArray("FaceDetails");
            s.faces().forEach(f -> face(fs.addObject(), f));
        }
        ok(ex, out);
    }

    private void start(HttpExchange ex, String op, JsonNode body) throws IOException {
        String name = body.path("Video").path("S3Object").path("Name").asText();
        if (name.isEmpty() || videoScript(name) == null) {
            error(ex, 400, "InvalidS3ObjectException", "Unable to get object metadata from S3.");
            return;
        }
        String token = body.path("ClientRequestToken").asText("");
        // Rekognition's idempotency: the same token gives the same job.
        String jobId = (op.equals("StartContentModeration") ? "mod" : "face") + Integer.toHexString((name + token).hashCode())
                + (token.isEmpty() ? "-" + requests.size() : "");
        jobs.put(jobId, new Job(op.equals("StartContentModeration") ? "moderation" : "faces", name));
        ObjectNode out = JSON.createObjectNode();
        out.put("JobId", jobId);
        ok(ex, out);
    }

    private void get(HttpExchange ex, String op, JsonNode body) throws IOException {
        String jobId = body.path("JobId").asText();
        Job job = jobs.get(jobId);
        if (job == null) {
            error(ex, 400, "ResourceNotFoundException", "The job " + jobId + " does not exist.");
            return;
        }
        VideoScript s = videos.get(job.name());
        ObjectNode out = JSON.createObjectNode();
        String next = body.path("NextToken").asText(null);
        if (next == null) {
            int gets = getsOf.merge(jobId, 1, Integer::sum);
            if (gets <= s.roundsInProgress()) {
                out.put("JobStatus", "IN_PROGRESS");
                ok(ex, out);
                return;
            }
        }
        if (s.failure() != null) {
            out.put("JobStatus", "FAILED");
            out.put("StatusMessage", s.failure());
            ok(ex, out);
            return;
        }
        out.put("JobStatus", "SUCCEEDED");
        int from = next == null ? 0 : Integer.parseInt(next.substring(1));
        int size = Math.max(1, s.pageSize());
        boolean moderation = op.equals("GetContentModeration");
        List<?> all = moderation ? s.labels() : s.faces();
        List<?> page = new ArrayList<>(all.subList(Math.min(from, all.size()), Math.min(from + size, all.size())));
        if (moderation) {
            out.put("ModerationModelVersion", "7.0");
            ArrayNode ls = out.putArray("ModerationLabels");
            for (Object o : page) {
                Label l = (Label) o;
                ObjectNode d = ls.addObject();
                d.put("Timestamp", l.timestampMs());
                label(d.putObject("ModerationLabel"), l);
            }
        } else {
            ArrayNode fs = out.putArray("Faces");
            for (Object o : page) {
                Face f = (Face) o;
                ObjectNode d = fs.addObject();
                d.put("Timestamp", f.timestampMs());
                face(d.putObject("Face"), f);
            }
        }
        if (from + size < all.size()) {
            out.put("NextToken", "p" + (from + size));
        }
        ok(ex, out);
    }

    private static void label(ObjectNode n, Label l) {
        n.put("Name", l.name());
        n.put("ParentName", l.parent() == null ? "" : l.parent());
        n.put("TaxonomyLevel", l.level());
        n.put("Confidence", l.confidence());
    }

    private static void face(ObjectNode n, Face f) {
        ObjectNode box = n.putObject("BoundingBox");
        box.put("Left", f.left());
        box.put("Top", f.top());
        box.put("Width", f.width());
        box.put("Height", f.height());
        n.put("Confidence", f.confidence());
    }

    private static void ok(HttpExchange ex, JsonNode body) throws IOException {
        send(ex, 200, body.toString());
    }

    private static void error(HttpExchange ex, int status, String type, String message) throws IOException {
        ex.getResponseHeaders().add("x-amzn-ErrorType", type);
        ObjectNode b = JSON.createObjectNode();
        b.put("__type", type);
        b.put("Message", message);
        send(ex, status, b.toString());
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
        ex.getResponseHeaders().add("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
