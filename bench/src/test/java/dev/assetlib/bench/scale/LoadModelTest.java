package dev.assetlib.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.assetlib.app.review.PollSchedule;
import org.junit.jupiter.api.Test;

/** The load model against the template's poll schedule (3 s, x1.15, cap 120 s; 24 h deadline). */
class LoadModelTest {
    private final LoadModel model = new LoadModel(new PollSchedule(3, 1.15, 120), 86_400, Costs.assumed());

    @Test
    void aTenSecondReviewTakesThreeChecksAndTheTwelveTransitionsTheLocalStackCounts() {
        assertThat(model.decidingRound(10)).isEqualTo(2);
        assertThat(model.checkAt(2)).isEqualTo(10);
        Result r = model.run(new Workload(1, 10, 0, 100, 1, 19), Design.onePerUpload());
        assertThat(r.executions()).isEqualTo(100);
        assertThat(r.use(Quota.STATE_TRANSITIONS).total() / r.executions()).isEqualTo(12);
    }

    @Test
    void todaysDesignStartsOneExecutionPerUploadAndIsThrottledAt3000PerSecond() {
        Result r = model.run(new Workload(3_000, 10, 0.25, 60, 100, 19), Design.onePerUpload());
        assertThat(r.executionsPerUpload()).isEqualTo(1.0);
        Result.Use start = r.use(Quota.START_EXECUTION);
        assertThat(start.peak()).isCloseTo(3_000, within(1.0));
        assertThat(start.fraction()).isCloseTo(10, within(0.01));
        // 1,300 of burst and 300 a second pass; the rest of 3,000 a second is refused.
        assertThat(start.refusedShare()).isCloseTo(1 - (1_300 + 300 * 60.0) / 180_000, within(0.01));
        assertThat(r.use(Quota.STATE_TRANSITIONS).fraction()).isGreaterThan(1);
        assertThat(r.use(Quota.LAMBDA_CONCURRENCY).fraction()).isGreaterThan(0.7);
    }

    @Test
    void sharedDesignWithBatchesOf100AndAOneSecondWindowStartsAboutOneExecutionPer100Uploads() {
        Result r = model.run(new Workload(3_000, 10, 0.25, 60, 100, 19), Design.shared(100, 1, 1));
        assertThat(r.executionsPerUpload()).isCloseTo(0.01, within(0.0002));
        assertThat(r.use(Quota.START_EXECUTION).peak()).isCloseTo(30, within(1.0));
        // A full batch closes long before its window: 100 uploads arrive in 33 ms.
        assertThat(r.meanStartDelaySeconds()).isLessThan(0.1);
    }

    @Test
    void aQuietSystemStillStartsEachUploadsReviewWithinTheWindow() {
        Result r = model.run(new Workload(0.5, 10, 0.25, 120, 3, 19), Design.shared(100, 1, 1));
        assertThat(r.executionsPerUpload()).isEqualTo(1.0);
        assertThat(r.maxStartDelaySeconds()).isLessThanOrEqualTo(1 + Costs.assumed().starterSeconds() + 1e-9);
        assertThat(r.maxStartDelaySeconds()).isGreaterThan(1);
    }

    @Test
    void openExecutionsFollowLittlesLaw() {
        // 100 uploads a second, each execution open for its review plus the wait to the deciding check.
        Result r = model.run(Workload.steady(100, 600, 10, 19), Design.onePerUpload());
        double open = r.use(Quota.OPEN_EXECUTIONS).peak();
        assertThat(open).isBetween(100 * 600.0, 100 * 750.0);
    }

    @Test
    void theSharedDesignKeepsEveryModelledQuotaUnder70PercentAt3000PerSecondWhereTodaysExceedsThem() {
        Workload w = Workload.steady(3_000, 60, 200, 19);
        Result shared = model.run(w, Design.shared(100, 1, 2));
        Result today = model.run(w, Design.onePerUpload());
        assertThat(shared.highest().fraction()).isLessThanOrEqualTo(0.7);
        assertThat(shared.executionsPerUpload()).isLessThanOrEqualTo(0.05);
        assertThat(today.use(Quota.START_EXECUTION).fraction()).isGreaterThan(1);
        assertThat(today.use(Quota.STATE_TRANSITIONS).fraction()).isGreaterThan(1);
        assertThat(today.use(Quota.TABLE_WRITES).fraction()).isGreaterThan(1);
    }

    @Test
    void theSameSeedGivesTheSameRun() {
        Workload w = new Workload(500, 60, 0.25, 30, 7, 42);
        Result a = model.run(w, Design.shared(50, 1, 1));
        Result b = model.run(w, Design.shared(50, 1, 1));
        assertThat(a.uses()).isEqualTo(b.uses());
    }
}
