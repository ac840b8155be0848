package dev.assetlib.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The keys Secrets Manager holds in AWS (list-token signing, webhook-secret sealing). With a data dir
 * they are kept there, owner-readable only, so what a run sealed or signed still opens after a
 * restart; with {@code --in-memory} each run has new ones.
 */
final class LocalSecrets {
    private LocalSecrets() {
    }

    /** A random 36-byte key, base64url, kept as {@code DATA_DIR/secrets/NAME} unless in memory. */
    static String key(StackSettings settings, String name) {
        if (settings.inMemory()) {
            return random();
        }
        Path file = settings.dataDir().resolve("secrets").resolve(name);
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            Files.createDirectories(file.getParent());
            String key = random();
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file); // not a POSIX file system
            } catch (FileAlreadyExistsException e) {
                return Files.readString(file).trim(); // another stack on the same data dir won the race
            }
            Files.writeString(file, key + "\n");
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the local " + name + " key in " + file, e);
        }
    }

    private static String random() {
        byte[] key = new byte[36];
        new SecureRandom().nextBytes(key);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }
}
