package dev.assetlib.aws;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rekognition.RekognitionClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import dev.assetlib.config.SecretSource;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The AWS clients of one execution environment, each built once on first use with the region and
 * credentials given explicitly (no default-chain probing at cold start) and one shared
 * url-connection HTTP client. Endpoints are overridden only by the local stack and tests.
 */
public final class AwsClients implements AutoCloseable {
    /**
     * The call time-outs of every client, in one place, well inside the functions' 20 s time-out
     * (template.yaml Globals; AwsClientsTimeoutTest keeps them there): a hung call fails in time
     * for the function to clean up or report, instead of the function dying mid-way (issue 15,
     * hole 1). A whole call (retries included) at most {@code apiCall}, one attempt {@code attempt};
     * no socket read waits longer than {@code socketRead}, no connect longer than {@code connect}.
     */
    public record Timeouts(Duration apiCall, Duration attempt, Duration socketRead, Duration connect) {
        public static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(8), Duration.ofSeconds(3),
                Duration.ofSeconds(3), Duration.ofSeconds(2));
        /**
         * The local stack's and the tests' (DynamoDB Local on a busy developer machine can take
         * seconds for a transaction; a local function has no 20 s limit to stay inside).
         */
        public static final Timeouts LOCAL = new Timeouts(Duration.ofSeconds(60), Duration.ofSeconds(30),
                Duration.ofSeconds(30), Duration.ofSeconds(5));
    }

    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final Map<String, URI> endpoints;
    private final SdkHttpClient http;
    private final ClientOverrideConfiguration overrides;
    private final Timeouts timeouts;
    private DynamoDbClient dynamoDb;
    private SqsClient sqs;
    private SfnClient sfn;
    private S3Presigner s3Presigner;
    private S3Client s3;
    private SecretSource secretsManager;
    private RekognitionClient rekognition;
    /** Its own HTTP client: Rekognition may think for longer than the other services' socket time-out. */
    private SdkHttpClient rekognitionHttp;

    public AwsClients(Region region, AwsCredentialsProvider credentials, Map<String, URI> endpoints) {
        this(region, credentials, endpoints, Timeouts.DEFAULT);
    }

    public AwsClients(Region region, AwsCredentialsProvider credentials, Map<String, URI> endpoints, Timeouts timeouts) {
        this.region = region;
        this.credentials = credentials;
        this.endpoints = Map.copyOf(endpoints);
        this.timeouts = timeouts;
        this.http = UrlConnectionHttpClient.builder().socketTimeout(timeouts.socketRead())
                .connectionTimeout(timeouts.connect()).build();
        this.overrides = ClientOverrideConfiguration.builder().apiCallTimeout(timeouts.apiCall())
                .apiCallAttemptTimeout(timeouts.attempt()).build();
    }

    /**
     * In Lambda: region and credentials from what the runtime provides. With SnapStart the runtime
     * gives no key variables but a container credentials endpoint, read on each refresh, so a
     * restored snapshot never uses the credentials of the environment it was taken in.
     */
    public static AwsClients fromLambdaEnvironment() {
        String region = System.getenv("AWS_REGION");
        if (region == null || region.isBlank()) {
            throw new IllegalStateException("AWS_REGION is not set");
        }
        AwsCredentialsProvider credentials = System.getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI") != null
                ? ContainerCredentialsProvider.builder().build()
                : EnvironmentVariableCredentialsProvider.create();
        return new AwsClients(Region.of(region), credentials, Map.of());
    }

    public synchronized DynamoDbClient dynamoDb() {
        if (dynamoDb == null) {
            var b = DynamoDbClient.builder().region(region).credentialsProvider(credentials).httpClient(http)
                    .overrideConfiguration(overrides);
            if (endpoints.containsKey("dynamodb")) {
                b.endpointOverride(endpoints.get("dynamodb"));
            }
            dynamoDb = b.build();
        }
        return dynamoDb;
    }

    public synchronized SqsClient sqs() {
        if (sqs == null) {
            var b = SqsClient.builder().region(region).credentialsProvider(credentials).httpClient(http)
                    .overrideConfiguration(overrides);
            if (endpoints.containsKey("sqs")) {
                b.endpointOverride(endpoints.get("sqs"));
            }
            sqs = b.build();
        }
        return sqs;
    }

    public synchronized SfnClient sfn() {
        if (sfn == null) {
            var b = SfnClient.builder().region(region).credentialsProvider(credentials).httpClient(http)
                    .overrideConfiguration(overrides);
            if (endpoints.containsKey("stepfunctions")) {
                b.endpointOverride(endpoints.get("stepfunctions"));
            }
            sfn = b.build();
        }
        return sfn;
    }

    /**
     * Signs S3 requests locally (no HTTP client, no network call). With an "s3" endpoint override
     * (the local stack's stand-in) it signs path-style URLs for that endpoint.
     */
    public synchronized S3Presigner s3Presigner() {
        if (s3Presigner == null) {
            var b = S3Presigner.builder().region(region).credentialsProvider(credentials);
            if (endpoints.containsKey("s3")) {
                b.endpointOverride(endpoints.get("s3"))
                        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build());
            }
            s3Presigner = b.build();
        }
        return s3Presigner;
    }

    /** S3 calls (the media bucket); path-style against an "s3" endpoint override (the local stack's server). */
    public synchronized S3Client s3() {
        if (s3 == null) {
            var b = S3Client.builder().region(region).credentialsProvider(credentials).httpClient(http)
                    .overrideConfiguration(o -> o.apiCallTimeout(java.time.Duration.ofSeconds(30)));
            if (endpoints.containsKey("s3")) {
                b.endpointOverride(endpoints.get("s3")).forcePathStyle(true);
            }
            s3 = b.build();
        }
        return s3;
    }

    /** Secrets Manager's GetSecretValue (the one call the functions make), signed and sent on the shared HTTP client. */
    public synchronized SecretSource secretsManager() {
        if (secretsManager == null) {
            secretsManager = new SecretsManagerReader(http, credentials, region, endpoints.get("secretsmanager"));
        }
        return secretsManager;
    }

    /**
     * Amazon Rekognition (the rekognition reviewer); a "rekognition" endpoint override points it at
     * a stand-in (the local stack's --rekognition-endpoint, the tests' scripted fake).
     */
    public synchronized RekognitionClient rekognition() {
        if (rekognition == null) {
            // An image analysis of a 15 MB object can take seconds: one attempt may take 5 s, the call
            // 6 s. StatusCheckFunction has 20 s: the reviewer starts no asset after its 6 s budget, and
            // an asset's two calls take 12 s at worst. Two attempts only: a throttled asset is asked
            // again next round anyway.
            Duration attempt = timeouts.attempt().compareTo(Duration.ofSeconds(5)) < 0 ? Duration.ofSeconds(5) : timeouts.attempt();
            Duration call = timeouts.apiCall().compareTo(Duration.ofSeconds(6)) < 0 ? Duration.ofSeconds(6) : timeouts.apiCall();
            rekognitionHttp = UrlConnectionHttpClient.builder().socketTimeout(attempt).connectionTimeout(timeouts.connect()).build();
            var b = RekognitionClient.builder().region(region).credentialsProvider(credentials).httpClient(rekognitionHttp)
                    .overrideConfiguration(overrides.toBuilder().apiCallTimeout(call).apiCallAttemptTimeout(attempt)
                            .retryStrategy(r -> r.maxAttempts(2)).build());
            if (endpoints.containsKey("rekognition")) {
                b.endpointOverride(endpoints.get("rekognition"));
            }
            rekognition = b.build();
        }
        return rekognition;
    }

    @Override
    public synchronized void close() {
        if (rekognition != null) {
            rekognition.close();
            rekognitionHttp.close();
        }
        if (s3Presigner != null) {
            s3Presigner.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (dynamoDb != null) {
            dynamoDb.close();
        }
        if (sqs != null) {
            sqs.close();
        }
        if (sfn != null) {
            sfn.close();
        }
        http.close();
    }
}
