package dev.assetlib.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The keys that stand in for Secrets Manager's are kept in the data dir, so webhook secrets sealed
 * and list tokens signed before a restart still open after it; with --in-memory nothing is kept.
 */
class LocalSecretsTest {
    static StackSettings settings(Path dataDir, String... more) {
        java.util.List<String> f = new java.util.ArrayList<>(java.util.List.of("--data-dir=" + dataDir, "--project-dir=.."));
        f.addAll(java.util.List.of(more));
        return LocalStack.settings(f.toArray(String[]::new));
    }

    @Test
    void aKeptKeyIsTheSameAtTheNextStartAndReadableByItsOwnerOnly() throws Exception {
        Path dataDir = Path.of("target", "secrets-" + UUID.randomUUID()).toAbsolutePath();

        String first = LocalSecrets.key(settings(dataDir), "webhook-sealing");
        String again = LocalSecrets.key(settings(dataDir), "webhook-sealing");

        assertThat(again).isEqualTo(first).hasSizeGreaterThanOrEqualTo(48);
        Path file = dataDir.resolve("secrets").resolve("webhook-sealing");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(LocalSecrets.key(settings(dataDir), "list-token")).as("each key its own").isNotEqualTo(first);
    }

    @Test
    void inMemoryEachStartHasNewKeysAndWritesNothing() {
        Path dataDir = Path.of("target", "secrets-mem-" + UUID.randomUUID()).toAbsolutePath();

        String first = LocalSecrets.key(settings(dataDir, "--in-memory"), "webhook-sealing");
        String second = LocalSecrets.key(settings(dataDir, "--in-memory"), "webhook-sealing");

        assertThat(second).isNotEqualTo(first);
        assertThat(dataDir).doesNotExist();
    }
}
