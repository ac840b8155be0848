package dev.assetlib.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.StartExecutionRequest;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;
import software.amazon.awssdk.services.sfn.model.StopExecutionRequest;
import software.amazon.awssdk.services.sfn.model.StopExecutionResponse;

/**
 * A FAKE Step Functions client for the functions module's unit tests, which cannot reach the local
 * stack's interpreter (module local/ depends on this one, not the reverse). It records
 * StartExecution calls, refuses a second execution of the same name as Step Functions does, and can
 * be told to fail. The real state machine runs in local/'s end-to-end tests.
 */
public final class FakeSfnClient implements SfnClient {
    public final List<StartExecutionRequest> started = new CopyOnWriteArrayList<>();
    public final List<StopExecutionRequest> stopped = new CopyOnWriteArrayList<>();
    public volatile RuntimeException failWith;

    @Override
    public StartExecutionResponse startExecution(StartExecutionRequest request) {
        if (failWith != null) {
            throw failWith;
        }
        if (started.stream().anyMatch(s -> s.name().equals(request.name()))) {
            throw ExecutionAlreadyExistsException.builder().message("Execution Already Exists: " + request.name()).build();
        }
        started.add(request);
        return StartExecutionResponse.builder()
                .executionArn(request.stateMachineArn().replace(":stateMachine:", ":execution:") + ":" + request.name())
                .build();
    }

    @Override
    public StartExecutionResponse startExecution(Consumer<StartExecutionRequest.Builder> request) {
        StartExecutionRequest.Builder b = StartExecutionRequest.builder();
        request.accept(b);
        return startExecution(b.build());
    }

    @Override
    public StopExecutionResponse stopExecution(StopExecutionRequest request) {
        stopped.add(request);
        return StopExecutionResponse.builder().build();
    }

    @Override
    public StopExecutionResponse stopExecution(Consumer<StopExecutionRequest.Builder> request) {
        StopExecutionRequest.Builder b = StopExecutionRequest.builder();
        request.accept(b);
        return stopExecution(b.build());
    }

    @Override
    public String serviceName() {
        return "states";
    }

    @Override
    public void close() {
    }
}
