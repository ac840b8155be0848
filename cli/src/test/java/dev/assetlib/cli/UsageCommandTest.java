package dev.assetlib.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.cli.CliRunner.Result;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** usage against a local stack with account limits on (QuotaInReview=7): both outputs, read back after uploads. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class UsageCommandTest {
    static final String SAMPLES = dev.assetlib.local.api.SampleOrigin.base();
    @RegisterExtension
    static final LocalStackExtension STACK = LocalStackExtension.limits();

    static CliRunner cli() {
        return CliRunner.against(STACK.endpoint(), LocalStackExtension.LIMITS_KEY);
    }

    @Test
    void usageShowsTheLimitsAndTheCountsOfTheAccountsUploadsAsATableAndAsJson() {
        JsonNode before = cli().run("usage", "-o", "json").json();
        assertThat(before.path("accountId").asText()).isEqualTo("cli-limits");
        assertThat(before.path("enforced").asBoolean()).isTrue();
        assertThat(before.at("/limits/inReview").asLong()).isEqualTo(7);
        assertThat(before.at("/limits/uploadsPerSecond").asLong()).isEqualTo(30);
        long uploads = before.at("/usage/uploadsToday").asLong();
        long stored = before.at("/usage/storedAssets").asLong();

        String run = UUID.randomUUID().toString().substring(0, 8);
        Result up = cli().run("upload", SAMPLES + "usage/" + run + "/a.png", SAMPLES + "usage/" + run + "/b.png", "--wait",
                "--interval", "50ms", "-o", "json");
        assertThat(up.exit()).as(up.toString()).isEqualTo(ExitCodes.OK);

        Result json = cli().run("usage", "-o", "json");
        assertThat(json.exit()).isEqualTo(ExitCodes.OK);
        JsonNode after = json.json();
        assertThat(after.at("/usage/uploadsToday").asLong()).isEqualTo(uploads + 2);
        assertThat(after.at("/usage/storedAssets").asLong()).isEqualTo(stored + 2);
        assertThat(after.at("/usage/inReview").asLong()).isZero(); // both are Active
        assertThat(after.at("/usage/storedBytes").asLong()).isPositive(); // their stored copies
        assertThat(after.path("day").asText()).matches("\\d{4}-\\d{2}-\\d{2}");

        Result table = cli().run("usage");
        assertThat(table.exit()).isEqualTo(ExitCodes.OK);
        assertThat(table.out()).contains("account cli-limits, UTC day " + after.path("day").asText() + ", limits enforced")
                .containsPattern("inReview\\s+0\\s+7\\s+7")
                .containsPattern("storedAssets\\s+" + (stored + 2) + "\\s+100000")
                .containsPattern("uploadsPerDay\\s+" + (uploads + 2) + "\\s+10000")
                .contains("storedBytes", Long.toString(after.at("/usage/storedBytes").asLong()), "(100 GiB)")
                .containsPattern("uploadsPerSecond\\s+30").containsPattern("readsPerSecond\\s+100");
        Result quiet = cli().run("usage", "-q");
        assertThat(quiet.out().lines()).contains("inReview 0 7", "uploadsPerDay " + (uploads + 2) + " 10000");
    }

    @Test
    void usageTakesNoArgumentsAndADeadEndpointIsAServiceErrorNamingIt() {
        Result extra = cli().run("usage", "now");
        assertThat(extra.exit()).isEqualTo(ExitCodes.USAGE);
        Result dead = CliRunner.against("http://127.0.0.1:9", LocalStackExtension.LIMITS_KEY).run("usage");
        assertThat(dead.exit()).isEqualTo(ExitCodes.SERVICE);
        assertThat(dead.err()).contains("http://127.0.0.1:9");
        Result wrongKey = CliRunner.against(STACK.endpoint(), LocalStackExtension.key("cliNobody")).run("usage", "-o", "json");
        assertThat(wrongKey.exit()).isEqualTo(ExitCodes.SERVICE);
        assertThat(wrongKey.err()).contains("HTTP 401");
        assertThat(wrongKey.out()).isEmpty();
    }
}
