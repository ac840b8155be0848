package dev.assetlib.local.s3;

import com.adobe.testing.s3mock.S3MockApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The local stack's S3-compatible server for the media bucket: Adobe's S3Mock (a real S3 API, a
 * Spring Boot application) in this JVM, reached with the same S3Client as S3 in AWS. Its start
 * takes seconds, so one server is started per JVM and shared by every stack started in it, each
 * stack with buckets of its own name; it stops with the JVM. (The upload bucket is still served by
 * the upload stand-in LocalS3, which receives the presigned PUTs and raises ObjectCreated.)
 */
public final class MediaS3 {
    private static MediaS3 shared;
    private final S3MockApplication app;

    private MediaS3(S3MockApplication app) {
        this.app = app;
    }

    /** The JVM's server, started on first use (on {@code port}, or a free one when 0). */
    public static synchronized MediaS3 shared(int port) {
        if (shared == null) {
            Path root;
            try {
                root = Files.createTempDirectory("assetlib-s3-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, Object> props = new HashMap<>(Map.of( // start() removes entries
                    S3MockApplication.PROP_HTTP_PORT, port == 0 ? S3MockApplication.RANDOM_PORT : port,
                    S3MockApplication.PROP_HTTPS_PORT, S3MockApplication.RANDOM_PORT,
                    S3MockApplication.PROP_ROOT_DIRECTORY, root.toString(),
                    S3MockApplication.PROP_SILENT, true,
                    "spring.main.banner-mode", "off",
                    "logging.level.root", "WARN",
                    // S3Mock's logback also takes DynamoDB Local's logger (same JVM): every refused condition, a normal answer, logged a stack trace.
                    "logging.level.com.amazonaws.services.dynamodbv2.local.server", "ERROR"));
            shared = new MediaS3(S3MockApplication.start(props));
            Runtime.getRuntime().addShutdownHook(new Thread(shared.app::stop, "s3mock-stop"));
        }
        return shared;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + app.getHttpPort());
    }

    /** Creates the bucket unless it exists (a restart with the same names). */
    public void createBucket(S3Client s3, String bucket) {
        if (s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
            s3.createBucket(r -> r.bucket(bucket));
        }
    }
}
