package dev.assetlib.bench.scale;

import dev.assetlib.app.review.PollSchedule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Replays a workload against a design in virtual time (0.1 s ticks) and records what every
 * quota-limited resource is asked for: StartExecution calls, state transitions, open executions,
 * Lambda concurrency per function, DynamoDB request units (per table and for the busiest account's
 * partition), completion sends, messages in flight on the review-start queue, API requests. The
 * executions follow the state machine as it is (SubmitToReviewer + Choice, then Wait + CheckReview +
 * Choice per round with the waits of {@link PollSchedule}, then Succeed) and end when their last
 * asset is decided. It is a demand model: nothing is slowed down by a refusal, and {@link Result}
 * runs each rate through a token bucket of the quota's size to count what AWS would refuse.
 */
public final class LoadModel {
    public static final double TICK = 0.1;

    private final PollSchedule schedule;
    private final long deadlineSeconds;
    private final Costs costs;
    /** Check times after the execution starts: checkAt[k] is the (k+1)-th CheckReview. */
    private final double[] checkAt;

    public LoadModel(PollSchedule schedule, long deadlineSeconds, Costs costs) {
        this.schedule = schedule;
        this.deadlineSeconds = deadlineSeconds;
        this.costs = costs;
        List<Double> times = new ArrayList<>();
        long elapsed = 0;
        for (int round = 0; elapsed < deadlineSeconds && round < PollSchedule.MAX_ROUNDS; round++) {
            elapsed += schedule.waitSeconds(round, Math.max(1, deadlineSeconds - elapsed));
            times.add((double) elapsed);
        }
        checkAt = times.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The check (0-based round) that first sees a review of {@code reviewSeconds} decided. */
    int decidingRound(double reviewSeconds) {
        int i = Arrays.binarySearch(checkAt, reviewSeconds);
        int round = i >= 0 ? i : -i - 1;
        return Math.min(round, checkAt.length - 1); // past the deadline: the last check fails it
    }

    double checkAt(int round) {
        return checkAt[round];
    }

    public Result run(Workload w, Design d) {
        Sim sim = new Sim(w, d);
        Random random = new Random(w.seed());
        long assets = Math.round(w.uploadsPerSecond() * w.seconds());
        double gap = 1 / w.uploadsPerSecond();
        Batch batch = new Batch(d.batchSize());
        for (long i = 0; i < assets; i++) {
            double at = i * gap;
            double review = w.reviewSeconds() * (1 - w.spread() + 2 * w.spread() * random.nextDouble());
            int account = random.nextInt(w.accounts());
            sim.upload(at, account);
            if (!d.shared()) {
                // The upload function starts the execution itself, before it answers.
                double start = at + costs.uploadStartingSeconds();
                sim.execution(start, new double[] {review}, new int[] {account});
                sim.startDelay(0);
                continue;
            }
            if (batch.size > 0 && at > batch.openedAt + d.batchWindowSeconds()) {
                sim.closeBatch(batch, batch.openedAt + d.batchWindowSeconds());
            }
            batch.add(at, review, account);
            if (batch.size == d.batchSize()) {
                sim.closeBatch(batch, at);
            }
        }
        if (batch.size > 0) {
            sim.closeBatch(batch, batch.openedAt + d.batchWindowSeconds());
        }
        return sim.result(assets);
    }

    /** The messages the starter has been handed but not yet started (one event source batch). */
    private static final class Batch {
        final double[] arrivals;
        final double[] reviews;
        final int[] accounts;
        int size;
        double openedAt;

        Batch(int capacity) {
            arrivals = new double[capacity];
            reviews = new double[capacity];
            accounts = new int[capacity];
        }

        void add(double at, double review, int account) {
            if (size == 0) {
                openedAt = at;
            }
            arrivals[size] = at;
            reviews[size] = review;
            accounts[size] = account;
            size++;
        }
    }

    /** The demand series of one run. */
    private final class Sim {
        final Workload w;
        final Design d;
        final int ticks;
        final double[] startExecution;
        final double[] transitions;
        final double[] openDelta;
        final double[] uploadLambda;
        final double[] starterLambda;
        final double[] taskLambda;
        final double[][] tableWrites;
        final double[][] tableReads;
        final double[][] accountWrites;
        final double[] completionSends;
        final double[] startQueueDelta;
        final double[] apiRequests;
        long executions;
        double startDelaySum;
        double startDelayMax;
        long startDelays;

        Sim(Workload w, Design d) {
            this.w = w;
            this.d = d;
            // Room for the last execution to finish after the last arrival.
            double slowest = checkAt[decidingRound(w.reviewSeconds() * (1 + w.spread()))];
            ticks = (int) Math.ceil((w.seconds() + d.batchWindowSeconds() + slowest + 10) / TICK);
            startExecution = new double[ticks];
            transitions = new double[ticks];
            openDelta = new double[ticks];
            uploadLambda = new double[ticks];
            starterLambda = new double[ticks];
            taskLambda = new double[ticks];
            tableWrites = new double[d.tableShards()][ticks];
            tableReads = new double[d.tableShards()][ticks];
            accountWrites = new double[w.accounts()][ticks];
            completionSends = new double[ticks];
            startQueueDelta = new double[ticks];
            apiRequests = new double[ticks];
        }

        int tick(double t) {
            return Math.min(ticks - 1, (int) (t / TICK));
        }

        /** Lambda run time of {@code seconds} from {@code at}, spread over the ticks it covers. */
        void run(double[] lambda, double at, double seconds) {
            int k = tick(at);
            double first = Math.min(seconds, Math.max(0, (k + 1) * TICK - at));
            lambda[k] += first;
            double left = seconds - first;
            for (k++; left > 0 && k < ticks; k++) {
                double part = Math.min(left, TICK);
                lambda[k] += part;
                left -= part;
            }
            if (left > 0) {
                lambda[ticks - 1] += left;
            }
        }

        void write(double at, int account, double wru) {
            int k = tick(at);
            tableWrites[account % d.tableShards()][k] += wru;
            accountWrites[account][k] += wru;
        }

        void read(double at, int account, double rru) {
            tableReads[account % d.tableShards()][tick(at)] += rru;
        }

        void upload(double at, int account) {
            apiRequests[tick(at)] += 1;
            run(uploadLambda, at, d.shared() ? costs.uploadEnqueueSeconds() : costs.uploadStartingSeconds());
            write(at, account, costs.createWru());
            if (d.shared()) {
                startQueueDelta[tick(at)] += 1;
            }
        }

        void startDelay(double seconds) {
            startDelaySum += seconds;
            startDelayMax = Math.max(startDelayMax, seconds);
            startDelays++;
        }

        void closeBatch(Batch b, double closedAt) {
            run(starterLambda, closedAt, costs.starterSeconds());
            double start = closedAt + costs.starterSeconds();
            // The event source mapping deletes the batch's messages when the starter returns.
            startQueueDelta[tick(start)] -= b.size;
            for (int i = 0; i < b.size; i++) {
                startDelay(start - b.arrivals[i]);
            }
            execution(start, Arrays.copyOf(b.reviews, b.size), Arrays.copyOf(b.accounts, b.size));
            b.size = 0;
        }

        /** One execution reviewing assets whose reviews take {@code reviews} seconds from its start. */
        void execution(double start, double[] reviews, int[] accounts) {
            executions++;
            int n = reviews.length;
            startExecution[tick(start)] += 1;
            transitions[tick(start)] += 2; // SubmitToReviewer, ReviewDone?
            openDelta[tick(start)] += 1;
            run(taskLambda, start, costs.submitBaseSeconds() + costs.submitPerAssetSeconds() * n);
            read(start, accounts[0], costs.referenceRru());
            write(start, accounts[0], costs.referenceWru());
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            if (n > 1) {
                Arrays.sort(order, (a, b) -> Double.compare(reviews[a], reviews[b]));
            }
            int next = 0;
            double end = start;
            for (int round = 0; next < n; round++) {
                double at = start + checkAt[Math.min(round, checkAt.length - 1)];
                int pending = n - next;
                int decided = 0;
                while (next < n && (round >= checkAt.length - 1 || reviews[order[next]] <= checkAt[round])) {
                    int account = accounts[order[next]];
                    read(at, account, costs.assetRru());
                    write(at, account, costs.decisionWru() + costs.completionMarkWru());
                    next++;
                    decided++;
                }
                transitions[tick(at)] += 3; // WaitForReviewer, CheckReview, ReviewDone?
                int parallel = n == 1 ? 1 : costs.decisionParallelism();
                run(taskLambda, at, costs.checkBaseSeconds() + costs.checkPerPendingSeconds() * pending
                        + costs.decisionSeconds() * Math.ceil((double) decided / parallel));
                int perCall = n == 1 ? 1 : costs.completionBatch();
                completionSends[tick(at)] += Math.ceil((double) decided / perCall);
                end = at;
            }
            transitions[tick(end)] += 1; // ReviewComplete
            openDelta[tick(end)] -= 1;
        }

        Result result(long assets) {
            List<Result.Use> uses = new ArrayList<>();
            uses.add(Result.rate(Quota.START_EXECUTION, startExecution));
            uses.add(Result.rate(Quota.STATE_TRANSITIONS, transitions));
            uses.add(Result.level(Quota.OPEN_EXECUTIONS, cumulative(openDelta)));
            double[] upload = concurrency(uploadLambda);
            double[] starter = concurrency(starterLambda);
            double[] task = concurrency(taskLambda);
            double[] all = new double[ticks];
            for (int k = 0; k < ticks; k++) {
                all[k] = upload[k] + starter[k] + task[k];
            }
            uses.add(Result.level(Quota.LAMBDA_CONCURRENCY, all));
            uses.add(Result.rate(Quota.TABLE_WRITES, busiest(tableWrites)));
            uses.add(Result.rate(Quota.TABLE_READS, busiest(tableReads)));
            uses.add(Result.rate(Quota.PARTITION_WRITES, busiest(accountWrites)));
            uses.add(Result.rate(Quota.COMPLETION_SENDS, completionSends));
            uses.add(Result.level(Quota.START_QUEUE_IN_FLIGHT, cumulative(startQueueDelta)));
            uses.add(Result.rate(Quota.API_REQUESTS, apiRequests));
            return new Result(w, d, assets, executions, startDelays == 0 ? 0 : startDelaySum / startDelays, startDelayMax, uses,
                    Result.peak(upload), Result.peak(starter), Result.peak(task));
        }

        double[] concurrency(double[] lambdaSeconds) {
            double[] c = new double[ticks];
            for (int k = 0; k < ticks; k++) {
                c[k] = lambdaSeconds[k] / TICK;
            }
            return c;
        }
    }

    static double[] cumulative(double[] delta) {
        double[] level = new double[delta.length];
        double sum = 0;
        for (int k = 0; k < delta.length; k++) {
            sum += delta[k];
            level[k] = sum;
        }
        return level;
    }

    /** The series whose busiest second is the busiest of all (a table shard, an account's partition). */
    static double[] busiest(double[][] series) {
        double[] best = series[0];
        double bestPeak = -1;
        for (double[] s : series) {
            double p = Result.peakPerSecond(s);
            if (p > bestPeak) {
                bestPeak = p;
                best = s;
            }
        }
        return best;
    }

    public PollSchedule schedule() {
        return schedule;
    }

    public long deadlineSeconds() {
        return deadlineSeconds;
    }
}
