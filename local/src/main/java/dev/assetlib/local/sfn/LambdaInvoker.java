package dev.assetlib.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Calls the registered in-process functions and turns every outcome into what Step Functions
 * would see: the parsed result, or an error named like the Lambda service / Java runtime does.
 */
final class LambdaInvoker {
    private static final Pattern PARTIAL_ARN =
            Pattern.compile("^\\d{12}:function:([A-Za-z0-9_-]+)(:[A-Za-z0-9_$-]+)?$");

    /** Result of one invocation: either result (JSON) or error + cause. */
    record Outcome(JsonNode result, String error, String cause) {
        boolean failed() {
            return error != null;
        }
    }

    private final Map<String, LocalLambda> functions = new HashMap<>();
    private final LambdaFaultInjector faults;
    private final String region;
    private final String accountId;

    LambdaInvoker(Map<String, LocalLambda> lambdas, LambdaFaultInjector faults, String region,
            String accountId) {
        lambdas.forEach((k, v) -> functions.put(normalize(k), v));
        this.faults = faults == null ? LambdaFaultInjector.NONE : faults;
        this.region = region;
        this.accountId = accountId;
    }

    /** Function name plus ":qualifier" if any, from a name, partial ARN or full ARN. */
    static String normalize(String nameOrArn) {
        Matcher full = DefinitionLoader.LAMBDA_ARN.matcher(nameOrArn);
        if (full.matches()) {
            return full.group(1) + (full.group(2) == null ? "" : full.group(2));
        }
        Matcher partial = PARTIAL_ARN.matcher(nameOrArn);
        if (partial.matches()) {
            return partial.group(1) + (partial.group(2) == null ? "" : partial.group(2));
        }
        return nameOrArn;
    }

    Outcome invoke(String functionName, byte[] payload, String stateName, int attempt) {
        LambdaFaultInjector.Fault fault = faults.beforeInvoke(functionName, stateName, attempt);
        if (fault != null) {
            return new Outcome(null, fault.error(), fault.cause());
        }
        String key = normalize(functionName);
        LocalLambda fn = functions.get(key);
        if (fn == null && key.endsWith(":$LATEST")) {
            fn = functions.get(key.substring(0, key.length() - ":$LATEST".length()));
        }
        if (fn == null) {
            return new Outcome(null, "Lambda.ResourceNotFoundException", "Function not found: "
                    + arnOf(key) + " (Service: AWSLambda; Status Code: 404; Error Code: "
                    + "ResourceNotFoundException; Request ID: " + UUID.randomUUID() + "; Proxy: null)");
        }
        byte[] out;
        try {
            out = fn.invoke(payload);
        } catch (Exception | Error e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return new Outcome(null, e.getClass().getName(), Json.write(errorPayload(e)));
        }
        try {
            return new Outcome(out == null || out.length == 0 ? Json.MAPPER.nullNode() : Json.parse(out),
                    null, null);
        } catch (IllegalArgumentException e) {
            return new Outcome(null, StatesError.RUNTIME, "Lambda function " + key
                    + " returned a payload that is not JSON: " + e.getMessage());
        }
    }

    /** The error document the Java Lambda runtime writes for an uncaught exception. */
    static ObjectNode errorPayload(Throwable e) {
        ObjectNode err = Json.object();
        err.put("errorMessage", e.getMessage());
        err.put("errorType", e.getClass().getName());
        ArrayNode trace = err.putArray("stackTrace");
        for (StackTraceElement el : e.getStackTrace()) {
            trace.add(el.toString());
        }
        return err;
    }

    private String arnOf(String key) {
        return "arn:aws:lambda:" + region + ":" + accountId + ":function:" + key;
    }

    /** The optimized lambda:invoke integration's result around the function's output. */
    ObjectNode invokeResult(JsonNode payload) {
        String requestId = UUID.randomUUID().toString();
        ObjectNode r = Json.object();
        r.put("ExecutedVersion", "$LATEST");
        r.set("Payload", payload);
        ObjectNode http = r.putObject("SdkHttpMetadata");
        ObjectNode headers = http.putObject("HttpHeaders");
        headers.put("Content-Type", "application/json");
        headers.put("X-Amz-Executed-Version", "$LATEST");
        headers.put("x-amzn-RequestId", requestId);
        http.put("HttpStatusCode", 200);
        r.putObject("SdkResponseMetadata").put("RequestId", requestId);
        r.put("StatusCode", 200);
        return r;
    }
}
