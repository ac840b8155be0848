package dev.assetlib.bench.floor;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * The floor's clients, built exactly as functions/' AwsClients builds them in Lambda: the region
 * from AWS_REGION, credentials from the environment (or the container endpoint under SnapStart)
 * and one url-connection HTTP client. The endpoints come from AWS_ENDPOINT_URL_* like the handlers'.
 */
final class FloorClients {
    static final Region REGION = Region.of(System.getenv("AWS_REGION"));
    static final AwsCredentialsProvider CREDENTIALS = System.getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI") != null
            ? ContainerCredentialsProvider.builder().build()
            : EnvironmentVariableCredentialsProvider.create();

    private FloorClients() {
    }

    static SdkHttpClient http() {
        return UrlConnectionHttpClient.create();
    }

    static String env(String name) {
        String value = System.getenv(name);
        if (value == null) {
            throw new IllegalStateException(name + " is not set");
        }
        return value;
    }
}
