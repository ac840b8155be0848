package dev.assetlib.local.sfn;

/**
 * Test hook: decides, before each Lambda invocation, whether the Lambda service itself fails
 * (as opposed to the function). Returning a fault makes the task fail with that error without
 * calling the function, e.g. to exercise the Retry on {@code Lambda.ServiceException}.
 */
@FunctionalInterface
public interface LambdaFaultInjector {
    /** @return a fault to report instead of invoking, or null to invoke normally. */
    Fault beforeInvoke(String functionName, String stateName, int attempt);

    LambdaFaultInjector NONE = (functionName, stateName, attempt) -> null;

    /** A service-side failure, with the error name Step Functions reports. */
    record Fault(String error, String cause) {
        public static Fault serviceException() {
            return new Fault("Lambda.ServiceException",
                    "Lambda encountered an error (injected by LambdaFaultInjector) "
                            + "(Service: Lambda, Status Code: 500, Request ID: injected)");
        }

        public static Fault tooManyRequests() {
            return new Fault("Lambda.TooManyRequestsException",
                    "Rate Exceeded. (injected by LambdaFaultInjector) "
                            + "(Service: Lambda, Status Code: 429, Request ID: injected)");
        }
    }
}
