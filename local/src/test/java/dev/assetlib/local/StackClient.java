package dev.assetlib.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** A client of a running stack as a user has it: HTTP for the API, the AWS SDK for SQS and Step Functions. */
final class StackClient implements AutoCloseable {
    static final String UPLOAD = "/kyyReactApiServer/kyyVideo2/asset/upload";
    static final String DETAIL = "/kyyReactApiServer/kyyVideo2/asset/";
    static final Set<String> TERMINAL = Set.of("Active", "Failed");
    static final ObjectMapper JSON = new ObjectMapper();

    private final RunningStack stack;
    private final String key;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    final SqsClient sqs;
    final SfnClient sfn;

    StackClient(RunningStack stack, String key) {
        this.stack = stack;
        this.key = key;
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        this.sqs = SqsClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).endpointOverride(stack.sqsEndpoint()).build();
        this.sfn = SfnClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).endpointOverride(stack.sfnEndpoint()).build();
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(stack.apiEndpoint() + path)).timeout(Duration.ofSeconds(30));
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpRequest uploadRequest(String url) {
        String body = "{\"assetType\":\"Image\",\"url\":\"" + url + "\",\"name\":\"e2e\"}";
        return request(UPLOAD).header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** Uploads and returns the new asset id (asserting the API accepted it). */
    String upload(String url) {
        return assetId(send(uploadRequest(url)));
    }

    /** Many uploads at once, each on its own connection as independent clients would. */
    List<String> uploadConcurrently(List<String> urls) {
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (String url : urls) {
            calls.add(http.sendAsync(uploadRequest(url), HttpResponse.BodyHandlers.ofString()));
        }
        return calls.stream().map(CompletableFuture::join).map(StackClient::assetId).toList();
    }

    static String assetId(HttpResponse<String> response) {
        JsonNode body = json(response.body());
        assertThat(response.statusCode()).as("upload answer %s", response.body()).isEqualTo(200);
        return body.path("data").path("assetId").asText();
    }

    /** The asset's detail {@code data}. */
    JsonNode detail(String assetId) {
        HttpResponse<String> response = send(request(DETAIL + assetId).header("Authorization", "Bearer " + key).GET().build());
        assertThat(response.statusCode()).as("detail answer %s", response.body()).isEqualTo(200);
        return json(response.body()).path("data");
    }

    /** The asset's history {@code events}. */
    JsonNode history(String assetId) {
        HttpResponse<String> response = send(request(DETAIL + assetId + "/history").header("Authorization", "Bearer " + key).GET().build());
        assertThat(response.statusCode()).as("history answer %s", response.body()).isEqualTo(200);
        return json(response.body()).path("data").path("events");
    }

    /** Waits until the interpreter runs no execution. */
    void awaitIdle(Duration patience) {
        try {
            assertThat(stack.stepFunctions().awaitIdle(patience)).as("executions still running").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The states execution {@code review-<name>} entered, in order, once every execution ended. */
    List<String> statesEntered(String name, Duration patience) {
        awaitIdle(patience);
        String arn = "arn:aws:states:us-east-1:000000000000:execution:ReviewStateMachine:review-" + name;
        return sfn.getExecutionHistoryPaginator(r -> r.executionArn(arn)).events().stream()
                .filter(e -> e.type().toString().endsWith("StateEntered"))
                .map(e -> e.stateEnteredEventDetails().name()).toList();
    }

    /** Once every execution ended, the completions now on the queue added to {@code byAsset}. */
    void collectCompletions(java.util.Map<String, List<JsonNode>> byAsset, Duration patience) {
        awaitIdle(patience);
        for (software.amazon.awssdk.services.sqs.model.Message m : drain(stack.queueUrls().get("CompletionQueue"))) {
            JsonNode body = json(m.body());
            byAsset.computeIfAbsent(body.path("assetId").asText(), k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(body);
        }
    }

    /** Polls GET detail, like a client, until the asset is Active or Failed. */
    JsonNode awaitTerminal(String assetId, Duration timeout) {
        JsonNode[] last = new JsonNode[1];
        await(timeout, () -> TERMINAL.contains((last[0] = detail(assetId)).path("status").asText()),
                () -> "asset " + assetId + " never became terminal; last detail " + last[0]);
        return last[0];
    }

    /** Receives and deletes every message now on the queue. */
    List<Message> drain(String queueUrl) {
        List<Message> all = new ArrayList<>();
        while (true) {
            List<Message> batch = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
            if (batch.isEmpty()) {
                return all;
            }
            for (Message m : batch) {
                all.add(m);
                sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** Polls {@code done} every 50 ms until it holds; the timeout is a generous safety net, not a measure. */
    static void await(Duration timeout, BooleanSupplier done, java.util.function.Supplier<String> failure) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(failure.get());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    @Override
    public void close() {
        sqs.close();
        sfn.close();
    }
}
