package dev.assetlib.local;

import dev.assetlib.review.RejectRule;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the local stack is started with, already parsed and checked. Ports may be 0 (any free
 * port: the tests' choice). Times are virtual (see {@link ScaledClock}) except the authorizer cache,
 * which is API Gateway's. {@code parameters} overrides other template parameters by name (the
 * template refuses a name it does not declare).
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
        Duration authorizerCache,
        String reviewer,
        URI upstreamUrl,
        String upstreamKey,
        List<DevKey> reviewerKeys,
        int s3Port,
        Path dataDir,
        Duration uploadWait,
        Map<String, String> parameters,
        boolean inMemory,
        boolean upstreamAllowHttp,
        List<String> fetchAllow,
        URI rekognitionEndpoint) {

    static final java.util.Set<String> REVIEWERS = java.util.Set.of("simulated", "upstream", "human", "rekognition");

    /** Parameters with a flag of their own: --parameter may not name them. */
    static final Set<String> FLAG_PARAMETERS = Set.of("ReviewDeadlineSeconds", "SimulatedReviewDelaySeconds",
            "SimulatedRejectRules", "AuthorizerCacheSeconds", "Reviewer", "UpstreamBaseUrl");

    StackSettings {
        devKeys = List.copyOf(devKeys);
        rejectRules = List.copyOf(rejectRules);
        parameters = Map.copyOf(parameters);
        for (String name : parameters.keySet()) {
            if (FLAG_PARAMETERS.contains(name)) {
                throw new IllegalArgumentException("--parameter " + name + ": set it with its own flag "
                        + "(--deadline, --review-delay, --reject, --authorizer-cache, --reviewer or --upstream-url)");
            }
        }
        reviewerKeys = List.copyOf(reviewerKeys);
        fetchAllow = List.copyOf(fetchAllow);
        if (!REVIEWERS.contains(reviewer)) {
            throw new IllegalArgumentException("--reviewer \"" + reviewer + "\": use simulated, upstream, human or rekognition");
        }
        // There is no local Rekognition: the rekognition reviewer needs a stand-in's endpoint.
        if (reviewer.equals("rekognition") && rekognitionEndpoint == null) {
            throw new IllegalArgumentException("--reviewer rekognition needs --rekognition-endpoint URL (a stand-in speaking"
                    + " Rekognition's JSON protocol: there is no local Rekognition)");
        }
        if (!reviewer.equals("rekognition") && rekognitionEndpoint != null) {
            throw new IllegalArgumentException("--rekognition-endpoint is for --reviewer rekognition only");
        }
        if (reviewer.equals("upstream") && (upstreamUrl == null || upstreamKey == null || upstreamKey.isBlank())) {
            throw new IllegalArgumentException("--reviewer upstream needs --upstream-url URL (the other library, e.g. "
                    + "https://assets.example.com) and --upstream-key KEY (an API key of that library)");
        }
        if (!reviewer.equals("upstream") && (upstreamUrl != null || upstreamKey != null)) {
            throw new IllegalArgumentException("--upstream-url and --upstream-key are for --reviewer upstream only");
        }
        if (upstreamUrl != null && "http".equals(upstreamUrl.getScheme()) && !upstreamAllowHttp) {
            throw new IllegalArgumentException("--upstream-url " + upstreamUrl + ": plain http would send the upstream key"
                    + " in clear; use https://, or add --upstream-allow-http for an upstream on this machine");
        }
        if (reviewerKeys.stream().anyMatch(k -> k.accountId() == null)) {
            throw new IllegalArgumentException("--reviewer-key needs KEY=ACCOUNT: a reviewer reviews one account's assets");
        }
        java.util.Set<String> uploaderKeys = new java.util.HashSet<>();
        devKeys.forEach(d -> uploaderKeys.add(d.key()));
        if (reviewerKeys.stream().anyMatch(r -> uploaderKeys.contains(r.key()))) {
            throw new IllegalArgumentException("a key cannot be both a --dev-key (uploader) and a --reviewer-key");
        }
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
        if (uploadWait.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("--upload-wait must be at least 1m (the template's minimum); "
                    + "use --time-scale to make it pass faster");
        }
        for (int port : new int[] {apiPort, dynamoDbPort, sqsPort, sfnPort, s3Port}) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port " + port + " is not a port (0 means any free one)");
            }
        }
    }
}
