package dev.assetlib.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The flags of ./run-local, parsed as the command parses them. */
class LocalStackOptionsTest {
    static final String KEY_A = "alk_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    static final String KEY_B = "alk_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    @Test
    void defaultsAreTheConventionalPortsAndOneRandomDevKey() {
        StackSettings s = LocalStack.settings("--project-dir=..");

        assertThat(s.apiPort()).isEqualTo(3000);
        assertThat(s.dynamoDbPort()).isEqualTo(8000);
        assertThat(s.sqsPort()).isEqualTo(9324);
        assertThat(s.sfnPort()).isEqualTo(8083);
        assertThat(s.devKeys()).singleElement().satisfies(k -> {
            assertThat(k.accountId()).isEqualTo("dev");
            assertThat(k.key()).matches("alk_[A-Za-z0-9_-]{43}");
        });
        assertThat(s.reviewDelay()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.deadline()).isEqualTo(Duration.ofHours(24));
        assertThat(s.authorizerCache()).isEqualTo(Duration.ofSeconds(300));
        assertThat(s.timeScale()).isEqualTo(1.0);
        assertThat(s.rejectRules()).isEmpty();
    }

    @Test
    void everyDevKeyIsAnAccountOfItsOwn() {
        StackSettings s = LocalStack.settings("--project-dir=..", "--dev-key", KEY_A, "--dev-key", KEY_B + "=team-b",
                "--dev-key", "alk_ccccccccccccccccccccccccccccccccccccccccccc");

        assertThat(s.devKeys()).extracting(DevKey::accountId).containsExactly("dev", "team-b", "dev-2");
    }

    @Test
    void rejectRulesDurationsAndScaleAreParsed() {
        StackSettings s = LocalStack.settings("--project-dir=..", "--reject", "nsfw=Explicit content", "--reject", "a=b=c",
                "--review-delay", "500ms", "--deadline", "10m", "--time-scale", "0.01", "--authorizer-cache", "0");

        assertThat(s.rejectRules()).extracting(r -> r.pattern().pattern()).containsExactly("nsfw", "a");
        assertThat(s.rejectRules()).extracting(r -> r.reason()).containsExactly("Explicit content", "b=c");
        assertThat(s.reviewDelay()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.deadline()).isEqualTo(Duration.ofMinutes(10));
        assertThat(s.timeScale()).isEqualTo(0.01);
        assertThat(s.authorizerCache()).isZero();
    }

    @Test
    void parametersWithoutAFlagOfTheirOwnCanBeOverridden() {
        StackSettings s = LocalStack.settings("--project-dir=..", "--parameter", "PollFirstSeconds=5",
                "--parameter", "PollGrowthFactor=1,PollMaxSeconds=5");

        assertThat(s.parameters()).containsExactlyInAnyOrderEntriesOf(
                java.util.Map.of("PollFirstSeconds", "5", "PollGrowthFactor", "1", "PollMaxSeconds", "5"));
        assertThatThrownBy(() -> LocalStack.settings("--project-dir=..", "--parameter", "PollFirstSeconds"))
                .hasMessageContaining("NAME=VALUE");
        assertThatThrownBy(() -> LocalStack.settings("--project-dir=..", "--parameter", "SimulatedReviewDelaySeconds=5"))
                .hasMessageContaining("--review-delay");
    }

    @Test
    void badValuesFailSayingWhatToChange() {
        assertThatThrownBy(() -> LocalStack.settings("--project-dir=..", "--review-delay", "soon"))
                .hasMessageContaining("--review-delay").hasMessageContaining("500ms");
        assertThatThrownBy(() -> LocalStack.settings("--project-dir=..", "--reject", "no-reason"))
                .hasMessageContaining("REGEX=REASON");
        assertThatThrownBy(() -> LocalStack.settings("--project-dir=..", "--reject", "[=x"))
                .hasMessageContaining("not a regular expression");
        assertThatThrownBy(() -> LocalStack.settings("--project-dir=..", "--dev-key", "secret"))
                .hasMessageContaining("alk_");
        assertThatThrownBy(() -> LocalStack.settings("--project-dir=..", "--time-scale", "0"))
                .hasMessageContaining("--time-scale");
        assertThatThrownBy(() -> LocalStack.settings("--project-dir=..", "--deadline", "5s"))
                .hasMessageContaining("--deadline");
    }

    @Test
    void anEnvironmentVariableOrSystemPropertyStandsInForAFlag() {
        System.setProperty("ASSETLIB_API_PORT", "3999");
        try {
            assertThat(LocalStack.settings("--project-dir=..").apiPort()).isEqualTo(3999);
            assertThat(LocalStack.settings("--project-dir=..", "--api-port=4000").apiPort()).isEqualTo(4000);
        } finally {
            System.clearProperty("ASSETLIB_API_PORT");
        }
    }

    @Test
    void theScaledClockRunsFasterByTheInverseOfTheScale() throws InterruptedException {
        Clock clock = ScaledClock.of(0.01);
        Instant before = clock.instant();
        Thread.sleep(50);
        // At least 50 ms real passed, so at least 5 s virtual: a lower bound, never flaky.
        assertThat(Duration.between(before, clock.instant())).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
        assertThat(ScaledClock.of(1)).isEqualTo(Clock.systemUTC());
    }

    @Test
    void reviewerFlagsChooseAndPointTheReviewer() {
        StackSettings plain = LocalStack.settings("--project-dir=..");
        assertThat(plain.reviewer()).isEqualTo("simulated");
        assertThat(plain.reviewerKeys()).isEmpty();

        StackSettings upstream = LocalStack.settings("--project-dir=..", "--reviewer", "upstream", "--upstream-allow-http",
                "--upstream-url", "http://127.0.0.1:3001", "--upstream-key", KEY_B);
        assertThat(upstream.upstreamUrl()).hasToString("http://127.0.0.1:3001");
        assertThat(upstream.upstreamAllowHttp()).isTrue();
        // Plain http carries the upstream key in clear: only with the explicit allowance (issue 15, item 8).
        assertThatThrownBy(() -> LocalStack.settings("--project-dir=..", "--reviewer", "upstream",
                "--upstream-url", "http://127.0.0.1:3001", "--upstream-key", KEY_B)).hasMessageContaining("--upstream-allow-http");
        assertThat(upstream.upstreamKey()).isEqualTo(KEY_B);

        StackSettings human = LocalStack.settings("--project-dir=..", "--reviewer", "human", "--dev-key", KEY_A + "=studio");
        assertThat(human.reviewerKeys()).singleElement().satisfies(k -> assertThat(k.accountId()).isEqualTo("studio"));
        StackSettings fixed = LocalStack.settings("--project-dir=..", "--reviewer", "human", "--reviewer-key", KEY_B + "=studio");
        assertThat(fixed.reviewerKeys()).extracting(DevKey::key).containsExactly(KEY_B);
    }

    @Test
    void badReviewerFlagsFailSayingWhatToChange() {
        assertThatThrownBy(() -> LocalStack.settings("--project-dir=..", "--reviewer", "someone"))
                .hasMessageContaining("simulated, upstream, human or rekognition");
        // There is no local Rekognition: the rekognition reviewer needs a stand-in, and only it takes one.
        assertThatThrownBy(() -> LocalStack.settings("--project-dir=..", "--reviewer", "rekognition"))
                .hasMessageContaining("--rekognition-endpoint");
        assertThatThrownBy(() -> LocalStack.settings("--project-dir=..", "--rekognition-endpoint", "http://127.0.0.1:9"))
                .hasMessageContaining("--reviewer rekognition only");
        assertThatThrownBy(() -> LocalStack.settings("--project-dir=..", "--reviewer", "upstream"))
                .hasMessageContaining("--upstream-url").hasMessageContaining("--upstream-key");
        assertThatThrownBy(() -> LocalStack.settings("--project-dir=..", "--reviewer", "upstream",
                "--upstream-url", "ftp://x", "--upstream-key", KEY_B)).hasMessageContaining("http(s)");
        assertThatThrownBy(() -> LocalStack.settings("--project-dir=..", "--upstream-url", "http://x", "--upstream-key", KEY_B))
                .hasMessageContaining("--reviewer upstream only");
        assertThatThrownBy(() -> LocalStack.settings("--project-dir=..", "--reviewer-key", KEY_B))
                .hasMessageContaining("KEY=ACCOUNT");
        assertThatThrownBy(() -> LocalStack.settings("--project-dir=..", "--dev-key", KEY_A, "--reviewer-key", KEY_A + "=dev"))
                .hasMessageContaining("both");
    }

    @Test
    void theRekognitionReviewerTakesAStandInsEndpointAReviewerKeyAndAModerationPolicyFileCheckedAtStart(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        StackSettings rek = LocalStack.settings("--project-dir=..", "--reviewer", "rekognition",
                "--rekognition-endpoint", "http://127.0.0.1:4599", "--dev-key", KEY_A + "=studio");
        assertThat(rek.rekognitionEndpoint()).hasToString("http://127.0.0.1:4599");
        assertThat(rek.reviewerKeys()).singleElement().satisfies(k -> assertThat(k.accountId()).isEqualTo("studio"));

        java.nio.file.Path good = java.nio.file.Files.writeString(dir.resolve("policy.json"), "{\"faces\": {\"max\": 2}}\n");
        StackSettings withPolicy = LocalStack.settings("--project-dir=..", "--reviewer", "rekognition",
                "--rekognition-endpoint", "http://127.0.0.1:4599", "--moderation-policy", good.toString());
        assertThat(withPolicy.parameters()).containsEntry("ModerationPolicy", "{\"faces\": {\"max\": 2}}");

        java.nio.file.Path bad = java.nio.file.Files.writeString(dir.resolve("bad.json"), "{\"faces\": {\"max\": \"two\"}}");
        assertThatThrownBy(() -> LocalStack.settings("--project-dir=..", "--reviewer", "rekognition",
                "--rekognition-endpoint", "http://127.0.0.1:4599", "--moderation-policy", bad.toString()))
                .hasMessageContaining("--moderation-policy").hasMessageContaining("faces.max");
        assertThatThrownBy(() -> LocalStack.settings("--project-dir=..", "--moderation-policy", dir.resolve("missing.json").toString()))
                .hasMessageContaining("cannot read it");
    }
}
