package dev.assetlib.local;

import dev.assetlib.review.RejectRule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything the local stack is started with, already parsed and checked. Ports may be 0 (any free
 * port: the tests' choice). Times are virtual (see {@link ScaledClock}) except the authorizer cache,
 * which is API Gateway's.
 */
record StackSettings(
        Path projectDir,
        int apiPort,
        int dynamoDbPort,
        int sqsPort,
        int sfnPort,
        List<DevKey> devKeys,
        Duration reviewDelay,
        List<RejectRule> rejectRules,
        double timeScale,
        Duration deadline,
        Duration authorizerCache) {

    StackSettings {
        devKeys = List.copyOf(devKeys);
        rejectRules = List.copyOf(rejectRules);
        if (devKeys.isEmpty() || devKeys.stream().anyMatch(k -> k.accountId() == null)) {
            throw new IllegalArgumentException("every dev key needs an account");
        }
        if (!(timeScale > 0)) {
            throw new IllegalArgumentException("--time-scale must be > 0 (0.01 makes waits 100x shorter), got " + timeScale);
        }
        if (deadline.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("--deadline must be at least 1m (the template's minimum); "
                    + "use --time-scale to make it pass faster");
        }
        for (int port : new int[] {apiPort, dynamoDbPort, sqsPort, sfnPort}) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port " + port + " is not a port (0 means any free one)");
            }
        }
    }
}
