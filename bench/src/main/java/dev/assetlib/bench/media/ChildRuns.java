package dev.assetlib.bench.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@link MediaStepRun} in a child JVM with a 64 MB heap and a function's JVM flags, on a
 * classpath of the deployment package (functions' classes and runtime jars) plus only the child's
 * own classes (copied out of the benchmark's, so nothing else of the benchmark rides along).
 */
public final class ChildRuns {
    /** Lambda's java runtime flags (SerialGC, CDS), with the heap this target allows; a function's JAVA_TOOL_OPTIONS follow. */
    public static final List<String> LAMBDA_FLAGS = List.of("-Xmx64m", "-XX:+UseSerialGC", "-Xshare:auto");

    /** The flags {@code functionId} runs with: Lambda's, then its JAVA_TOOL_OPTIONS from template.yaml (its own, else Globals'). */
    public static List<String> flagsOf(dev.assetlib.local.template.SamTemplate template, String functionId) {
        List<String> flags = new ArrayList<>(LAMBDA_FLAGS);
        var options = template.environment(functionId).get("JAVA_TOOL_OPTIONS");
        if (options != null && !options.asText().isBlank()) {
            flags.addAll(List.of(options.asText().trim().split("\\s+")));
        }
        return List.copyOf(flags);
    }

    /** The flags of the functions that keep Globals' JAVA_TOOL_OPTIONS (C1 only, for the shortest cold start). */
    public static List<String> globalFlags(dev.assetlib.local.template.SamTemplate template) {
        return flagsOf(template, "");
    }
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One child's answer: each iteration's seconds (the first is the warm-up), its heap figures, and how it ended. */
    public record Run(String mode, List<Double> seconds, String result, JsonNode heap, int exitCode, String log, List<JsonNode> phases) {
        public Run(String mode, List<Double> seconds, String result, JsonNode heap, int exitCode, String log) {
            this(mode, seconds, result, heap, exitCode, log, List.of());
        }

        public boolean ok() {
            return exitCode == 0 && heap != null && !seconds.isEmpty();
        }

        /** The measured iterations: all but the first (class loading, JIT, first connections). */
        public List<Double> measured() {
            return seconds.size() > 1 ? seconds.subList(1, seconds.size()) : seconds;
        }
    }

    private final String classpath;
    private final Path tempDir;

    /** {@code deploymentClasspath}: the function's classes and jars, as the Lambda runtime loads them. */
    public ChildRuns(String deploymentClasspath, Path workDir) throws IOException {
        Path own = workDir.resolve("child-classes");
        for (String name : List.of("MediaStepRun", "MediaStepRun$Task")) {
            String resource = "/dev/assetlib/bench/media/" + name + ".class";
            Path to = own.resolve(resource.substring(1));
            Files.createDirectories(to.getParent());
            try (InputStream in = ChildRuns.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException("no " + resource + " on the benchmark's classpath");
                }
                Files.copy(in, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        this.classpath = own + java.io.File.pathSeparator + deploymentClasspath;
        this.tempDir = Files.createDirectories(workDir.resolve("child-tmp"));
    }

    public Run run(List<String> jvmFlags, String mode, URI url, URI s3Endpoint, String bucket, int iterations, String allowOrigin)
            throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.add("-Djava.io.tmpdir=" + tempDir);
        command.add("-cp");
        command.add(classpath);
        command.add(MediaStepRun.class.getName());
        command.addAll(List.of(mode, url.toString(), s3Endpoint.toString(), bucket, Integer.toString(iterations)));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("ASSETLIB_FETCH_ALLOW", allowOrigin); // as the local stack allow-lists its origins
        pb.environment().put("AWS_REGION", "us-east-1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        List<Double> seconds = new ArrayList<>();
        JsonNode heap = null;
        List<JsonNode> phases = new ArrayList<>();
        String result = "";
        for (String line : out.split("\n")) {
            if (line.startsWith("bench-media-run ")) {
                JsonNode r = JSON.readTree(line.substring("bench-media-run ".length()));
                seconds.add(r.path("seconds").asDouble());
                result = r.path("result").asText();
            } else if (line.startsWith("bench-media-phases ")) {
                phases.add(JSON.readTree(line.substring("bench-media-phases ".length())));
            } else if (line.startsWith("bench-media-heap ")) {
                heap = JSON.readTree(line.substring("bench-media-heap ".length()));
            }
        }
        String tail = out.length() > 2000 ? out.substring(out.length() - 2000) : out;
        return new Run(mode, seconds, result, heap, p.exitValue(), tail, phases);
    }
}
