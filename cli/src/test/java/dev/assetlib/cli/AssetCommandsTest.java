package dev.assetlib.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.cli.CliRunner.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** status, get, list, history, rename, delete, resolve: each with table and json output, against the real local stack. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AssetCommandsTest {
    /** Sample media on the JVM's allow-listed sample origin (the media step fetches every URL). */
    static final String SAMPLES = dev.assetlib.local.api.SampleOrigin.base();
    @RegisterExtension
    static final LocalStackExtension STACK = LocalStackExtension.simulated();

    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static String active;
    static String failed;

    @TempDir
    Path dir;

    static CliRunner cli() {
        return CliRunner.against(STACK.endpoint(), LocalStackExtension.UPLOADER_KEY);
    }

    @BeforeAll
    static void twoDecidedAssets() {
        Result r = cli().run("upload", SAMPLES + "cli/" + RUN + "/ok.png", SAMPLES + "rejected-by-cli-test/" + RUN + ".png",
                "--name", "managed " + RUN, "--wait", "--interval", "50ms", "-o", "json");
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.FAILED);
        active = r.json().path("assets").get(0).path("assetId").asText();
        failed = r.json().path("assets").get(1).path("assetId").asText();
    }

    @Test
    void statusShowsReferencesReasonsAndUnknownIdsInBothOutputs() {
        String unknown = "asset-20200101000000-zzzzz";
        Result table = cli().run("status", active, failed, unknown);
        Result json = cli().run("status", active, failed, unknown, "-o", "json");

        assertThat(table.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(table.out()).contains(active + "  -     Active    asset://" + active)
                .contains("REVIEW_REJECTED: " + LocalStackExtension.REJECT_REASON).contains(unknown, "NotFound");
        JsonNode assets = json.json().path("assets");
        assertThat(assets.get(0).path("status").asText()).isEqualTo("Active");
        assertThat(assets.get(1).path("errorCode").asText()).isEqualTo("REVIEW_REJECTED");
        assertThat(assets.get(2).path("status").asText()).isEqualTo("NotFound");
        assertThat(json.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(cli().run("status", active).exit()).isEqualTo(0);
    }

    @Test
    void getShowsTheDetailInBothOutputs() {
        Result table = cli().run("get", failed);
        JsonNode json = cli().run("get", failed, "-o", "json").json();

        assertThat(table.exit()).isEqualTo(0);
        assertThat(table.out()).containsPattern("\\nstatus +Failed\\n").containsPattern("\\nerrorCode +REVIEW_REJECTED\\n")
                .containsPattern("\\nname +managed " + RUN + "\\n");
        assertThat(json.path("assetId").asText()).isEqualTo(failed);
        assertThat(json.path("errorMessage").asText()).contains(LocalStackExtension.REJECT_REASON);
        assertThat(json.has("reference")).isFalse();
    }

    @Test
    void getOfAnUnknownAssetShowsTheServicesMessageWithItsStatusAndExits3() {
        Result r = cli().run("get", "asset-20200101000000-zzzzz");

        assertThat(r.exit()).isEqualTo(ExitCodes.SERVICE);
        assertThat(r.err()).contains("HTTP 404 (code 40400)", "asset asset-20200101000000-zzzzz not found");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void listFollowsEveryPageWithAllAndFilters() {
        String name = "paged " + RUN;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(cli().run("upload", SAMPLES + "cli/" + RUN + "/page" + i + ".jpg", "--name", name, "-q").out().strip());
        }

        JsonNode all = cli().run("list", "--name", name, "--limit", "1", "--all", "-o", "json").json();
        JsonNode onePage = cli().run("list", "--name", name, "--limit", "1", "-o", "json").json();
        Result table = cli().run("list", "--name", name, "--limit", "1", "--all");
        JsonNode images = cli().run("list", "--name", "managed " + RUN, "--status", "Failed", "--all", "-o", "json").json();

        assertThat(all.path("items")).extracting(i -> i.path("assetId").asText()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(all.path("nextToken").isNull()).isTrue();
        assertThat(onePage.path("items")).hasSize(1);
        assertThat(onePage.path("nextToken").asText()).isNotBlank();
        assertThat(table.out().lines()).hasSize(4).first().asString().startsWith("ASSET");
        ids.forEach(id -> assertThat(table.out()).contains(id));
        assertThat(images.path("items")).extracting(i -> i.path("assetId").asText()).containsExactly(failed);
    }

    @Test
    void historyRenameAndDeleteInBothOutputs() {
        String id = cli().run("upload", SAMPLES + "cli/" + RUN + "/edit.png", "--wait", "--interval", "50ms", "-q")
                .out().strip().substring("asset://".length());

        Result renamed = cli().run("rename", id, "Renamed " + RUN);
        JsonNode renamedJson = cli().run("rename", id, "Renamed again " + RUN, "-o", "json").json();
        Result history = cli().run("history", id);
        JsonNode historyJson = cli().run("history", id, "-o", "json").json();

        assertThat(renamed.exit()).isEqualTo(0);
        assertThat(renamed.out()).contains("name        Renamed " + RUN);
        assertThat(renamedJson.path("name").asText()).isEqualTo("Renamed again " + RUN);
        assertThat(history.out()).contains("created", "Active", "renamed", "-> Renamed again " + RUN);
        assertThat(historyJson.path("events")).extracting(e -> e.path("change").asText())
                .containsExactly("created", "media", "status", "renamed", "renamed"); // media: the media step's event

        Result deleted = cli().run("delete", id);
        assertThat(deleted.exit()).isEqualTo(0);
        assertThat(deleted.out()).isEqualTo("deleted " + id + "\n");
        JsonNode again = cli().run("delete", id, "-o", "json").json();
        assertThat(again.path("deleted")).isEmpty();
        assertThat(again.path("notFound").get(0).path("assetId").asText()).isEqualTo(id);
        assertThat(cli().run("delete", id).exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(cli().run("get", id).exit()).isEqualTo(ExitCodes.SERVICE);
    }

    @Test
    void resolveNamesEveryProblemAndExits1UnlessOk() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"model\":\"seedance_2_0_pro\",\"referenceImages\":[\"asset://" + active
                + "\",\"asset://" + failed + "\",\"" + SAMPLES + "bg.jpg\"]}");
        Path good = Files.writeString(dir.resolve("good.json"), "{\"model\":\"seedance_2_0_pro\",\"referenceImages\":[\"asset://" + active + "\"]}");

        Result table = cli().run("resolve", bad.toString());
        JsonNode json = cli().run("resolve", bad.toString(), "-o", "json").json();
        Result ok = cli().run("resolve", good.toString());
        Result stdin = cli().runWithInput(Files.readString(good), "resolve", "-", "-o", "json");

        assertThat(table.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(table.out()).contains("ASSET_FAILED", "not reviewed (plain URL)", "not ok: 1 problem(s)");
        assertThat(json.path("ok").asBoolean()).isFalse();
        assertThat(json.path("problems").get(0).path("assetId").asText()).isEqualTo(failed);
        assertThat(ok.exit()).isEqualTo(0);
        assertThat(ok.out()).contains("ok: every reference can be used");
        assertThat(stdin.json().path("ok").asBoolean()).isTrue();
        Path notJson = Files.writeString(dir.resolve("x.json"), "{nope");
        assertThat(cli().run("resolve", notJson.toString()).exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli().run("resolve", dir.resolve("missing.json").toString()).exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void anotherAccountsAssetIsUnknown() {
        CliRunner other = CliRunner.against(STACK.endpoint(), LocalStackExtension.OTHER_KEY);
        assertThat(other.run("get", active).exit()).isEqualTo(ExitCodes.SERVICE);
        assertThat(other.run("status", active, "-o", "json").json().path("assets").get(0).path("status").asText()).isEqualTo("NotFound");
        assertThat(other.run("delete", active).exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(cli().run("status", active).exit()).isEqualTo(0); // still there for its owner
    }

    @Test
    void aWrongKeyShowsTheServicesAnswerAndExits3() {
        Result r = CliRunner.against(STACK.endpoint(), LocalStackExtension.key("noSuchKey")).run("list");
        assertThat(r.exit()).isEqualTo(ExitCodes.SERVICE);
        assertThat(r.err()).contains("HTTP 401");
    }

    @Test
    void aConfiguredProfileIsUsedAndTheEnvironmentWinsOverIt() throws Exception {
        CliRunner fresh = new CliRunner();
        Result saved = fresh.runWithInput(STACK.endpoint() + "/kyyReactApiServer/\n" + LocalStackExtension.UPLOADER_KEY + "\n", "configure");
        assertThat(saved.exit()).as(saved.toString()).isEqualTo(0);
        assertThat(saved.out() + saved.err()).doesNotContain(LocalStackExtension.UPLOADER_KEY);

        assertThat(fresh.run("status", active).exit()).isEqualTo(0);
        fresh.env("ASSETLIB_KEY", LocalStackExtension.key("wrongKey"));
        assertThat(fresh.run("status", active).err()).contains("HTTP 401");
        assertThat(fresh.run("status", active, "--key", LocalStackExtension.UPLOADER_KEY).exit()).isEqualTo(0);
    }
}
