package dev.assetlib.app.webhooks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The independent check of our signatures: the {@code standardwebhooks} package from PyPI (pinned),
 * in a venv of its own ({@code STANDARDWEBHOOKS_VENV}, which .ci/run prepares, or one made here
 * under the system temp directory). Without Python or network the tests skip, and fail under CI=true.
 */
final class StandardWebhooksVerifier {
    static final String PIN = "standardwebhooks==1.1.0";

    private StandardWebhooksVerifier() {
    }

    static Path python() throws Exception {
        String given = System.getenv("STANDARDWEBHOOKS_VENV");
        Path venv = given != null && !given.isBlank() ? Path.of(given)
                : Path.of(System.getProperty("java.io.tmpdir"), "assetlib-standardwebhooks-1.1.0");
        Path python = venv.resolve("bin/python");
        if (Files.isExecutable(python) && run(List.of(python.toString(), "-c", "import standardwebhooks"), null) == 0) {
            return python;
        }
        boolean ok = run(List.of("python3", "-m", "venv", venv.toString()), null) == 0
                && run(List.of(python.toString(), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", PIN), null) == 0;
        if (!ok) {
            String why = "the standardwebhooks package could not be installed (python3 -m venv, pip install " + PIN + ")";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(why);
            }
            Assumptions.abort(why + ": signature checks by an independent implementation skipped");
        }
        return python;
    }

    /**
     * Runs the library over captured deliveries: each line of {@code cases} is a JSON object with
     * secret, headers and body; prints one line per case, "ok" or the library's error.
     */
    static List<String> verify(Path cases) throws Exception {
        String script = String.join("\n",
                "import json, sys",
                "from standardwebhooks.webhooks import Webhook",
                "for line in open(sys.argv[1]):",
                "    c = json.loads(line)",
                "    try:",
                "        Webhook(c['secret']).verify(c['body'], c['headers'])",
                "        print('ok')",
                "    except Exception as e:",
                "        print('refused: %s' % e)");
        Path out = Files.createTempFile("swh-out", ".txt");
        int rc = run(List.of(python().toString(), "-c", script, cases.toString()), out);
        if (rc != 0) {
            throw new AssertionError("the standardwebhooks check failed to run: " + Files.readString(out));
        }
        return Files.readAllLines(out, StandardCharsets.UTF_8);
    }

    private static int run(List<String> command, Path output) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (output != null) {
            pb.redirectOutput(output.toFile());
        } else {
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        try {
            Process p = pb.start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException noPython) {
            return -1;
        }
    }
}
