package dev.assetlib.cli.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The profile file, {@code $XDG_CONFIG_HOME/assetlib/config} (default {@code ~/.config/assetlib/config}):
 * INI-style sections, one per profile, with {@code endpoint} and {@code key}. It holds API keys,
 * so it is written owner-only (0600, its directory 0700) and replaced atomically.
 */
public final class ConfigFile {
    private final Path path;

    public ConfigFile(Path path) {
        this.path = path;
    }

    /** Where the file lives for this environment (XDG_CONFIG_HOME respected). */
    public static ConfigFile locate(Map<String, String> env, Path home) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".config");
        return new ConfigFile(base.resolve("assetlib").resolve("config"));
    }

    public Path path() {
        return path;
    }

    /** Every profile with its settings; empty when the file does not exist. */
    public Map<String, Map<String, String>> read() {
        Map<String, Map<String, String>> profiles = new LinkedHashMap<>();
        if (!Files.isRegularFile(path)) {
            return profiles;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path + ": " + e.getMessage(), e);
        }
        Map<String, String> current = null;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                current = profiles.computeIfAbsent(line.substring(1, line.length() - 1).strip(), p -> new LinkedHashMap<>());
                continue;
            }
            int eq = line.indexOf('=');
            if (eq > 0 && current != null) {
                current.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        return profiles;
    }

    public Map<String, String> profile(String name) {
        return read().getOrDefault(name, Map.of());
    }

    /** True when group or others may read the file (it holds keys): worth a warning. */
    public boolean readableByOthers() {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
            return perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Sets {@code values} in profile {@code name}, keeping every other profile and setting. */
    public void write(String name, Map<String, String> values) throws IOException {
        Map<String, Map<String, String>> profiles = read();
        profiles.computeIfAbsent(name, p -> new LinkedHashMap<>()).putAll(values);
        StringBuilder text = new StringBuilder("# assetlib profiles, written by `assetlib configure`. It holds API keys: keep it 0600.\n");
        profiles.forEach((profile, settings) -> {
            text.append('\n').append('[').append(profile).append("]\n");
            settings.forEach((k, v) -> text.append(k).append(" = ").append(v).append('\n'));
        });
        Path dir = path.toAbsolutePath().getParent();
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(dir)) {
            if (posix) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        }
        Path tmp = dir.resolve(".config." + ProcessHandle.current().pid() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            if (posix) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(tmp);
            }
        } catch (FileAlreadyExistsException e) {
            throw new IOException("cannot create " + tmp + ": it already exists", e);
        }
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
        }
        if (posix) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        }
    }
}
