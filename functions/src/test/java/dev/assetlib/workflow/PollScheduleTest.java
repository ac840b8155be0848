package dev.assetlib.workflow;

import dev.assetlib.app.review.PollSchedule;
import static org.assertj.core.api.Assertions.assertThat;

import dev.assetlib.config.Config;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The polling schedule keeps every review inside Step Functions' 25,000-event history: the README's
 * figures come from {@link #rounds}.
 */
class PollScheduleTest {
    /** Events one round adds: Wait entered/exited, Task entered/scheduled/started/succeeded/exited, Choice entered/exited. */
    static final int EVENTS_PER_ROUND = 9;
    /** ExecutionStarted, the submit task (5), its Choice (2), the final Succeed (2) and ExecutionSucceeded. */
    static final int FIXED_EVENTS = 11;

    static int rounds(PollSchedule schedule, long deadlineSeconds) {
        long elapsed = schedule.waitSeconds(0, deadlineSeconds);
        int round = 0;
        while (elapsed < deadlineSeconds) {
            round++;
            elapsed += schedule.waitSeconds(round, deadlineSeconds - elapsed);
        }
        return round + 1; // the check at the deadline itself
    }

    @ParameterizedTest(name = "deadline {0}s with the template's default schedule")
    @CsvSource({"600", "86400", "604800", "2592000"})
    void theLongestReviewStaysWellInsideTheHistoryLimit(long deadlineSeconds) {
        Config defaults = new Config(Map.of());
        PollSchedule schedule = new PollSchedule(defaults.pollFirstSeconds(), defaults.pollGrowthFactor(), defaults.pollMaxSeconds());

        int rounds = rounds(schedule, deadlineSeconds);
        long events = FIXED_EVENTS + (long) rounds * EVENTS_PER_ROUND;

        assertThat(rounds).isLessThanOrEqualTo(PollSchedule.MAX_ROUNDS);
        assertThat(events).isLessThan(25_000 * 3 / 4);
    }

    @ParameterizedTest(name = "first {0}s, factor {1}, cap {2}s")
    @CsvSource({"2, 1.3, 120", "1, 1.0, 1", "5, 2.0, 3600"})
    void waitsStartShortGrowAndNeverPassTheDeadline(double first, double factor, double cap) {
        PollSchedule schedule = new PollSchedule(first, factor, cap);
        assertThat(schedule.waitSeconds(0, 86_400)).isEqualTo(Math.max(1, Math.round(first)));
        long previous = 0;
        for (int round = 0; round < 40; round++) {
            long wait = schedule.waitSeconds(round, 86_400);
            assertThat(wait).isGreaterThanOrEqualTo(previous).isLessThanOrEqualTo((long) Math.max(cap, 44)).isLessThanOrEqualTo((long) Math.ceil(first * Math.pow(factor, round)));
            previous = wait;
        }
        assertThat(schedule.waitSeconds(3, 7)).isLessThanOrEqualTo(7);
        assertThat(schedule.waitSeconds(3, 0)).isEqualTo(1);
    }
}
