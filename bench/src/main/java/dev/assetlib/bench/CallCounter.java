package dev.assetlib.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts AWS SDK calls (one per API call, whatever its retries) by scenario, service and operation.
 * Registered for every client of the benchmark's JVM as an SDK global interceptor (the classpath
 * file software/amazon/awssdk/global/handlers/execution.interceptors), so the local stack's clients
 * are counted without any change to functions/. The scenario is the calling thread's tag, set by
 * the benchmark around each Lambda invocation it wraps.
 */
public final class CallCounter implements ExecutionInterceptor {
    private static final ThreadLocal<String> SCENARIO = new ThreadLocal<>();
    private static final Map<String, LongAdder> COUNTS = new ConcurrentHashMap<>();

    static void tag(String scenario) {
        SCENARIO.set(scenario);
    }

    static void untag() {
        SCENARIO.remove();
    }

    static void reset() {
        COUNTS.clear();
    }

    /** "scenario service operation" → calls. */
    static Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        COUNTS.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    static long count(String scenario, String service, String... operations) {
        long sum = 0;
        for (String op : operations) {
            LongAdder a = COUNTS.get(scenario + " " + service + " " + op);
            sum += a == null ? 0 : a.sum();
        }
        return sum;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String scenario = SCENARIO.get();
        String key = (scenario == null ? "-" : scenario) + " " + attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME)
                + " " + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        COUNTS.computeIfAbsent(key, k -> new LongAdder()).increment();
    }
}
