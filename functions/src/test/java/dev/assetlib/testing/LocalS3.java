package dev.assetlib.testing;

import com.adobe.testing.s3mock.S3MockApplication;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server (Adobe's S3Mock, a Spring Boot application) started in this JVM on a
 * free HTTP port of 127.0.0.1, storing under {@code root}, reached with the ordinary SDK client.
 */
public final class LocalS3 implements AutoCloseable {
    private final S3MockApplication app;
    private final long startMillis;

    /** A KMS key S3Mock accepts in SSE-KMS requests (it keeps no keys, only this allow-list). */
    public static final String KMS_KEY = "arn:aws:kms:us-east-1:123456789012:key/valid-test-key-ref";

    public LocalS3(Path root, String... buckets) {
        long t0 = System.nanoTime();
        app = S3MockApplication.start(new java.util.HashMap<>(Map.of( // start() removes entries
                S3MockApplication.PROP_HTTP_PORT, S3MockApplication.RANDOM_PORT,
                S3MockApplication.PROP_HTTPS_PORT, S3MockApplication.RANDOM_PORT,
                S3MockApplication.PROP_ROOT_DIRECTORY, root.toString(),
                S3MockApplication.PROP_INITIAL_BUCKETS, String.join(",", buckets),
                S3MockApplication.PROP_SILENT, true,
                "com.adobe.testing.s3mock.store.validKmsKeys", KMS_KEY,
                "spring.main.banner-mode", "off",
                "logging.level.root", "WARN",
                // S3Mock's logback also takes DynamoDB Local's logger (same JVM): every refused condition logged a stack trace.
                "logging.level.com.amazonaws.services.dynamodbv2.local.server", "ERROR",
                // A PUT its client abandoned (the media step's streamed copy of a refused or cut-short body) is a normal
                // outcome, not an S3Mock error: its stack trace is not logged.
                "logging.level.com.adobe.testing.s3mock.service.ServiceBase", "OFF")));
        startMillis = (System.nanoTime() - t0) / 1_000_000;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + app.getHttpPort());
    }

    /** How long the start took (printed by tests, never asserted). */
    public long startMillis() {
        return startMillis;
    }

    public S3Client client() {
        return client(new software.amazon.awssdk.core.interceptor.ExecutionInterceptor[0]);
    }

    /** A client whose calls also pass through {@code interceptors} (e.g. to record them). */
    public S3Client client(software.amazon.awssdk.core.interceptor.ExecutionInterceptor... interceptors) {
        return S3Client.builder().region(Region.US_EAST_1).endpointOverride(endpoint()).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .overrideConfiguration(o -> java.util.Arrays.stream(interceptors).forEach(o::addExecutionInterceptor))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Override
    public void close() {
        app.stop();
    }
}
