package dev.assetlib.bench.floor;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Prints every AWS SDK call of a child JVM ("AWSCALL service operation") to standard error. Only in
 * the unmeasured call-listing runs, whose task root also holds the SDK's global-interceptor file, so
 * that the benchmark can show that a handler and its floor make the same calls.
 */
public final class CallLog implements ExecutionInterceptor {
    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        System.err.println("AWSCALL " + attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + " "
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }
}
