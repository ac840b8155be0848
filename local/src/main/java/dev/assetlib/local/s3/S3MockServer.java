package dev.assetlib.local.s3;

import com.adobe.testing.s3mock.S3MockApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The local stack's S3-compatible server for both of the template's buckets (the upload bucket and
 * the media bucket): Adobe's S3Mock (a real S3 API, a Spring Boot application) in this JVM, on
 * {@code --s3-port}, reached with the same S3Client and S3Presigner as S3 in AWS. Its start takes
 * seconds, so one server is started per JVM and shared by every stack started in it; each stack
 * claims its bucket names ({@link #claim}): the template's own when free, suffixed while another
 * running stack of the JVM holds them. It stops with the JVM. S3Mock sends no event notifications:
 * {@link UploadEvents} raises ObjectCreated for the upload bucket.
 */
public final class S3MockServer {
    private static S3MockServer shared;
    private final S3MockApplication app;
    private final Path root;
    private final Set<String> claimed = new HashSet<>();

    private S3MockServer(S3MockApplication app, Path root) {
        this.app = app;
        this.root = root;
    }

    /**
     * The JVM's server, started on first use on {@code port} (a free one when 0), storing under
     * {@code root} and keeping it at stop (a data dir), or in a temporary folder removed at stop
     * when {@code root} is null. A later call with another fixed port is refused: the server is the JVM's.
     */
    public static synchronized S3MockServer shared(int port, Path root) {
        if (shared != null) {
            if (port != 0 && port != shared.app.getHttpPort()) {
                throw new IllegalStateException("--s3-port " + port + ": this JVM's S3 server already listens on "
                        + shared.app.getHttpPort() + " (one server per JVM; pass 0 to share it)");
            }
            return shared;
        }
        Path dir;
        try {
            dir = root == null ? Files.createTempDirectory("assetlib-s3-") : Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root != null) {
            for (String bucket : S3DataRepair.repair(dir)) {
                System.err.println("run-local: the S3 data of bucket " + bucket + " was cut by a hard stop; its object map was rebuilt from "
                        + "the objects' own metadata");
            }
        }
        Map<String, Object> props = new HashMap<>(Map.of( // start() removes entries
                S3MockApplication.PROP_HTTP_PORT, port == 0 ? S3MockApplication.RANDOM_PORT : port,
                S3MockApplication.PROP_HTTPS_PORT, S3MockApplication.RANDOM_PORT,
                S3MockApplication.PROP_ROOT_DIRECTORY, dir.toString(),
                "com.adobe.testing.s3mock.store.retainFilesOnExit", root != null,
                S3MockApplication.PROP_SILENT, true,
                "server.address", "127.0.0.1",
                "spring.main.banner-mode", "off",
                "logging.level.root", "WARN",
                // S3Mock's logback also takes DynamoDB Local's logger (same JVM): every refused condition, a normal answer, logged a stack trace.
                "logging.level.com.amazonaws.services.dynamodbv2.local.server", "ERROR",
                // A PUT its client abandoned (the media step's streamed copy of a refused or cut-short body) is a normal
                // outcome, not an S3Mock error: its stack trace is not logged.
                "logging.level.com.adobe.testing.s3mock.service.ServiceBase", "OFF"));
        shared = new S3MockServer(S3MockApplication.start(props), dir);
        Runtime.getRuntime().addShutdownHook(new Thread(shared.app::stop, "s3mock-stop"));
        return shared;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + app.getHttpPort());
    }

    /** Where the objects are kept (S3Mock's own layout). */
    public Path root() {
        return root;
    }

    /**
     * A bucket name for one stack: {@code name} unless another running stack of this JVM holds it,
     * then {@code name-<suffix>}. Given back with {@link #release} when the stack stops, so a
     * restarted stack finds its buckets (and, with a data dir, its objects) under the same names.
     */
    public synchronized String claim(String name) {
        String chosen = name;
        while (!claimed.add(chosen)) {
            chosen = name + "-" + Long.toString(System.nanoTime() & 0xffffffL, 36);
        }
        return chosen;
    }

    public synchronized void release(String name) {
        claimed.remove(name);
    }

    /** Creates the bucket unless it exists (a restart with the same names). */
    public void createBucket(S3Client s3, String bucket) {
        if (s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
            s3.createBucket(r -> r.bucket(bucket));
        }
    }
}
