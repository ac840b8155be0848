package dev.assetlib;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every function's deployment package stays within the project's target unzipped (a big package is
 * a slow cold start). The packages are what `./mvnw package` lays out in target/lambda/<group>/
 * (pom.xml, executions lambda-*): the compiled classes at the root and the group's runtime jars in
 * lib/, which template.yaml points each function at and sam deploy zips as they are. A new
 * dependency that takes a package past 20 MB fails here, with the largest jars named, before it
 * reaches a deploy; put it in the group that needs it only (docs/benchmarks.md, "Function package
 * size"). Runs after the package phase (tag "packages", execution function-packages).
 */
@Tag("packages")
class FunctionPackageSizeTest {
    /** The project's target for one function's package, unzipped. */
    static final long LIMIT_BYTES = 20_000_000L;
    static final Path PACKAGES = Path.of("target/lambda");

    @Test
    void everyFunctionPackageIsAtMostTwentyMegabytesUnzipped() throws IOException {
        List<Path> groups = groups();
        assertThat(groups).as(PACKAGES + " (laid out by ./mvnw package)").isNotEmpty();
        for (Path group : groups) {
            Package p = Package.read(group);
            System.out.println("FunctionPackageSizeTest: " + p.summary());
            assertThat(p.jars()).as(group + "/lib").isNotEmpty();
            assertThat(p.classesBytes()).as(group + " classes").isPositive();
            assertThat(p.totalBytes()).as(p.summary()).isLessThanOrEqualTo(LIMIT_BYTES);
        }
    }

    /**
     * target/lambda is not cleaned by `package`: a jar left from an earlier dependency version would
     * ship twice (and count). Two versions of one artifact in a lib/ fail here; `clean package` fixes it.
     */
    @Test
    void noPackageHoldsTwoVersionsOfOneJar() throws IOException {
        for (Path group : groups()) {
            Map<String, List<String>> byArtifact = new TreeMap<>();
            for (Path jar : Package.read(group).jars()) {
                String name = jar.getFileName().toString();
                String artifact = name.replaceFirst("-\\d[^-]*(-[A-Za-z0-9.]+)?\\.jar$", "");
                byArtifact.computeIfAbsent(artifact, k -> new ArrayList<>()).add(name);
            }
            byArtifact.values().removeIf(names -> names.size() == 1);
            assertThat(byArtifact).as(group + "/lib: stale jars from an earlier build? run ./mvnw clean package").isEmpty();
        }
    }

    static List<Path> groups() throws IOException {
        if (!Files.isDirectory(PACKAGES)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(PACKAGES)) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }

    /** One package directory: its classes (everything outside lib/) and its jars. */
    record Package(Path dir, long classesBytes, List<Path> jars, long jarBytes) {
        static Package read(Path dir) throws IOException {
            long classes;
            try (Stream<Path> files = Files.walk(dir)) {
                classes = files.filter(Files::isRegularFile).filter(f -> !f.startsWith(dir.resolve("lib")))
                        .mapToLong(Package::sizeOf).sum();
            }
            List<Path> jars = new ArrayList<>();
            long lib = 0;
            if (Files.isDirectory(dir.resolve("lib"))) {
                try (Stream<Path> files = Files.walk(dir.resolve("lib"))) {
                    for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                        jars.add(f);
                        lib += sizeOf(f);
                    }
                }
            }
            jars.sort(Comparator.comparingLong(Package::sizeOf).reversed());
            return new Package(dir, classes, List.copyOf(jars), lib);
        }

        long totalBytes() {
            return classesBytes + jarBytes;
        }

        String summary() {
            StringBuilder largest = new StringBuilder();
            for (Path jar : jars.subList(0, Math.min(8, jars.size()))) {
                largest.append(String.format(Locale.ROOT, "%n  %7.2f MB %s", sizeOf(jar) / 1e6, jar.getFileName()));
            }
            return String.format(Locale.ROOT, "package %s %.2f MB unzipped (classes %.2f MB + %d jars %.2f MB), target %.0f MB; largest jars:%s",
                    dir.getFileName(), totalBytes() / 1e6, classesBytes / 1e6, jars.size(), jarBytes / 1e6, LIMIT_BYTES / 1e6, largest);
        }

        static long sizeOf(Path p) {
            try {
                return Files.size(p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
