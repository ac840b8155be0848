package dev.assetlib.aws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.config.SecretSource;
import dev.assetlib.json.JsonCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.regions.Region;

/**
 * Secrets Manager's GetSecretValue, the one call the functions make to it, as a SigV4-signed JSON
 * POST through the functions' shared HTTP client and the SDK's own signer: the whole
 * {@code secretsmanager} SDK module (0.87 MB in every function's package, which must stay under
 * 20 MB) for one operation was not worth it. Throttling, 5xx and broken connections are retried
 * (3 attempts, 100 ms doubling), like the SDK's standard retries.
 */
public final class SecretsManagerReader implements SecretSource {
    static final int ATTEMPTS = 3;
    private static final String TARGET = "secretsmanager.GetSecretValue";

    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final Region region;
    private final URI endpoint;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    /** {@code endpoint} null: the region's public endpoint. */
    public SecretsManagerReader(SdkHttpClient http, AwsCredentialsProvider credentials, Region region, URI endpoint) {
        this.http = http;
        this.credentials = credentials;
        this.region = region;
        this.endpoint = endpoint != null ? endpoint : URI.create("https://secretsmanager." + region.id() + "."
                + (region.metadata() != null ? region.metadata().domain() : "amazonaws.com"));
    }

    @Override
    public String secretString(String secretId) {
        byte[] body = JsonCodec.write(JsonCodec.object().put("SecretId", secretId)).getBytes(StandardCharsets.UTF_8);
        long backoff = 100;
        for (int attempt = 1; ; attempt++) {
            String problem;
            Throwable cause = null;
            try {
                Answer a = call(body);
                if (a.status == 200) {
                    JsonNode value = a.json.path("SecretString");
                    if (!value.isTextual()) {
                        throw new Unreadable("secret " + secretId + " has no string value", null);
                    }
                    return value.asText();
                }
                String type = a.json.path("__type").asText("");
                type = type.substring(type.indexOf('#') + 1);
                String message = a.json.has("message") ? a.json.path("message").asText() : a.json.path("Message").asText("");
                problem = "Secrets Manager answered HTTP " + a.status + (type.isEmpty() ? "" : " " + type) + (message.isEmpty() ? "" : ": " + message);
                if (a.status < 500 && !type.contains("Throttl") && a.status != 429) {
                    throw new Unreadable("could not read secret " + secretId + ": " + problem, null);
                }
            } catch (IOException | UncheckedIOException e) {
                problem = "Secrets Manager could not be reached (" + e.getMessage() + ")";
                cause = e;
            }
            if (attempt >= ATTEMPTS) {
                throw new Unreadable("could not read secret " + secretId + ": " + problem + " (" + attempt + " attempts)", cause);
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Unreadable("interrupted reading secret " + secretId, e);
            }
            backoff *= 2;
        }
    }

    private record Answer(int status, JsonNode json) {
    }

    private Answer call(byte[] body) throws IOException {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
                .putHeader("Content-Type", "application/x-amz-json-1.1").putHeader("X-Amz-Target", TARGET)
                .putHeader("Content-Length", Integer.toString(body.length)).build();
        SignedRequest signed = signer.sign(r -> r.identity(credentials.resolveCredentials()).request(request)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "secretsmanager")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region.id()));
        HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder().request(signed.request())
                .contentStreamProvider(signed.payload().orElse(null)).build()).call();
        byte[] answer;
        try (InputStream in = response.responseBody().map(InputStream.class::cast).orElse(InputStream.nullInputStream())) {
            answer = in.readAllBytes();
        }
        JsonNode json;
        try {
            json = answer.length == 0 ? JsonCodec.object() : JsonCodec.parse(answer);
        } catch (IOException | RuntimeException e) {
            json = JsonCodec.object(); // not JSON (a proxy's error page): the status says enough
        }
        return new Answer(response.httpResponse().statusCode(), json);
    }

    @Override
    public String toString() {
        return "SecretsManagerReader(" + endpoint + ")";
    }
}
