package dev.assetlib.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.local.template.SamTemplate;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The directories the child JVMs run from:
 * <ul>
 * <li>each function's own deployment package, the directory its template.yaml CodeUri names
 *     (functions/target/lambda/&lt;group&gt;/: the classes at the root, the group's jars in
 *     {@code lib/}, laid out by {@code ./mvnw package}, which ./bench/run runs);</li>
 * <li>under bench/target/, per package group: {@code floor-task-<group>/}, the floor handlers'
 *     classes with that package's {@code lib/}, and the call-listing copies of both;</li>
 * <li>{@code bench/target/lambda-runtime/}: the Lambda Java runtime (runtime interface client and what it brings).</li>
 * </ul>
 */
record Layout(Path project, Map<String, Task> tasks, Map<String, Path> packages, Path lambdaRuntime, Path events, Path work) {
    static final String GLOBAL_INTERCEPTORS = "software/amazon/awssdk/global/handlers/execution.interceptors";

    /**
     * A function's task roots, all with its package's lib/: its package, the floor beside it, and
     * the copies of both that list their AWS calls.
     */
    record Task(String group, Path function, Path floor, Path functionCalls, Path floorCalls) {
    }

    static Layout prepare(Path project) throws IOException {
        Path target = project.resolve("bench/target");
        Path runtime = target.resolve("lambda-runtime");
        Map<String, Path> functionPackages = functionPackages(project);
        Map<String, Path> packages = new TreeMap<>();
        functionPackages.values().forEach(p -> packages.put(p.getFileName().toString(), p));
        List<Path> required = new ArrayList<>(List.of(runtime));
        for (Path p : packages.values()) {
            required.add(p.resolve("dev"));
            required.add(p.resolve("lib"));
        }
        for (Path r : required) {
            if (!Files.isDirectory(r)) {
                throw new IllegalStateException(r + " is missing: run the benchmark with ./bench/run, which builds it");
            }
        }
        Path work = target.resolve("bench-work");
        deleteTree(work);
        Files.createDirectories(work);
        Path floorClasses = Path.of("dev/assetlib/bench/floor");
        Map<String, Task> byGroup = new LinkedHashMap<>();
        for (var e : packages.entrySet()) {
            String group = e.getKey();
            Path pkg = e.getValue();
            Path floorTask = target.resolve("floor-task-" + group);
            deleteTree(floorTask);
            Path from = target.resolve("classes").resolve(floorClasses);
            Files.createDirectories(floorTask.resolve(floorClasses));
            try (Stream<Path> files = Files.list(from)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.copy(f, floorTask.resolve(floorClasses).resolve(f.getFileName()));
                }
            }
            Files.createSymbolicLink(floorTask.resolve("lib"), pkg.resolve("lib"));
            // The call-listing copies: the same code and lib/, plus CallLog as an SDK global interceptor.
            Path functionCalls = target.resolve("function-calls-task-" + group);
            Path floorCalls = target.resolve("floor-calls-task-" + group);
            for (Path[] copy : new Path[][] {{pkg, functionCalls}, {floorTask, floorCalls}}) {
                deleteTree(copy[1]);
                copyClasses(copy[0], copy[1]);
                Files.createSymbolicLink(copy[1].resolve("lib"), pkg.resolve("lib"));
                Path log = floorClasses.resolve("CallLog.class");
                Files.createDirectories(copy[1].resolve(floorClasses));
                Files.copy(target.resolve("classes").resolve(log), copy[1].resolve(log), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Path file = copy[1].resolve(GLOBAL_INTERCEPTORS);
                Files.createDirectories(file.getParent());
                Files.writeString(file, "dev.assetlib.bench.floor.CallLog\n");
            }
            byGroup.put(group, new Task(group, pkg, floorTask, functionCalls, floorCalls));
        }
        Map<String, Task> tasks = new LinkedHashMap<>();
        functionPackages.forEach((fn, pkg) -> tasks.put(fn, byGroup.get(pkg.getFileName().toString())));
        return new Layout(project, tasks, packages, runtime, project.resolve("events"), work);
    }

    /** Every template function's package directory (its CodeUri), by logical id. */
    static Map<String, Path> functionPackages(Path project) {
        SamTemplate template = SamTemplate.load(project.resolve("template.yaml"));
        Map<String, Path> out = new LinkedHashMap<>();
        for (String id : template.resources("AWS::Serverless::Function").keySet()) {
            String codeUri = template.functionProperty(id, "CodeUri").map(JsonNode::asText)
                    .orElseThrow(() -> new IllegalStateException(id + " has no CodeUri in template.yaml"));
            out.put(id, project.resolve(codeUri).normalize());
        }
        return out;
    }

    /** A template function's task roots. */
    Task task(String functionId) {
        Task t = tasks.get(functionId);
        if (t == null) {
            throw new IllegalArgumentException("no function " + functionId + " in template.yaml");
        }
        return t;
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
