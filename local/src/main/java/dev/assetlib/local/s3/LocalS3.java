package dev.assetlib.local.s3;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.assetlib.local.sfn.LocalLambda;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A LOCAL STAND-IN for the upload bucket, not an S3 emulator: it serves only what direct uploads
 * use. {@code PUT /{bucket}/{key}} with a URL from {@link LocalUploadSigner} (HMAC-authorised, not
 * SigV4) writes the body to {@code {dataDir}/{bucket}/{key}} and then, asynchronously as S3 does,
 * raises the ObjectCreated event, in the shape S3 sends it, to the function the template notifies
 * (its key prefix filter applied), retrying a failed invocation twice as Lambda's asynchronous
 * invocation does. No GET, LIST, multipart, versioning or lifecycle.
 */
public final class LocalS3 implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Larger than any accepted upload, so the size limit is judged where AWS judges it (the event). */
    public static final long MAX_OBJECT_BYTES = 512L * 1024 * 1024;

    private final HttpServer server;
    private final ExecutorService http;
    private final ExecutorService events = Executors.newSingleThreadExecutor(daemon("local-s3-events"));
    private final String bucket;
    private final Path dataDir;
    private final Clock clock;
    private final String region;
    private final byte[] secret = new byte[32];
    private final AtomicLong sequencer = new AtomicLong();
    private volatile LocalLambda notified;
    private volatile String notifiedPrefix = "";

    private LocalS3(HttpServer server, ExecutorService http, String bucket, Path dataDir, Clock clock, String region) {
        this.server = server;
        this.http = http;
        this.bucket = bucket;
        this.dataDir = dataDir;
        this.clock = clock;
        this.region = region;
        new SecureRandom().nextBytes(secret);
    }

    public static LocalS3 start(String bucket, Path dataDir, int port, Clock clock, String region) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        ExecutorService http = Executors.newFixedThreadPool(16, daemon("local-s3-http"));
        LocalS3 s3 = new LocalS3(server, http, bucket, dataDir.toAbsolutePath().normalize(), clock, region);
        server.createContext("/", s3::serve);
        server.setExecutor(http);
        server.start();
        return s3;
    }

    /** The function the bucket's ObjectCreated notification invokes, for keys starting with {@code prefix}. */
    public void notifyObjectCreated(LocalLambda function, String prefix) {
        this.notified = function;
        this.notifiedPrefix = prefix == null ? "" : prefix;
    }

    public String bucket() {
        return bucket;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Where an object of the bucket is kept. */
    public Path file(String key) {
        Path file = dataDir.resolve(bucket).resolve(key).normalize();
        if (!file.startsWith(dataDir.resolve(bucket))) {
            throw new IllegalArgumentException("key escapes the data folder: " + key);
        }
        return file;
    }

    /**
     * Writes an object as the bucket owner would (with the account's own credentials, no upload
     * URL), raising the same event: for operators and tests.
     */
    public void putAsOwner(String key, byte[] body) throws IOException {
        Path file = file(key);
        Files.createDirectories(file.getParent());
        Files.write(file, body);
        raise(key, body.length, md5(file));
    }

    String signature(String key, String contentType, long expiresAt) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((bucket + "\n" + key + "\n" + contentType + "\n" + expiresAt)
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("PUT")) {
                error(exchange, 405, "MethodNotAllowed", "the local upload stand-in accepts only PUT to an upload URL");
                return;
            }
            String path = exchange.getRequestURI().getRawPath();
            String prefix = "/" + bucket + "/";
            if (!path.startsWith(prefix)) {
                error(exchange, 404, "NoSuchBucket", "the only bucket here is " + bucket);
                return;
            }
            String key = URLDecoder.decode(path.substring(prefix.length()).replace("+", "%2B"), StandardCharsets.UTF_8);
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            long expiresAt;
            try {
                expiresAt = Long.parseLong(query.getOrDefault("X-Local-Expires", ""));
            } catch (NumberFormatException e) {
                error(exchange, 403, "AccessDenied", "not an upload URL of this stack (no X-Local-Expires)");
                return;
            }
            String expected = signature(key, contentType == null ? "" : contentType, expiresAt);
            if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                    query.getOrDefault("X-Local-Signature", "").getBytes(StandardCharsets.UTF_8))) {
                error(exchange, 403, "SignatureDoesNotMatch", "the signature does not match: use the upload URL as given, "
                        + "with the Content-Type header it was issued for");
                return;
            }
            if (clock.instant().getEpochSecond() > expiresAt) {
                error(exchange, 403, "AccessDenied", "Request has expired");
                return;
            }
            Path file = file(key);
            Files.createDirectories(file.getParent());
            Path partial = Files.createTempFile(file.getParent(), ".upload-", ".part");
            long size;
            try (InputStream in = exchange.getRequestBody()) {
                size = Files.copy(limited(in), partial, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                Files.deleteIfExists(partial);
                error(exchange, 400, "EntityTooLarge", "the local stand-in keeps objects up to " + MAX_OBJECT_BYTES + " bytes");
                return;
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            String etag = md5(file);
            exchange.getResponseHeaders().add("ETag", "\"" + etag + "\"");
            exchange.sendResponseHeaders(200, -1);
            raise(key, size, etag);
        } catch (RuntimeException e) {
            System.err.println("local S3 stand-in error: " + e);
        }
    }

    /** S3 notifies asynchronously, after the PUT has answered: so does the stand-in. */
    private void raise(String key, long size, String etag) {
        LocalLambda function = notified;
        if (function == null || !key.startsWith(notifiedPrefix)) {
            return;
        }
        byte[] event = event(key, size, etag);
        events.submit(() -> {
            for (int attempt = 1; attempt <= 3; attempt++) {
                try {
                    function.invoke(event);
                    return;
                } catch (Exception e) {
                    System.err.println("local S3 stand-in: ObjectCreated handler failed (attempt " + attempt + " of 3): " + e);
                }
            }
        });
    }

    private byte[] event(String key, long size, String etag) {
        ObjectNode record = JSON.createObjectNode();
        record.put("eventVersion", "2.1");
        record.put("eventSource", "aws:s3");
        record.put("awsRegion", region);
        record.put("eventTime", clock.instant().toString());
        record.put("eventName", "ObjectCreated:Put");
        record.putObject("userIdentity").put("principalId", "local");
        record.putObject("requestParameters").put("sourceIPAddress", "127.0.0.1");
        record.putObject("responseElements").put("x-amz-request-id", UUID.randomUUID().toString()).put("x-amz-id-2", "local");
        ObjectNode s3 = record.putObject("s3");
        s3.put("s3SchemaVersion", "1.0");
        s3.put("configurationId", "local-object-created");
        s3.putObject("bucket").put("name", bucket).put("arn", "arn:aws:s3:::" + bucket)
                .putObject("ownerIdentity").put("principalId", "local");
        s3.putObject("object").put("key", URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/"))
                .put("size", size).put("eTag", etag).put("sequencer", String.format("%016X", sequencer.incrementAndGet()));
        ObjectNode event = JSON.createObjectNode();
        event.putArray("Records").add(record);
        return event.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static InputStream limited(InputStream in) {
        return new InputStream() {
            long read;

            @Override
            public int read() throws IOException {
                int b = in.read();
                if (b >= 0 && ++read > MAX_OBJECT_BYTES) {
                    throw new IOException("too large");
                }
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = in.read(buf, off, len);
                if (n > 0 && (read += n) > MAX_OBJECT_BYTES) {
                    throw new IOException("too large");
                }
                return n;
            }
        };
    }

    private static String md5(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                md5.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md5.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>"
                + message.replace("&", "&amp;").replace("<", "&lt;") + "</Message></Error>\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/xml");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicLong n = new AtomicLong();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        server.stop(0);
        http.shutdownNow();
        events.shutdown();
        try {
            events.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        events.shutdownNow();
    }
}
