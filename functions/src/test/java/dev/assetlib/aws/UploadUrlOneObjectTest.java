package dev.assetlib.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assetlib.app.upload.SignedUpload;
import dev.assetlib.testing.LocalS3;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * A direct-upload URL stores exactly one object: If-None-Match: * is a signed header of the
 * presigned PUT, and the S3-compatible server (S3Mock, in this JVM) refuses the second PUT with
 * 412, so the first object stays what the ObjectCreated event named.
 */
class UploadUrlOneObjectTest {
    @TempDir
    static Path root;
    private static LocalS3 server;
    private static S3Client s3;
    private static S3Presigner presigner;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        server = new LocalS3(Files.createDirectories(root.resolve("s3")), "uploads-bucket");
        s3 = server.client();
        presigner = S3Presigner.builder().region(Region.US_EAST_1).endpointOverride(server.endpoint())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build();
    }

    @AfterAll
    static void stop() {
        presigner.close();
        s3.close();
        server.close();
    }

    private static HttpResponse<String> put(SignedUpload signed, byte[] body, boolean withSignedHeaders) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(signed.url()).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        signed.headers().forEach((name, value) -> {
            if (withSignedHeaders || name.equalsIgnoreCase("Content-Type")) {
                b.header(name, value);
            }
        });
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theUploadUrlSignsIfNoneMatchAndListsItInTheHeadersToSend() {
        SignedUpload signed = new S3UploadUrlSigner(presigner, "uploads-bucket")
                .presignPut("uploads/acct/asset-20260330142158-aaaaa", "image/png", Duration.ofMinutes(15));
        assertThat(signed.headers()).containsEntry("Content-Type", "image/png").containsEntry("If-None-Match", "*");
        assertThat(URLDecoder.decode(signed.url().getRawQuery(), StandardCharsets.UTF_8))
                .contains("X-Amz-SignedHeaders=content-type;host;if-none-match");
    }

    @Test
    void aSecondPutWithTheSameUploadUrlIsRefusedAndTheFirstObjectStays() throws Exception {
        String key = "uploads/acct/asset-20260330142158-bbbbb";
        SignedUpload signed = new S3UploadUrlSigner(presigner, "uploads-bucket").presignPut(key, "image/png", Duration.ofMinutes(15));
        byte[] first = "the approved bytes".getBytes(StandardCharsets.UTF_8);
        byte[] swapped = "swapped after approval".getBytes(StandardCharsets.UTF_8);

        assertThat(put(signed, first, true).statusCode()).isEqualTo(200);
        String eTag = s3.headObject(h -> h.bucket("uploads-bucket").key(key)).eTag();

        assertThat(put(signed, swapped, true).statusCode()).as("If-None-Match: * with an object there").isEqualTo(412);
        assertThat(s3.getObjectAsBytes(g -> g.bucket("uploads-bucket").key(key)).asByteArray()).isEqualTo(first);
        assertThat(s3.headObject(h -> h.bucket("uploads-bucket").key(key)).eTag()).isEqualTo(eTag);
    }
}
