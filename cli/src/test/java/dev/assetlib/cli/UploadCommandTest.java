package dev.assetlib.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.cli.CliRunner.Result;
import dev.assetlib.cli.term.Terminal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code assetlib upload} against the real local stack: files, one URL, a batch, --wait to Active and to Failed. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class UploadCommandTest {
    /** Sample media on the JVM's allow-listed sample origin (the media step fetches every URL). */
    static final String SAMPLES = dev.assetlib.local.api.SampleOrigin.base();
    @RegisterExtension
    static final LocalStackExtension STACK = LocalStackExtension.simulated();

    @TempDir
    Path dir;

    CliRunner cli() {
        return CliRunner.against(STACK.endpoint(), LocalStackExtension.UPLOADER_KEY);
    }

    static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void localPngFileGoesThroughTheUploadUrlAndWaitsToActiveWithItsReference() throws Exception {
        Path png = TestMedia.png(dir, "portrait.png");

        Result r = cli().run("upload", png.toString(), "--wait", "--interval", "50ms");

        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        String line = r.out().lines().filter(l -> l.contains("portrait.png")).findFirst().orElseThrow();
        assertThat(line).contains("Image", "Active", "asset://asset-");
        String id = line.split("\\s+")[1];
        JsonNode detail = cli().run("get", id, "-o", "json").json();
        assertThat(detail.path("status").asText()).isEqualTo("Active");
        assertThat(detail.path("assetType").asText()).isEqualTo("Image");
        assertThat(detail.path("url").asText()).startsWith("s3://").endsWith("/" + id); // the object, PUT to the bucket
        assertThat(detail.path("reference").asText()).isEqualTo("asset://" + id);
    }

    @Test
    void jsonOutputOfAFileUploadIsOneDocumentWithEveryFieldOfEachAsset() throws Exception {
        Path png = TestMedia.png(dir, "json.png");

        Result r = cli().run("upload", png.toString(), "--name", "json " + unique(), "--wait", "--interval", "50ms", "-o", "json");

        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        JsonNode assets = r.json().path("assets");
        assertThat(assets).hasSize(1);
        JsonNode a = assets.get(0);
        assertThat(a.fieldNames()).toIterable()
                .containsExactly("source", "assetId", "assetType", "status", "reference", "errorCode", "errorMessage");
        assertThat(a.path("source").asText()).isEqualTo(png.toString());
        assertThat(a.path("status").asText()).isEqualTo("Active");
        assertThat(a.path("reference").asText()).isEqualTo("asset://" + a.path("assetId").asText());
        assertThat(a.path("errorCode").isNull()).isTrue();
    }

    @Test
    void oneUrlUsesTheSeedanceRouteWithItsNameAndWaitsToActive() {
        String name = "portrait " + unique();

        Result r = cli().run("upload", SAMPLES + "cli/" + unique() + "/portrait.jpg", "--name", name,
                "--wait", "--interval", "50ms", "-o", "json");

        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        String id = r.json().path("assets").get(0).path("assetId").asText();
        JsonNode detail = cli().run("get", id, "-o", "json").json();
        assertThat(detail.path("name").asText()).isEqualTo(name);
        JsonNode created = cli().run("history", id, "-o", "json").json().path("events").get(0);
        assertThat(created.path("reason").asText()).isEqualTo("uploaded"); // a single upload, not a batch
    }

    @Test
    void severalUrlsAreOneSd2BatchAndTheRejectedOneEndsFailedWithItsReasonAndExitStatus1() {
        String run = unique();
        String good = SAMPLES + "cli/" + run + "/a.png";
        String bad = SAMPLES + "rejected-by-cli-test/" + run + "/b.jpg";
        String clip = SAMPLES + "cli/" + run + "/clip.mp4";

        Result r = cli().run("upload", good, bad, clip, "--name", "batch " + run, "--wait", "--interval", "50ms");

        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.FAILED);
        List<String> lines = r.out().lines().toList();
        assertThat(lines.stream().filter(l -> l.startsWith(good)).findFirst().orElseThrow()).contains("Image", "Active", "asset://");
        assertThat(lines.stream().filter(l -> l.startsWith(clip)).findFirst().orElseThrow()).contains("Video", "Active");
        assertThat(lines.stream().filter(l -> l.startsWith(bad)).findFirst().orElseThrow())
                .contains("Failed", "REVIEW_REJECTED", LocalStackExtension.REJECT_REASON);

        JsonNode listed = cli().run("list", "--name", "batch " + run, "--all", "-o", "json").json().path("items");
        assertThat(listed).hasSize(3); // every asset of the batch got the name
        String anyId = listed.get(0).path("assetId").asText();
        assertThat(cli().run("history", anyId, "-o", "json").json().path("events").get(0).path("reason").asText())
                .startsWith("uploaded in a batch of 3");
    }

    @Test
    void quietWaitPrintsOnlyTheReferenceOnStdout() {
        Result r = cli().run("upload", SAMPLES + "cli/" + unique() + "/q.webp", "--wait", "--interval", "50ms", "--quiet");

        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        assertThat(r.out().strip()).matches("asset://asset-\\d{14}-[a-z0-9]{5}");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void failedUploadWithJsonOutputCarriesTheReasonAndExitStatus1() {
        Result r = cli().run("upload", SAMPLES + "rejected-by-cli-test/" + unique() + ".png", "--wait",
                "--interval", "50ms", "-o", "json");

        assertThat(r.exit()).isEqualTo(ExitCodes.FAILED);
        JsonNode a = r.json().path("assets").get(0);
        assertThat(a.path("status").asText()).isEqualTo("Failed");
        assertThat(a.path("errorCode").asText()).isEqualTo("REVIEW_REJECTED");
        assertThat(a.path("errorMessage").asText()).contains(LocalStackExtension.REJECT_REASON);
        assertThat(a.path("reference").isNull()).isTrue();
    }

    @Test
    void withoutWaitTheAssetIsReportedAsAcceptedAndWaitFinishesIt() {
        Result r = cli().run("upload", SAMPLES + "cli/" + unique() + "/later.gif", "-q");
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        String id = r.out().strip();
        assertThat(id).matches("asset-\\d{14}-[a-z0-9]{5}");

        Result waited = cli().run("wait", id, "--interval", "50ms");
        assertThat(waited.exit()).as(waited.toString()).isEqualTo(0);
        assertThat(waited.out()).contains(id, "Active", "asset://" + id);
        JsonNode json = cli().run("wait", id, "-o", "json").json();
        assertThat(json.path("assets").get(0).path("reference").asText()).isEqualTo("asset://" + id);
    }

    @Test
    void runningTheSameUrlUploadAgainAnswersTheSameAssetUnlessToldOtherwise() {
        String url = SAMPLES + "cli/" + unique() + "/again.jpg";

        String first = cli().run("upload", url, "-q").out().strip();
        Result again = cli().run("upload", url);
        String fresh = cli().run("upload", url, "-q", "--no-idempotency-key").out().strip();
        String keyed = cli().run("upload", url, "-q", "--idempotency-key", "k-" + unique()).out().strip();

        assertThat(again.out()).contains(first);
        assertThat(again.err()).contains("this upload ran before");
        assertThat(fresh).isNotEqualTo(first).matches("asset-.*");
        assertThat(keyed).isNotEqualTo(first).isNotEqualTo(fresh).matches("asset-.*");
    }

    @Test
    void typeIsGuessedFromTheContentNotTheName() throws Exception {
        Path png = TestMedia.png(dir, "image-with-odd-name.bin");
        Path doc = Files.write(dir.resolve("notes.jpg"), "plain text, not an image".getBytes());

        JsonNode assets = cli().run("upload", png.toString(), doc.toString(), "-o", "json").json().path("assets");

        assertThat(assets.get(0).path("assetType").asText()).isEqualTo("Image");
        assertThat(assets.get(1).path("assetType").asText()).isEqualTo("Document");
    }

    @Test
    void aTypeTheContentContradictsIsAUsageErrorAndCreatesNothing() throws Exception {
        Path png = TestMedia.png(dir, "p.png");
        String name = "contradicted " + unique();

        Result r = cli().run("upload", png.toString(), "--type", "Video", "--name", name);

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("image/png", "not a Video");
        assertThat(cli().run("list", "--name", name, "-o", "json").json().path("items")).isEmpty();
    }

    @Test
    void progressBarIsDrawnOnATerminalStderrAndNotOnAPipe() throws Exception {
        Path png = TestMedia.png(dir, "progress.png");

        Result onTerminal = cli().terminal(new Terminal(false, true, true, 100)).run("upload", png.toString());
        Result onPipe = cli().run("upload", png.toString());

        assertThat(onTerminal.exit()).isEqualTo(0);
        assertThat(onTerminal.err()).contains("\rprogress.png [", "100%", "/s", "done");
        assertThat(onTerminal.out()).doesNotContain("%"); // progress never on stdout
        assertThat(onPipe.exit()).isEqualTo(0);
        assertThat(onPipe.err()).isEmpty();
    }

    @Test
    void liveStatusLinesAreDrawnWhileWaitingOnATerminalOnly() {
        String url = SAMPLES + "cli/" + unique() + "/live.png";
        Result r = cli().terminal(new Terminal(false, true, true, 100)).run("upload", url, "--wait", "--interval", "50ms");

        assertThat(r.exit()).isEqualTo(0);
        assertThat(r.err()).contains("\u001b[2K").contains("Active");
        assertThat(r.out()).doesNotContain("\u001b["); // stdout is a pipe here: no colour
        assertThat(r.err()).contains("\u001b[32mActive");

        Result plain = cli().terminal(new Terminal(true, true, true, 100)).run("upload", url, "--wait", "--interval", "50ms", "--no-color");
        assertThat(plain.err()).contains("\u001b[2K").doesNotContain("\u001b[32m");
        assertThat(plain.out()).doesNotContain("\u001b[");
        Result coloured = cli().terminal(new Terminal(true, false, true, 100)).run("upload", url);
        assertThat(coloured.out()).contains("\u001b[");
    }

    @Test
    void usageErrorsExit2BeforeAnythingIsSent() throws Exception {
        Path png = TestMedia.png(dir, "u.png");
        assertThat(cli().run("upload", dir.resolve("missing.jpg").toString()).err()).contains("no such file");
        assertThat(cli().run("upload", dir.resolve("missing.jpg").toString()).exit()).isEqualTo(ExitCodes.USAGE);
        Result key = cli().run("upload", png.toString(), "--idempotency-key", "k1");
        assertThat(key.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(key.err()).contains("--idempotency-key is for URL uploads only");
        assertThat(cli().run("upload", SAMPLES + "x.png", "--type", "image").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli().run("upload").exit()).isEqualTo(ExitCodes.USAGE);
        Path empty = Files.createFile(dir.resolve("empty.png"));
        assertThat(cli().run("upload", empty.toString()).err()).contains("empty");
    }

    @Test
    void aUrlTheServiceRefusesInABatchIsReportedRefusedWithItsReason() {
        String run = unique();
        Result r = cli().run("upload", SAMPLES + "cli/" + run + "/ok.png", "https://user:pw@example.com/" + run + ".png",
                "--type", "Image", "-o", "json");

        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.FAILED);
        JsonNode refused = r.json().path("assets").get(1);
        assertThat(refused.path("status").asText()).isEqualTo("Refused");
        assertThat(refused.path("assetId").isNull()).isTrue();
        assertThat(refused.path("errorMessage").asText()).isNotBlank();
        assertThat(r.json().path("assets").get(0).path("status").asText()).isIn("submitted", "Processing");
    }
}
