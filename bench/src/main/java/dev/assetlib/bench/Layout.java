package dev.assetlib.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The directories the child JVMs run from, all under bench/target/:
 * <ul>
 * <li>{@code function-task/}: the deployment artifact as {@code sam build} lays it out - functions/'
 *     classes at the root and its runtime dependencies in {@code lib/} (made by ./bench/run);</li>
 * <li>{@code floor-task/}: the floor handlers' classes with the same {@code lib/};</li>
 * <li>{@code lambda-runtime/}: the Lambda Java runtime (runtime interface client and what it brings).</li>
 * </ul>
 */
record Layout(Path project, Path functionTask, Path floorTask, Path lambdaRuntime, Path events, Path work,
              Path functionCallsTask, Path floorCallsTask) {
    static final String GLOBAL_INTERCEPTORS = "software/amazon/awssdk/global/handlers/execution.interceptors";

    static Layout prepare(Path project) throws IOException {
        Path target = project.resolve("bench/target");
        Path functionTask = target.resolve("function-task");
        Path runtime = target.resolve("lambda-runtime");
        for (Path required : List.of(functionTask.resolve("dev"), functionTask.resolve("lib"), runtime)) {
            if (!Files.isDirectory(required)) {
                throw new IllegalStateException(required + " is missing: run the benchmark with ./bench/run, which builds it");
            }
        }
        Path floorTask = target.resolve("floor-task");
        deleteTree(floorTask);
        Path floorClasses = Path.of("dev/assetlib/bench/floor");
        Path from = target.resolve("classes").resolve(floorClasses);
        Files.createDirectories(floorTask.resolve(floorClasses));
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, floorTask.resolve(floorClasses).resolve(f.getFileName()));
            }
        }
        Files.createSymbolicLink(floorTask.resolve("lib"), functionTask.resolve("lib"));
        Path work = target.resolve("bench-work");
        deleteTree(work);
        Files.createDirectories(work);
        // The call-listing copies: the same code and lib/, plus CallLog as an SDK global interceptor.
        Path functionCalls = target.resolve("function-calls-task");
        Path floorCalls = target.resolve("floor-calls-task");
        for (Path[] copy : new Path[][] {{functionTask, functionCalls}, {floorTask, floorCalls}}) {
            deleteTree(copy[1]);
            copyClasses(copy[0], copy[1]);
            Files.createSymbolicLink(copy[1].resolve("lib"), functionTask.resolve("lib"));
            Path log = floorClasses.resolve("CallLog.class");
            Files.createDirectories(copy[1].resolve(floorClasses));
            Files.copy(target.resolve("classes").resolve(log), copy[1].resolve(log), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Path file = copy[1].resolve(GLOBAL_INTERCEPTORS);
            Files.createDirectories(file.getParent());
            Files.writeString(file, "dev.assetlib.bench.floor.CallLog\n");
        }
        return new Layout(project, functionTask, floorTask, runtime, project.resolve("events"), work, functionCalls, floorCalls);
    }

    /** Copies a task root's own files (not its lib/). */
    private static void copyClasses(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path f : (Iterable<Path>) walk::iterator) {
                Path rel = from.relativize(f);
                if (rel.toString().isEmpty() || rel.startsWith("lib")) {
                    continue;
                }
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to.resolve(rel));
                } else {
                    Files.createDirectories(to.resolve(rel).getParent());
                    Files.copy(f, to.resolve(rel));
                }
            }
        }
    }

    /** The deployment package as SAM uploads it: the function directory zipped. */
    static long zippedSize(Path dir, Path zip) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            for (Path f : files) {
                z.putNextEntry(new ZipEntry(dir.relativize(f).toString()));
                Files.copy(f, z);
                z.closeEntry();
            }
        }
        return Files.size(zip);
    }

    static long treeSize(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
