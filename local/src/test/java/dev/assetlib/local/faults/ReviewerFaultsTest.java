package dev.assetlib.local.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assetlib.local.RunningStack;
import dev.assetlib.local.api.SampleOrigin;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The upstream reviewer misbehaving for several rounds: the front stack reviews through another
 * local stack (the upstream library, simulated reviewer) behind a {@link FaultProxy} that answers
 * 429, 500, 502 and 503, garbage with 200, and answers later than the reviewer's time-out, for a
 * scripted window of the review's submissions and polls. Every fault is transient, so every
 * asset ends as the upstream decided (Active, or Failed by its reject rule), with one completion.
 */
@Tag("faults")
class ReviewerFaultsTest {
    static final String FRONT_KEY = "alk_reviewerFaultsFront000000000000000000000001";
    static final String UPSTREAM_KEY = "alk_reviewerFaultsUpstream000000000000000000001";

    @Test
    void upstreamThrottlingErrorsGarbageAndTimeOutsForSeveralRoundsLoseNothing() throws Exception {
        String samples = SampleOrigin.base();
        try (RunningStack upstream = RunningStack.start(RunningStack.Hooks.NONE, "--api-port=0", "--dynamodb-port=0", "--sqs-port=0",
                "--sfn-port=0", "--s3-port=0", "--project-dir=..", "--time-scale=0.01", "--review-delay=20s",
                "--dev-key", UPSTREAM_KEY + "=front-service", "--reject", "rejected=Rejected upstream: injected rule");
             FaultProxy proxy = FaultProxy.start(upstream.apiEndpoint());
             RunningStack front = RunningStack.start(RunningStack.Hooks.NONE, "--api-port=0", "--dynamodb-port=0", "--sqs-port=0",
                "--sfn-port=0", "--s3-port=0", "--project-dir=..", "--time-scale=0.01", "--reviewer", "upstream",
                "--upstream-allow-http", "--upstream-url", proxy.endpoint() + "/kyyReactApiServer", "--upstream-key", UPSTREAM_KEY,
                "--dev-key", FRONT_KEY + "=team")) {
            Duration window = Duration.ofSeconds(15);
            int many = 10_000;
            proxy.inject(c -> true, FaultProxy.status(429, "application/json",
                    "{\"code\":42900,\"msg\":\"rate limit (injected by FaultProxy)\",\"data\":null}"), many, window, 2);
            proxy.inject(c -> true, FaultProxy.status(500, "application/json",
                    "{\"code\":50000,\"msg\":\"internal error (injected by FaultProxy)\",\"data\":null}"), many, window, 3);
            proxy.inject(c -> true, FaultProxy.status(502, "text/html", "<html>Bad Gateway</html>"), many, window, 4);
            proxy.inject(c -> true, FaultProxy.status(200, "application/json", "{\"code\":0,\"data\":{\"garbage"), many, window, 5);
            proxy.inject(c -> true, FaultProxy.serviceUnavailable(), many, window, 6);
            proxy.inject(c -> true, new FaultProxy.Delay(Duration.ofSeconds(6)), 3, window, 7); // past the 5 s time-out

            FaultClient client = new FaultClient(front.apiEndpoint(), FRONT_KEY);
            for (int i = 0; i < 6; i++) {
                client.upload(samples + "upstream-" + i + ".jpg", "upstream " + i);
                client.batch(List.of(samples + "upstream-" + i + "-a.jpg", samples + "upstream-" + i + "-rejected.jpg"));
            }
            Invariant.Outcome outcome = Invariant.holds(front, List.of(client), Duration.ofMinutes(4));
            assertThat(proxy.injected()).as("faults the upstream reviewer met").isGreaterThan(10);
            assertThat(outcome.assets()).hasSize(18);
            outcome.assets().forEach((id, a) -> assertThat(a.get("status").s()).as("%s", a)
                    .isEqualTo(a.get("url").s().contains("rejected") ? "Failed" : "Active"));
            System.out.printf("faults: upstream reviewer: %d faults injected, %d forwarded, %d assets, %d Active, %d Failed%n",
                    proxy.injected(), proxy.forwarded(), outcome.assets().size(), outcome.count("Active"), outcome.count("Failed"));
        }
    }
}
