package dev.assetlib.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.bench.scale.Costs;
import dev.assetlib.bench.scale.Design;
import dev.assetlib.bench.scale.LoadModel;
import dev.assetlib.bench.scale.Quota;
import dev.assetlib.bench.scale.Result;
import dev.assetlib.bench.scale.Workload;
import dev.assetlib.local.template.SamTemplate;
import dev.assetlib.app.review.PollSchedule;
import java.util.ArrayList;
import java.util.List;

/**
 * The scale model (issue 19, docs/scale.md): 3,000 uploads a second replayed in virtual time
 * against the default quotas, for today's one-execution-per-upload path and for shared executions,
 * with reviews of 10 s, 60 s and 10 min. Runs in seconds; no stack, no network.
 */
final class ScaleModel {
    static final double RATE = 3_000;
    static final int ACCOUNTS = 200;
    static final long SEED = 19;
    static final long[] REVIEWS = {10, 60, 600};
    /** The shared design the model argues for: batches of up to 100, a 1 s window, the asset table in 2 shards. */
    static final Design SHARED = Design.shared(100, 1, 2);

    private final Bench.Options options;

    ScaleModel(Bench.Options options) {
        this.options = options;
    }

    void run(Report report) {
        SamTemplate template = SamTemplate.load(options.project().resolve("template.yaml"));
        PollSchedule schedule = new PollSchedule(Double.parseDouble(template.parameterDefault("PollFirstSeconds")),
                Double.parseDouble(template.parameterDefault("PollGrowthFactor")), Double.parseDouble(template.parameterDefault("PollMaxSeconds")));
        long deadline = Long.parseLong(template.parameterDefault("ReviewDeadlineSeconds"));
        Costs costs = Costs.assumed();
        LoadModel model = new LoadModel(schedule, deadline, costs);
        long started = System.nanoTime();
        List<Result> today = new ArrayList<>();
        List<Result> shared = new ArrayList<>();
        for (long review : REVIEWS) {
            Workload w = Workload.steady(RATE, review, ACCOUNTS, SEED);
            today.add(model.run(w, Design.onePerUpload()));
            shared.add(model.run(w, SHARED));
        }
        Result quiet = model.run(new Workload(1, 10, 0.25, 120, 10, SEED), SHARED);
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("bench: scale model ran in %.1f s%n", seconds);

        Report.Table use = report.table("Scale model: peak use of each default quota at 3,000 uploads/s (virtual time, seed "
                        + SEED + "; peak per second or at once, and as a fraction of the quota)",
                "quota (us-east-1 default)", "default", "today 10 s", "today 60 s", "today 10 min",
                "shared 10 s", "shared 60 s", "shared 10 min");
        for (Quota q : Quota.MODELLED) {
            List<Object> cells = new ArrayList<>(List.of(q.name(), Report.num(q.limit()) + (q.kind() == Quota.Kind.RATE ? "/s" : "")));
            for (List<Result> rs : List.of(today, shared)) {
                for (Result r : rs) {
                    Result.Use u = r.use(q);
                    cells.add(Report.num(u.peak()) + " (" + Report.num(u.fraction()) + ")");
                }
            }
            use.row(cells.toArray());
        }

        Report.Table runs = report.table("Scale model: executions, start delay and Lambda concurrency per function",
                "design", "review", "executions per upload", "mean / max s to review start", "Lambda upload / starter / review task",
                "highest quota use");
        ArrayNode json = report.json.putObject("scaleModel").put("uploadsPerSecond", RATE).put("accounts", ACCOUNTS)
                .put("seed", SEED).put("modelSeconds", seconds).putArray("runs");
        for (int i = 0; i < REVIEWS.length; i++) {
            for (Result r : List.of(today.get(i), shared.get(i))) {
                runs.row(r.design().name(), label(REVIEWS[i]), r.executionsPerUpload(),
                        Report.num(r.meanStartDelaySeconds()) + " / " + Report.num(r.maxStartDelaySeconds()),
                        Report.num(r.uploadConcurrency()) + " / " + Report.num(r.starterConcurrency()) + " / " + Report.num(r.reviewTaskConcurrency()),
                        r.highest().quota().name() + " " + Report.num(r.highest().fraction()));
                json.add(toJson(r));
            }
        }
        runs.row(SHARED.name(), "10 s, 1 upload/s (quiet)", quiet.executionsPerUpload(),
                Report.num(quiet.meanStartDelaySeconds()) + " / " + Report.num(quiet.maxStartDelaySeconds()), "", "");
        json.add(toJson(quiet));

        double worstExecutions = shared.stream().mapToDouble(Result::executionsPerUpload).max().orElseThrow();
        report.target("scale model: executions started per upload at 3,000/s (shared)", worstExecutions, "<=", 0.05, "");
        for (int i = 0; i < REVIEWS.length; i++) {
            Result.Use top = shared.get(i).highest();
            report.target("scale model: peak quota use, shared, " + label(REVIEWS[i]) + " review (" + top.quota().key() + ")",
                    top.fraction(), "<=", 0.7, "");
        }
        report.target("scale model: quiet system, longest wait to review start", quiet.maxStartDelaySeconds(), "<=", 1.5, " s");
    }

    static String label(long seconds) {
        return seconds >= 60 && seconds % 60 == 0 ? seconds / 60 + " min" : seconds + " s";
    }

    private static ObjectNode toJson(Result r) {
        ObjectNode o = Report.MAPPER.createObjectNode();
        o.put("design", r.design().name()).put("shared", r.design().shared()).put("batchSize", r.design().batchSize())
                .put("batchWindowSeconds", r.design().batchWindowSeconds()).put("tableShards", r.design().tableShards())
                .put("uploadsPerSecond", r.workload().uploadsPerSecond()).put("reviewSeconds", r.workload().reviewSeconds())
                .put("virtualSeconds", r.workload().seconds()).put("assets", r.assets()).put("executions", r.executions())
                .put("executionsPerUpload", r.executionsPerUpload()).put("meanStartDelaySeconds", r.meanStartDelaySeconds())
                .put("maxStartDelaySeconds", r.maxStartDelaySeconds()).put("uploadConcurrency", r.uploadConcurrency())
                .put("starterConcurrency", r.starterConcurrency()).put("reviewTaskConcurrency", r.reviewTaskConcurrency());
        ArrayNode uses = o.putArray("quotas");
        for (Result.Use u : r.uses()) {
            uses.addObject().put("quota", u.quota().key()).put("name", u.quota().name()).put("default", u.quota().limit())
                    .put("kind", u.quota().kind().name()).put("peak", u.peak()).put("fraction", u.fraction())
                    .put("refusedShare", u.refusedShare()).put("withinTarget", u.fraction() <= 0.7).put("source", u.quota().source());
        }
        return o;
    }
}
