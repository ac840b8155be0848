package dev.assetlib.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real terminal detection, in a separate JVM: under a pseudo-terminal made by util-linux
 * {@code script}, the upload draws its progress bar and colours; with its streams on pipes it
 * draws neither (no injected flags either way: what Java itself finds out).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PseudoTerminalTest {
    @RegisterExtension
    static final LocalStackExtension STACK = LocalStackExtension.simulated();

    @TempDir
    Path dir;

    List<String> cliCommand(Path png) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                "dev.assetlib.cli.Main", "upload", png.toString(), "--endpoint", STACK.endpoint());
    }

    ProcessBuilder builder(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("ASSETLIB_") || k.equals("NO_COLOR"));
        pb.environment().put("ASSETLIB_KEY", LocalStackExtension.UPLOADER_KEY);
        pb.environment().put("XDG_CONFIG_HOME", dir.resolve("config").toString());
        pb.environment().put("TERM", "xterm");
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return pb;
    }

    static boolean scriptAvailable() {
        try {
            Process p = new ProcessBuilder("script", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\"'\"'") + "'";
    }

    @Test
    void onAPseudoTerminalTheUploadDrawsAProgressBarAndColours() throws Exception {
        assumeTrue(scriptAvailable(), "util-linux script is not installed");
        Path png = TestMedia.png(dir, "pty-portrait.png");
        String shell = cliCommand(png).stream().map(PseudoTerminalTest::quote).collect(Collectors.joining(" "));
        List<String> command = new ArrayList<>(List.of("script", "-qefc", shell, "/dev/null"));

        Process p = builder(command).redirectErrorStream(true).start();
        String terminal = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(terminal).isEqualTo(0);
        assertThat(terminal).contains("\rpty-portrait.png [", "100%", "B/s", "done");
        assertThat(terminal).contains("\u001b[33mProcessing\u001b[0m");
    }

    @Test
    void onPipesTheSameUploadDrawsNoProgressAndNoColour() throws Exception {
        Path png = TestMedia.png(dir, "pipe-portrait.png");
        Path err = dir.resolve("stderr.txt");

        Process p = builder(cliCommand(png)).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(out + Files.readString(err)).isEqualTo(0);
        assertThat(out).contains("pipe-portrait.png", "Processing").doesNotContain("\u001b[").doesNotContain("%");
        assertThat(Files.readString(err)).isEmpty();
    }
}
