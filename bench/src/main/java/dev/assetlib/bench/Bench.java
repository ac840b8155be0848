package dev.assetlib.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./bench/run}: measures, in one run, Lambda cold start against a floor, warm upload
 * throughput against a floor, and cost and latency per reviewed asset against the fixed 5 s
 * schedule; prints the tables and writes the same figures as JSON, each target with {@code met}.
 *
 * <pre>
 *   ./bench/run                 # full run (about 8 minutes on 2 cores)
 *   ./bench/run --quick         # fewer runs and shorter loops (about 3 minutes); not for the README
 *   ./bench/run --only cold     # one part: cold, warm, review, cost, scale, scale-local, limits, webhooks or media (repeatable)
 *   ./bench/run --only media    # issue 12's media targets: media step throughput and heap, probe time, batch transitions
 *   ./bench/run --only scale    # the scale model alone (seconds; builds nothing it does not need)
 *   ./bench/run --only scale-local # the measured local simulation, shared vs direct (about 1.5 min)
 *   ./bench/run --only load     # issue 15's load: 1,000 uploads from 64 clients, 10,000 reviews in flight, heap (not in the full run)
 *   ./bench/run --out FILE      # where the JSON goes (default bench/results/latest.json; with --only,
 *                               # bench/results/only-PARTS.json, so a part never overwrites the full run's)
 * </pre>
 */
public final class Bench {
    private Bench() {
    }

    record Options(Path project, boolean quick, int coldRuns, List<String> parts, Path out) {
        boolean runs(String part) {
            return parts.isEmpty() || parts.contains(part);
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        Report report = new Report();
        report.json.set("machine", Machine.describe());
        report.json.put("mode", o.quick() ? "quick" : "full");
        System.out.println("bench: " + Machine.summary((com.fasterxml.jackson.databind.node.ObjectNode) report.json.get("machine")));
        long start = System.nanoTime();
        if (o.runs("cold") || o.runs("warm") || o.runs("limits")) {
            Layout layout = Layout.prepare(o.project());
            try (ServerStack stack = ServerStack.start(o.project())) {
                if (o.runs("cold")) {
                    new ColdStart(layout, stack, o).run(report);
                }
                if (o.runs("warm")) {
                    new WarmThroughput(layout, stack, o).run(report);
                }
                if (o.runs("limits")) {
                    new LimiterOverhead(stack, o).run(report);
                }
            }
        }
        if (o.runs("review")) {
            new ReviewCost(o).run(report);
        }
        if (o.runs("cost")) {
            new RekognitionCost(o).run(report);
        }
        if (o.runs("scale")) {
            new ScaleModel(o).run(report);
        }
        if (o.runs("scale-local")) {
            new ScaleLocal(o).run(report);
        }
        if (o.runs("webhooks")) {
            new WebhookDelivery(o).run(report);
        }
        if (o.runs("media")) {
            new MediaBench(o.quick() ? MediaBench.Sizes.quick() : MediaBench.Sizes.full(), o.project(),
                    MediaBench.deploymentClasspath(o.project())).run(report);
        }
        if (o.parts().contains("load")) {
            new LoadBench(o).run(report); // only when asked for: minutes, and a JVM of -Xmx1g (bench/run)
        }
        report.json.put("benchmarkSeconds", Math.round((System.nanoTime() - start) / 1e9));
        System.out.println();
        System.out.println("Machine: " + Machine.summary((com.fasterxml.jackson.databind.node.ObjectNode) report.json.get("machine")));
        System.out.println();
        System.out.println(report.render());
        report.write(o.out());
        System.out.println("bench: wrote " + o.project().relativize(o.out().toAbsolutePath()) + " in "
                + report.json.path("benchmarkSeconds").asLong() + " s");
        System.exit(0);
    }

    static Options parse(String[] args) {
        Path project = null;
        boolean quick = false;
        Integer runs = null;
        List<String> parts = new ArrayList<>();
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--only" -> {
                    String part = args[++i];
                    if (!List.of("cold", "warm", "review", "cost", "scale", "scale-local", "limits", "webhooks", "media", "load").contains(part)) {
                        throw new IllegalArgumentException("--only takes cold, warm, review, cost, scale, scale-local, limits, webhooks, media or load, not " + part);
                    }
                    parts.add(part);
                }
                case "--out" -> out = Path.of(args[++i]);
                case "--project-dir" -> project = Path.of(args[++i]);
                case "-h", "--help" -> {
                    System.out.println("usage: ./bench/run [--quick] [--runs N] [--only cold|warm|review|cost|scale|scale-local|limits|webhooks|media|load]... [--out FILE]");
                    System.exit(0);
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + " (try --help)");
            }
        }
        if (project == null) {
            project = Path.of("").toAbsolutePath();
            while (project != null && !Files.isRegularFile(project.resolve("template.yaml"))) {
                project = project.getParent();
            }
            if (project == null) {
                throw new IllegalArgumentException("run from the checkout (no template.yaml here or above)");
            }
        }
        project = project.toAbsolutePath().normalize();
        int coldRuns = runs != null ? runs : quick ? 3 : 10;
        return new Options(project, quick, coldRuns, parts,
                out != null ? out.toAbsolutePath() : project.resolve("bench/results/" + defaultOut(quick, parts)));
    }

    /** A part run alone never overwrites the full run's latest.json (which the README quotes). */
    static String defaultOut(boolean quick, List<String> parts) {
        return quick ? "quick.json" : parts.isEmpty() ? "latest.json" : "only-" + String.join("-", parts) + ".json";
    }
}
