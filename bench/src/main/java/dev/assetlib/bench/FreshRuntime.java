package dev.assetlib.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One fresh JVM running the Lambda Java runtime (its runtime interface client, on the classpath as
 * /var/runtime/lib is in Lambda) on a task root (LAMBDA_TASK_ROOT, the working directory, as
 * /var/task: the function's package, loaded by the runtime's own class loader from its root and
 * lib/*.jar), handling one event from a {@link RuntimeApi}. Used by the cold-start harness and by
 * the package smoke test.
 */
final class FreshRuntime {
    /** JVM flags Lambda's java runtime starts with (besides JAVA_TOOL_OPTIONS from the template). */
    static final List<String> LAMBDA_JVM_FLAGS = List.of("-XX:+UseSerialGC", "-Xshare:auto", "-XX:MaxHeapSize=870m",
            "-Djava.net.preferIPv4Stack=true");
    static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

    /**
     * @param result     what the runtime reported (response or error), or null when it reported nothing in time
     * @param startNanos just before the process was started
     */
    record Outcome(RuntimeApi.Result result, long startNanos, Path output) {
    }

    private FreshRuntime() {
    }

    /**
     * @param env      the function's variables besides those Lambda itself sets (which are added here)
     * @param classLog a file for -Xlog:class+load, or null
     */
    static Outcome run(Path lambdaRuntime, Path taskRoot, String function, String handler, Map<String, String> env,
                       byte[] event, Path output, Path classLog, Duration timeout) throws Exception {
        String arn = "arn:aws:lambda:us-east-1:000000000000:function:" + function + ":live";
        try (RuntimeApi api = new RuntimeApi(event, arn)) {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(LAMBDA_JVM_FLAGS);
            if (classLog != null) {
                command.add("-Xlog:class+load=info:file=" + classLog);
            }
            command.add("-cp");
            command.add(lambdaRuntime + "/*");
            command.add(RIC_MAIN);
            command.add(handler);
            // The runtime loads the function from its working directory (user.dir), as Lambda's /var/task.
            ProcessBuilder pb = new ProcessBuilder(command).directory(taskRoot.toFile());
            Map<String, String> vars = pb.environment();
            vars.clear();
            vars.putAll(env);
            vars.put("AWS_LAMBDA_RUNTIME_API", api.address());
            vars.put("LAMBDA_TASK_ROOT", taskRoot.toString());
            vars.put("_HANDLER", handler);
            vars.put("AWS_LAMBDA_FUNCTION_NAME", function);
            vars.put("AWS_LAMBDA_FUNCTION_VERSION", "1");
            vars.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
            vars.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + function);
            vars.put("AWS_LAMBDA_LOG_STREAM_NAME", "bench");
            vars.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
            pb.redirectErrorStream(true).redirectOutput(output.toFile());
            long t0 = System.nanoTime();
            Process p = pb.start();
            RuntimeApi.Result result;
            try {
                result = api.result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                result = null;
            } finally {
                p.destroyForcibly();
                p.waitFor();
            }
            return new Outcome(result, t0, output);
        }
    }
}
