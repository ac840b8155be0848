package dev.assetlib.app.review;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.assetlib.config.Config;
import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every path of a review execution stays inside Step Functions' 25,000-event history, with room
 * for retries, for every parameter value template.yaml allows. The events per state come from
 * statemachine/review.asl.json (what each state type writes, as the local interpreter and AWS
 * record them); the rounds come from the task's own wait choice: {@link PollSchedule} and, while a
 * direct upload's object is awaited, at most {@link ReviewWorkflow#AWAITING_UPLOAD_MAX_WAIT_SECONDS}
 * between looks unless its own round budget needs longer ones ({@code ReviewWorkflow.nextWait}, whose
 * rule {@link #rounds} follows).
 */
class ReviewHistoryBudgetTest {
    static final int HISTORY_LIMIT = 25_000;
    /** Full-length outages (every retry of a task used up, then success) each path must still have room for. */
    static final int OUTAGES_RESERVED = 50;

    static JsonNode states;
    static JsonNode parameters;

    @BeforeAll
    static void read() throws Exception {
        states = new ObjectMapper().readTree(new File("../statemachine/review.asl.json")).get("States");
        parameters = new ObjectMapper(new YAMLFactory()).readTree(new File("../template.yaml")).get("Parameters");
    }

    /** History events a state writes when it runs once without error. */
    static int events(String name) {
        String type = states.get(name).get("Type").asText();
        return switch (type) {
            case "Task" -> 5;                      // Entered, Scheduled, Started, Succeeded, Exited
            case "Wait", "Choice", "Pass", "Succeed" -> 2; // Entered, Exited
            case "Fail" -> 1;                      // FailStateEntered
            default -> throw new AssertionError("no event count for state type " + type);
        };
    }

    /** Each retry of a task writes Scheduled, Started and Failed again. */
    static int retryEvents(String task) {
        JsonNode retry = states.get(task).get("Retry");
        return 3 * retry.get(retry.size() - 1).get("MaxAttempts").asInt();
    }

    /** The loop: from the Choice's Default round to the Choice again. */
    static int eventsPerRound() {
        String choice = states.get("SubmitToReviewer").get("Next").asText();
        int sum = events(choice);
        for (String s = states.get(choice).get("Default").asText(); !s.equals(choice); s = states.get(s).get("Next").asText()) {
            sum += events(s);
        }
        return sum;
    }

    /**
     * ExecutionStarted, the media step (with every retry it may take), the first task and its
     * Choice, the Succeed state and ExecutionSucceeded.
     */
    static int fixedEvents() {
        String first = states.get("SubmitToReviewer").get("Next").asText();
        return 1 + events("InspectMedia") + retryEvents("InspectMedia") + events("SubmitToReviewer") + events(first)
                + events("ReviewComplete") + 1;
    }

    /**
     * A direct upload's arrival: the check's Choice sends the review back through InspectMedia (with
     * every retry it may take) and SubmitToReviewer, then to the Choice, once per arrival.
     */
    static int arrivalEvents() {
        return events("InspectMedia") + retryEvents("InspectMedia") + events("SubmitToReviewer")
                + events(states.get("SubmitToReviewer").get("Next").asText());
    }

    /**
     * The worst ending instead of ReviewComplete: a check whose error outlasts its retries (its
     * attempts and its exit), FailRemaining failing on every retry too, then ReviewAbandoned and
     * ExecutionFailed; minus the events of the ReviewComplete ending it replaces.
     */
    static int worstEndingExtra() {
        int check = 2 + 3 * (1 + states.get("CheckReview").get("Retry").get(1).get("MaxAttempts").asInt());
        JsonNode failRetry = states.get("FailRemaining").get("Retry");
        int fail = 2 + 3 * (1 + failRetry.get(failRetry.size() - 1).get("MaxAttempts").asInt());
        return check + fail + events("ReviewAbandoned") + 1 - (events("ReviewComplete") + 1);
    }

    /**
     * Rounds (wait + check) of one execution: the asset awaits its object for {@code uploadWait}
     * seconds (0: a URL upload), the object arrives at the last look (or never), then the review
     * runs to the deadline with its schedule started afresh, as {@code ReviewWorkflow.check} does.
     */
    static long rounds(PollSchedule schedule, long deadline, long uploadWait, boolean arrives) {
        long now = 0;
        long rounds = 0;
        int round = 0;
        long uploadDeadline = Math.min(deadline, uploadWait);
        if (uploadWait > 0) {
            while (true) {
                long left = Math.max(1, uploadDeadline - now);
                long wait = Math.min(schedule.waitSeconds(round, left, ReviewWorkflow.AWAITING_UPLOAD_MAX_ROUNDS),
                        Math.max(ReviewWorkflow.AWAITING_UPLOAD_MAX_WAIT_SECONDS,
                                PollSchedule.budgetShare(round, left, ReviewWorkflow.AWAITING_UPLOAD_MAX_ROUNDS)));
                now += wait;
                rounds++;
                round++;
                if (now >= uploadDeadline) {
                    break;
                }
            }
            if (!arrives) {
                return rounds; // UPLOAD_MISSING at the check on the upload deadline
            }
            round = 0;
        }
        while (now < deadline) {
            now += schedule.waitSeconds(round, deadline - now);
            rounds++;
            round++;
        }
        return rounds; // the check at the deadline ends the review
    }

    static long maxValue(String parameter) {
        return parameters.get(parameter).get("MaxValue").asLong();
    }

    static long minValue(String parameter) {
        return parameters.get(parameter).get("MinValue").asLong();
    }

    static Config config(Map<String, String> env) {
        return new Config(env);
    }

    @Test
    void everyPathStaysInsideTheHistoryWithRoomForFiftyOutagesAtTheTemplatesWorstValues() {
        long deadline = maxValue("ReviewDeadlineSeconds");
        long uploadWait = maxValue("UploadWaitSeconds");
        int perRound = eventsPerRound();
        int reserve = OUTAGES_RESERVED * retryEvents("CheckReview");
        // The slowest schedule the template and Config accept: first and cap at their minimum, no growth.
        double slowestGrowth = 1.0;
        Map<String, PollSchedule> schedules = new LinkedHashMap<>();
        Config defaults = config(Map.of());
        schedules.put("defaults", new PollSchedule(defaults.pollFirstSeconds(), defaults.pollGrowthFactor(), defaults.pollMaxSeconds()));
        schedules.put("slowest", new PollSchedule(minValue("PollFirstSeconds"), slowestGrowth, minValue("PollMaxSeconds")));

        StringBuilder table = new StringBuilder("| schedule | path | rounds | events (worst ending) | + " + OUTAGES_RESERVED
                + " outages | of 25,000 |\n");
        for (var s : schedules.entrySet()) {
            Map<String, Long> paths = new LinkedHashMap<>();
            paths.put("URL upload, review to the deadline", rounds(s.getValue(), deadline, 0, false));
            paths.put("direct upload never arriving", rounds(s.getValue(), deadline, uploadWait, false));
            paths.put("direct upload arriving last, review to the deadline", rounds(s.getValue(), deadline, uploadWait, true));
            for (var p : paths.entrySet()) {
                long events = fixedEvents() + p.getValue() * perRound + worstEndingExtra()
                        + (p.getKey().contains("arriving") ? arrivalEvents() : 0);
                long withReserve = events + reserve;
                table.append(String.format("| %s | %s | %,d | %,d | %,d | %.0f %% |%n", s.getKey(), p.getKey(), p.getValue(),
                        events, withReserve, 100.0 * withReserve / HISTORY_LIMIT));
                assertThat(withReserve).as(s.getKey() + ": " + p.getKey() + " " + p.getValue() + " rounds (deadline " + deadline + " s, upload wait "
                        + uploadWait + " s)").isLessThanOrEqualTo(HISTORY_LIMIT);
            }
        }
        System.out.print(table);
    }

    @Test
    void theEventCountsAreThoseOfTheDefinition() {
        // One round is Wait (2) + Task (5) + Choice (2); a change to the loop must show up here.
        assertThat(eventsPerRound()).isEqualTo(9);
        // 11 without the media step, plus InspectMedia's task (5) and its worst retries (45).
        assertThat(fixedEvents()).isEqualTo(11 + 5 + 45);
        assertThat(retryEvents("CheckReview")).isEqualTo(45);
        // An arrived object goes back through InspectMedia (5 + 45) and SubmitToReviewer (5) to the Choice (2).
        assertThat(arrivalEvents()).isEqualTo(57);
        assertThat(states.get("ReviewDone?").get("Choices").findValuesAsText("Next")).contains("InspectMedia");
    }

    @Test
    void theTwoRoundBudgetsOfADirectUploadFitTheHistoryTogether() {
        long events = fixedEvents() + (long) (ReviewWorkflow.AWAITING_UPLOAD_MAX_ROUNDS + PollSchedule.MAX_ROUNDS) * eventsPerRound()
                + arrivalEvents() + worstEndingExtra() + (long) OUTAGES_RESERVED * retryEvents("CheckReview");
        assertThat(events).isLessThanOrEqualTo(HISTORY_LIMIT);
    }
}
