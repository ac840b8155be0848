package dev.assetlib.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Step Functions on this machine: a strict Amazon States Language interpreter (Task with
 * lambda:invoke or a Lambda ARN, Pass, Wait, Choice, Succeed, Fail) whose Lambda functions
 * run in-process, plus an optional endpoint speaking the Step Functions JSON API.
 *
 * <pre>{@code
 * StepFunctionsLocal sfn = StepFunctionsLocal.builder()
 *     .region("us-east-1").accountId("000000000000")
 *     .timeScale(0.01)                       // Waits and Retry intervals 100x shorter
 *     .lambdas(Map.of("arn:aws:lambda:us-east-1:000000000000:function:ReviewTask", handler))
 *     .build();
 * String arn = sfn.createStateMachine("AssetReview", definitionText,
 *     Map.of("ReviewTaskFunctionArn", "arn:aws:lambda:us-east-1:000000000000:function:ReviewTask"));
 * int port = sfn.startEndpoint(8083);       // aws stepfunctions --endpoint-url http://127.0.0.1:8083
 * String exec = sfn.startExecution(arn, null, "{\"assets\":[]}");
 * ExecutionView done = sfn.awaitCompletion(exec, Duration.ofSeconds(30));
 * sfn.close();
 * }</pre>
 *
 * <p>Definitions are validated when created; anything the interpreter does not implement is
 * refused then with a {@link DefinitionException} naming it. Executions live in memory.
 */
public final class StepFunctionsLocal implements AutoCloseable {
    private static final Pattern INVALID_NAME =
            Pattern.compile("[\\s<>{}\\[\\]?*\"#%\\\\^|~`$&,;:/\\x00-\\x1f\\x7f-\\x9f]");

    private final String region;
    private final String accountId;
    private final Clock clock;
    private final ScheduledExecutorService timers;
    private final ExecutorService workers;
    private final Interpreter interpreter;
    private final Map<String, StateMachine> machines = new LinkedHashMap<>();
    private final Map<String, Execution> executions = new ConcurrentHashMap<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicLong transitionsOfFinished = new AtomicLong();
    private final Object idle = new Object();
    private SfnEndpoint endpoint;

    private StepFunctionsLocal(Builder b) {
        this.region = b.region;
        this.accountId = b.accountId;
        this.clock = b.clock;
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, daemon("sfn-timer"));
        t.setRemoveOnCancelPolicy(true); // stopped executions must not leave their timers behind
        this.timers = t;
        this.workers = Executors.newFixedThreadPool(b.workerThreads, daemon("sfn-worker"));
        LambdaInvoker invoker = new LambdaInvoker(b.lambdas, b.faults, region, accountId);
        this.interpreter = new Interpreter(timers, workers, invoker, b.timeScale, b.random, region,
                this::finished);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Loads and validates a definition, filling ${Name} placeholders from substitutions.
     *
     * @return the state machine ARN
     * @throws DefinitionException if the definition is invalid or uses unsupported features
     */
    public synchronized String createStateMachine(String name, String definition,
            Map<String, String> substitutions) {
        checkName(name, "state machine");
        Definition def = DefinitionLoader.load(definition, substitutions);
        String arn = "arn:aws:states:" + region + ":" + accountId + ":stateMachine:" + name;
        StateMachine existing = machines.get(arn);
        if (existing != null && !existing.definition().text().equals(def.text())) {
            throw new SfnApiException("StateMachineAlreadyExists",
                    "State Machine Already Exists: '" + arn + "'");
        }
        if (existing == null) {
            machines.put(arn, new StateMachine(arn, name, def, clock.instant(),
                    "arn:aws:iam::" + accountId + ":role/StepFunctionsLocal"));
        }
        return arn;
    }

    /**
     * Starts an execution. A name already used returns the same ARN if that execution is still
     * running with the same input (Standard workflow idempotency); otherwise it is refused.
     *
     * @param name execution name, or null for a random one
     * @param input JSON text, or null for {}
     */
    public String startExecution(String stateMachineArn, String name, String input) {
        StateMachine sm = stateMachine(stateMachineArn);
        String execName = name == null ? UUID.randomUUID().toString() : name;
        checkName(execName, "execution");
        String text = input == null ? "{}" : input;
        JsonNode json;
        try {
            json = Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new SfnApiException("InvalidExecutionInput", "Invalid State Machine Execution Input: '"
                    + e.getMessage() + "'");
        }
        String arn = "arn:aws:states:" + region + ":" + accountId + ":execution:" + sm.name() + ":" + execName;
        Execution ex;
        synchronized (this) {
            Execution existing = executions.get(arn);
            if (existing != null) {
                if (existing.status == ExecutionStatus.RUNNING && JsonEquality.equal(existing.input, json)) {
                    return arn;
                }
                throw new SfnApiException("ExecutionAlreadyExists", "Execution Already Exists: '" + arn + "'");
            }
            ex = new Execution(arn, execName, sm, text, json, clock);
            executions.put(arn, ex);
            running.incrementAndGet();
        }
        interpreter.start(ex);
        return arn;
    }

    public void stopExecution(String executionArn, String error, String cause) {
        interpreter.stop(execution(executionArn), error, cause);
    }

    public ExecutionView describeExecution(String executionArn) {
        return ExecutionView.of(execution(executionArn));
    }

    /** Executions of a state machine, newest first, optionally only those with a status. */
    public List<ExecutionView> listExecutions(String stateMachineArn, ExecutionStatus status) {
        stateMachine(stateMachineArn);
        List<ExecutionView> out = new ArrayList<>();
        for (Execution ex : executions.values()) {
            if (ex.stateMachine.arn().equals(stateMachineArn) && (status == null || ex.status == status)) {
                out.add(ExecutionView.of(ex));
            }
        }
        out.sort((a, b) -> b.startDate().compareTo(a.startDate()));
        return out;
    }

    /** History events shaped like GetExecutionHistory's, oldest first. */
    public List<JsonNode> history(String executionArn) {
        return new ArrayList<>(execution(executionArn).events());
    }

    public ExecutionView awaitCompletion(String executionArn, Duration timeout) throws TimeoutException {
        try {
            execution(executionArn).done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimeoutException("interrupted");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        return describeExecution(executionArn);
    }

    /** Waits until no execution is running. @return false if the timeout passed first. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (running.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(idle, left);
            }
        }
        return true;
    }

    /** State transitions of all executions so far (states entered plus retries). */
    public long stateTransitions() {
        long sum = 0;
        for (Execution ex : executions.values()) {
            synchronized (ex) {
                sum += ex.stateTransitions;
            }
        }
        return sum;
    }

    public int runningExecutions() {
        return running.get();
    }

    public synchronized List<String> stateMachineArns() {
        return List.copyOf(machines.keySet());
    }

    synchronized StateMachine stateMachine(String arn) {
        StateMachine sm = machines.get(arn);
        if (sm == null) {
            checkArn(arn, ":stateMachine:");
            throw new SfnApiException("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
        }
        return sm;
    }

    Execution execution(String arn) {
        Execution ex = arn == null ? null : executions.get(arn);
        if (ex == null) {
            checkArn(arn, ":execution:");
            throw new SfnApiException("ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'");
        }
        return ex;
    }

    private static void checkArn(String arn, String kind) {
        if (arn == null || !arn.startsWith("arn:aws:states:") || !arn.contains(kind)) {
            throw new SfnApiException("InvalidArn", "Invalid Arn: '" + arn + "'");
        }
    }

    private static void checkName(String name, String what) {
        if (name == null || name.isEmpty() || name.length() > 80 || INVALID_NAME.matcher(name).find()) {
            throw new SfnApiException("InvalidName", "Invalid Name: '" + name + "' (a " + what
                    + " name has 1-80 characters, without whitespace, brackets, wildcards or "
                    + "\"#%\\^|~`$&,;:/ and control characters)");
        }
    }

    private void finished(Execution ex) {
        running.decrementAndGet();
        synchronized (idle) {
            idle.notifyAll();
        }
    }

    /**
     * Starts the Step Functions-compatible HTTP endpoint on 127.0.0.1.
     *
     * @param port the port, or 0 for any free one
     * @return the port it listens on
     */
    public synchronized int startEndpoint(int port) {
        if (endpoint != null) {
            throw new IllegalStateException("endpoint already started on port " + endpoint.port());
        }
        try {
            endpoint = SfnEndpoint.start(this, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port, e);
        }
        return endpoint.port();
    }

    String region() {
        return region;
    }

    Instant now() {
        return clock.instant();
    }

    @Override
    public synchronized void close() {
        if (endpoint != null) {
            endpoint.stop();
            endpoint = null;
        }
        timers.shutdownNow();
        workers.shutdownNow();
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public static final class Builder {
        private String region = "us-east-1";
        private String accountId = "000000000000";
        private double timeScale = 1.0;
        private Map<String, LocalLambda> lambdas = Map.of();
        private LambdaFaultInjector faults = LambdaFaultInjector.NONE;
        private Clock clock = Clock.systemUTC();
        private int workerThreads = 8;
        private Random random = new Random();

        public Builder region(String region) {
            this.region = region;
            return this;
        }

        public Builder accountId(String accountId) {
            this.accountId = accountId;
            return this;
        }

        /** Multiplies Wait durations, Retry intervals and execution timeouts (not Task timeouts). */
        public Builder timeScale(double timeScale) {
            if (!(timeScale >= 0)) {
                throw new IllegalArgumentException("timeScale must be >= 0");
            }
            this.timeScale = timeScale;
            return this;
        }

        /** Functions by name or ARN (an alias ARN matches only that alias). */
        public Builder lambdas(Map<String, LocalLambda> lambdas) {
            this.lambdas = Map.copyOf(lambdas);
            return this;
        }

        public Builder faultInjector(LambdaFaultInjector faults) {
            this.faults = faults;
            return this;
        }

        /** Clock for timestamps and Wait Timestamp fields. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Threads for state processing and Lambda calls (waiting executions use none). */
        public Builder workerThreads(int n) {
            this.workerThreads = n;
            return this;
        }

        /** Source of FULL jitter; seed it for reproducible retry delays. */
        public Builder random(Random random) {
            this.random = random;
            return this;
        }

        public StepFunctionsLocal build() {
            return new StepFunctionsLocal(this);
        }
    }
}
