package dev.assetlib.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionRequest;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
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
    /** Requests that reached a start which then "died" (see {@link #dieWith}). */
    public final List<StartExecutionRequest> died = new CopyOnWriteArrayList<>();
    /** Thrown as is (no cleanup catches an Error): the caller's Lambda died during StartExecution. */
    public volatile Error dieWith;

    @Override
    public StartExecutionResponse startExecution(StartExecutionRequest request) {
        if (dieWith != null) {
            died.add(request);
            throw dieWith;
        }
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

    /** Executions that were lost (a restart of the local stack): DescribeExecution no longer knows them. */
    public final java.util.Set<String> lost = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** RUNNING for a started execution, unless it was {@link #lost} (or never started): ExecutionDoesNotExist. */
    @Override
    public DescribeExecutionResponse describeExecution(DescribeExecutionRequest request) {
        String name = request.executionArn().substring(request.executionArn().lastIndexOf(':') + 1);
        if (lost.contains(name) || started.stream().noneMatch(s -> s.name().equals(name))) {
            throw ExecutionDoesNotExistException.builder().message("Execution Does Not Exist: " + request.executionArn()).build();
        }
        return DescribeExecutionResponse.builder().executionArn(request.executionArn()).name(name)
                .status(ExecutionStatus.RUNNING).build();
    }

    @Override
    public DescribeExecutionResponse describeExecution(Consumer<DescribeExecutionRequest.Builder> request) {
        DescribeExecutionRequest.Builder b = DescribeExecutionRequest.builder();
        request.accept(b);
        return describeExecution(b.build());
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
