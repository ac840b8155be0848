package dev.assetlib.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.cli.CliRunner.Result;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** review pending / approve / reject with a reviewer key, against a local stack with the human review queue. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ReviewCommandsTest {
    /** Sample media on the JVM's allow-listed sample origin (the media step fetches every URL). */
    static final String SAMPLES = dev.assetlib.local.api.SampleOrigin.base();
    @RegisterExtension
    static final LocalStackExtension STACK = LocalStackExtension.human();

    static CliRunner uploader() {
        return CliRunner.against(STACK.endpoint(), LocalStackExtension.UPLOADER_KEY);
    }

    static CliRunner reviewer() {
        return CliRunner.against(STACK.endpoint(), LocalStackExtension.REVIEWER_KEY);
    }

    @Test
    void aReviewerApprovesOneAndRejectsOneAndWaitShowsTheOutcome() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        JsonNode up = uploader().run("upload", SAMPLES + "review/" + run + "/a.png", SAMPLES + "review/" + run + "/b.png",
                "-o", "json").json();
        String a = up.path("assets").get(0).path("assetId").asText();
        String b = up.path("assets").get(1).path("assetId").asText();

        // the batch reaches the queue at its first review step
        JsonNode pending = null;
        for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); System.nanoTime() < end; Thread.sleep(50)) {
            pending = reviewer().run("review", "pending", "--all", "-o", "json").json();
            if (pending.path("items").findValuesAsText("assetId").containsAll(java.util.List.of(a, b))) {
                break;
            }
        }
        assertThat(pending.path("items").findValuesAsText("assetId")).contains(a, b);
        Result table = reviewer().run("review", "pending", "--all");
        assertThat(table.exit()).isEqualTo(0);
        assertThat(table.out()).startsWith("ASSET").contains(a, b, SAMPLES + "review/" + run + "/a.png");

        Result approved = reviewer().run("review", "approve", a);
        JsonNode rejected = reviewer().run("review", "reject", b, "--reason", "real-person face without a release " + run, "-o", "json").json();
        assertThat(approved.exit()).as(approved.toString()).isEqualTo(0);
        assertThat(approved.out()).contains("approved " + a);
        assertThat(rejected.path("decision").asText()).isEqualTo("reject");
        assertThat(rejected.path("assetId").asText()).isEqualTo(b);

        Result waited = uploader().run("wait", a, b, "--interval", "50ms");
        assertThat(waited.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(waited.out()).contains("asset://" + a).contains("REVIEW_REJECTED: real-person face without a release " + run);

        Result twice = reviewer().run("review", "approve", a);
        assertThat(twice.exit()).isEqualTo(ExitCodes.SERVICE);
        assertThat(twice.err()).contains("HTTP 409");
    }

    @Test
    void reviewRoutesRefuseAnUploaderKeyWithTheServicesMessage() {
        Result r = uploader().run("review", "pending");
        assertThat(r.exit()).isEqualTo(ExitCodes.SERVICE);
        assertThat(r.err()).contains("HTTP 403");
    }

    @Test
    void rejectWithoutAReasonIsAUsageError() {
        Result r = reviewer().run("review", "reject", "asset-20260330142158-q75m8");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--reason");
    }
}
