package dev.assetlib.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assetlib.cli.CliRunner.Result;
import dev.assetlib.cli.config.ConfigFile;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `assetlib configure` writes an owner-only profile file; every command has help with examples; completion. */
class ConfigureAndHelpTest {
    static final String KEY = LocalStackExtension.key("configured");

    @Test
    void configureWritesTheProfileOwnerOnlyUnderXdgConfigHomeWithoutShowingTheKey() throws Exception {
        CliRunner cli = new CliRunner();
        Result r = cli.runWithInput("https://api.example.com/kyyReactApiServer\n" + KEY + "\n", "configure");

        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        Path file = Path.of(cli.environment().get("XDG_CONFIG_HOME"), "assetlib", "config");
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(new ConfigFile(file).profile("default")).isEqualTo(Map.of("endpoint", "https://api.example.com", "key", KEY));
        assertThat(r.out() + r.err()).doesNotContain(KEY).contains("saved profile \"default\"");
    }

    @Test
    void aSecondProfileKeepsTheFirstAndAnEmptyKeyAnswerKeepsTheCurrentKey() throws Exception {
        CliRunner cli = new CliRunner();
        cli.runWithInput("http://127.0.0.1:3000\n" + KEY + "\n", "configure");
        String reviewerKey = LocalStackExtension.key("reviewerProfile");
        cli.runWithInput("\n" + reviewerKey + "\n", "configure", "--profile", "reviewer");
        cli.runWithInput("https://other.example.com\n\n", "configure");

        ConfigFile file = ConfigFile.locate(cli.environment(), cli.home());
        assertThat(file.profile("default")).isEqualTo(Map.of("endpoint", "https://other.example.com", "key", KEY));
        assertThat(file.profile("reviewer")).isEqualTo(Map.of("endpoint", "http://127.0.0.1:3000", "key", reviewerKey));
    }

    @Test
    void withoutXdgConfigHomeTheFileIsUnderDotConfig() {
        ConfigFile f = ConfigFile.locate(Map.of(), Path.of("/home/someone"));
        assertThat(f.path()).isEqualTo(Path.of("/home/someone/.config/assetlib/config"));
    }

    @Test
    void aProfileFileReadableByOthersIsWarnedAbout() throws Exception {
        CliRunner cli = new CliRunner().env("ASSETLIB_ENDPOINT", "http://127.0.0.1:9");
        cli.runWithInput("http://127.0.0.1:9\n" + KEY + "\n", "configure");
        Path file = ConfigFile.locate(cli.environment(), cli.home()).path();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(cli.run("list").err()).contains("readable by others: chmod 600 it");
    }

    @Test
    void everyCommandHasHelpWithExamples() {
        List<String> paths = new ArrayList<>();
        collect(Cli.commandLine(new CliRunner().context("", new ByteArrayOutputStream(), new ByteArrayOutputStream())), List.of(), paths);
        assertThat(paths).contains("upload", "wait", "status", "get", "list", "history", "rename", "delete", "resolve",
                "review", "review pending", "review approve", "review reject", "configure", "completion", "usage", "webhooks",
                "webhooks list", "webhooks add", "webhooks delete", "webhooks test", "webhooks deliveries", "webhooks retry",
                "webhooks rotate-secret");
        for (String path : paths) {
            List<String> args = new ArrayList<>(List.of(path.split(" ")));
            args.add("--help");
            Result r = new CliRunner().run(args.toArray(String[]::new));
            assertThat(r.exit()).as(path).isEqualTo(0);
            assertThat(r.out()).as(path).contains("Usage: assetlib " + path, "Examples:", "--output");
        }
        Result top = new CliRunner().run("--help");
        assertThat(top.out()).contains("Examples:", "Exit status", "assetlib upload ./portrait.jpg --wait");
    }

    private static void collect(CommandLine cmd, List<String> prefix, List<String> out) {
        cmd.getSubcommands().forEach((name, sub) -> {
            List<String> path = new ArrayList<>(prefix);
            path.add(name);
            out.add(String.join(" ", path));
            collect(sub, path, out);
        });
    }

    @Test
    void completionPrintsABashScriptCoveringTheCommandsAndOptions() {
        Result r = new CliRunner().run("completion");
        assertThat(r.exit()).isEqualTo(0);
        assertThat(r.out()).contains("complete -F _complete_assetlib", "upload", "review", "--idempotency-key", "--output");
    }
}
