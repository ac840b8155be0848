package dev.assetlib.local.lambda;

import java.time.Duration;

/** What the Lambda runtime tells a function about itself (from its template properties). */
public record LambdaFunctionInfo(String name, String arn, Duration timeout, int memoryMb) {
}
