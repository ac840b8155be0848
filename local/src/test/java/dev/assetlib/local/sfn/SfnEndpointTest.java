package dev.assetlib.local.sfn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;

/** The endpoint, driven by the real AWS SDK v2 SfnClient. */
class SfnEndpointTest {
  private static final String DEF = "{\"StartAt\":\"Hello\",\"States\":{"
      + "\"Hello\":{\"Type\":\"Pass\",\"Parameters\":{\"greeting.$\":\"States.Format('Hello {}', $.who)\"},\"Next\":\"Pause\"},"
      + "\"Pause\":{\"Type\":\"Wait\",\"SecondsPath\":\"$$.Execution.Input.pause\",\"Next\":\"Done\"},"
      + "\"Done\":{\"Type\":\"Succeed\"}}}";

  private StepFunctionsLocal sfn;
  private SfnClient client;
  private String machine;
  private int port;

  @BeforeEach
  void start() {
    sfn = StepFunctionsLocal.builder().build();
    machine = sfn.createStateMachine("Greeter", DEF, Map.of());
    port = sfn.startEndpoint(0);
    client = SfnClient.builder()
        .endpointOverride(URI.create("http://127.0.0.1:" + port))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  @AfterEach
  void stop() {
    client.close();
    sfn.close();
  }

  @Test
  void describesStateMachinesAndRunsAnExecution() throws Exception {
    assertThat(client.listStateMachines(b -> { }).stateMachines())
        .singleElement().satisfies(m -> {
          assertThat(m.stateMachineArn()).isEqualTo("arn:aws:states:us-east-1:000000000000:stateMachine:Greeter");
          assertThat(m.name()).isEqualTo("Greeter");
          assertThat(m.creationDate()).isNotNull();
        });
    assertThat(Json.parse(client.describeStateMachine(b -> b.stateMachineArn(machine)).definition()))
        .isEqualTo(Json.parse(DEF));

    StartExecutionResponse started = client.startExecution(b -> b.stateMachineArn(machine)
        .name("run-1").input("{\"who\":\"Ada\",\"pause\":0}"));
    assertThat(started.executionArn()).isEqualTo("arn:aws:states:us-east-1:000000000000:execution:Greeter:run-1");
    assertThat(started.startDate()).isNotNull();
    sfn.awaitCompletion(started.executionArn(), Duration.ofSeconds(20));

    var described = client.describeExecution(b -> b.executionArn(started.executionArn()));
    assertThat(described.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(Json.parse(described.output())).isEqualTo(Json.parse("{\"greeting\":\"Hello Ada\"}"));
    assertThat(described.stopDate()).isAfterOrEqualTo(described.startDate());
    assertThat(client.listExecutions(b -> b.stateMachineArn(machine).statusFilter(ExecutionStatus.SUCCEEDED))
        .executions()).extracting(e -> e.name()).containsExactly("run-1");
    assertThat(client.listExecutions(b -> b.stateMachineArn(machine).statusFilter(ExecutionStatus.RUNNING))
        .executions()).isEmpty();
  }

  @Test
  void pagesHistoryForwardAndBackward() throws Exception {
    String arn = client.startExecution(b -> b.stateMachineArn(machine).input("{\"who\":\"x\",\"pause\":0}"))
        .executionArn();
    sfn.awaitCompletion(arn, Duration.ofSeconds(20));
    GetExecutionHistoryResponse first = client.getExecutionHistory(b -> b.executionArn(arn).maxResults(3));
    assertThat(first.events()).extracting(HistoryEvent::type).containsExactly(HistoryEventType.EXECUTION_STARTED,
        HistoryEventType.PASS_STATE_ENTERED, HistoryEventType.PASS_STATE_EXITED);
    assertThat(first.events().get(1).stateEnteredEventDetails().name()).isEqualTo("Hello");
    assertThat(first.nextToken()).isNotNull();
    List<HistoryEvent> all = client.getExecutionHistoryPaginator(b -> b.executionArn(arn).maxResults(3))
        .events().stream().toList();
    assertThat(all).hasSize(8);
    assertThat(all).extracting(HistoryEvent::id).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    HistoryEvent last = client.getExecutionHistory(b -> b.executionArn(arn).reverseOrder(true).maxResults(1))
        .events().get(0);
    assertThat(last.type()).isEqualTo(HistoryEventType.EXECUTION_SUCCEEDED);
    assertThat(last.previousEventId()).isEqualTo(7L);
  }

  @Test
  void stopsARunningExecutionAndHonoursStartIdempotency() {
    String arn = client.startExecution(b -> b.stateMachineArn(machine).name("long")
        .input("{\"who\":\"x\",\"pause\":3600}")).executionArn();
    assertThat(client.startExecution(b -> b.stateMachineArn(machine).name("long")
        .input("{\"who\":\"x\",\"pause\":3600}")).executionArn()).isEqualTo(arn);
    assertThatThrownBy(() -> client.startExecution(b -> b.stateMachineArn(machine).name("long")
        .input("{\"who\":\"y\",\"pause\":3600}")))
        .isInstanceOf(ExecutionAlreadyExistsException.class);
    assertThat(client.stopExecution(b -> b.executionArn(arn).error("Stop").cause("test")).stopDate()).isNotNull();
    assertThat(client.describeExecution(b -> b.executionArn(arn)).status()).isEqualTo(ExecutionStatus.ABORTED);
    assertThatThrownBy(() -> client.startExecution(b -> b.stateMachineArn(machine).name("long")
        .input("{\"who\":\"x\",\"pause\":3600}")))
        .isInstanceOf(ExecutionAlreadyExistsException.class);
  }

  @Test
  void reportsErrorsAsTheServiceDoes() throws Exception {
    assertThatThrownBy(() -> client.startExecution(b -> b.stateMachineArn(machine).name("bad name")))
        .isInstanceOf(InvalidNameException.class);
    assertThatThrownBy(() -> client.startExecution(b -> b.stateMachineArn(machine.replace("Greeter", "Nope"))))
        .isInstanceOf(StateMachineDoesNotExistException.class);
    assertThatThrownBy(() -> client.describeExecution(b -> b.executionArn(
        "arn:aws:states:us-east-1:000000000000:execution:Greeter:nope")))
        .isInstanceOf(ExecutionDoesNotExistException.class);

    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> unknown = http.send(request("CreateActivity", "{}"), HttpResponse.BodyHandlers.ofString());
    assertThat(unknown.statusCode()).isEqualTo(400);
    JsonNode error = Json.parse(unknown.body());
    assertThat(error.get("__type").asText()).isEqualTo("UnknownOperationException");
    assertThat(error.get("message").asText()).contains("CreateActivity").contains("StartExecution");

    HttpResponse<String> started = http.send(request("StartExecution",
        "{\"stateMachineArn\":\"" + machine + "\",\"input\":\"{\\\"who\\\":1,\\\"pause\\\":0}\"}"),
        HttpResponse.BodyHandlers.ofString());
    assertThat(started.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.0");
    assertThat(Json.parse(started.body()).get("startDate").isNumber()).as("epoch seconds").isTrue();
  }

  private HttpRequest request(String op, String body) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
        .header("X-Amz-Target", "AWSStepFunctions." + op)
        .header("Content-Type", "application/x-amz-json-1.0")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }
}
