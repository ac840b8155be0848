package dev.assetlib.review;

import dev.assetlib.domain.FailureCode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A SIMULATED reviewer for local runs, tests and demos: it looks at nothing. It decides at
 * submission from the URL alone (the first matching reject rule rejects, otherwise approves) and
 * reveals the decision once the configured delay has passed. Its reference carries the decision
 * and the time it becomes visible, so it needs no state of its own and behaves the same in any
 * Lambda instance, like a remote reviewer asked by reference.
 */
public final class SimulatedReviewer implements Reviewer {
    private static final String REF_PREFIX = "sim1:";

    private final Duration delay;
    private final List<RejectRule> rules;
    private final Clock clock;

    public SimulatedReviewer(Duration delay, List<RejectRule> rules, Clock clock) {
        this.delay = delay;
        this.rules = List.copyOf(rules);
        this.clock = clock;
    }

    @Override
    public String name() {
        return "simulated";
    }

    @Override
    public Map<String, SubmitOutcome> submit(List<ReviewItem> items) {
        long visibleAt = clock.millis() + delay.toMillis();
        Map<String, SubmitOutcome> outcomes = new HashMap<>();
        for (ReviewItem item : items) {
            String reason = rules.stream().filter(r -> r.pattern().matcher(item.url()).find())
                    .map(RejectRule::reason).findFirst().orElse("");
            String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(reason.getBytes(StandardCharsets.UTF_8));
            outcomes.put(item.assetId(), new SubmitOutcome.Accepted(REF_PREFIX + visibleAt + ":" + encoded));
        }
        return outcomes;
    }

    @Override
    public Map<String, ReviewDecision> check(List<ReviewTicket> tickets) {
        long now = clock.millis();
        Map<String, ReviewDecision> decisions = new HashMap<>();
        for (ReviewTicket ticket : tickets) {
            decisions.put(ticket.assetId(), decide(ticket.reviewRef(), now));
        }
        return decisions;
    }

    private static ReviewDecision decide(String ref, long now) {
        String[] parts = ref == null ? new String[0] : ref.split(":", 3);
        if (parts.length != 3 || !ref.startsWith(REF_PREFIX)) {
            throw new IllegalArgumentException("not a simulated reviewer reference: " + ref);
        }
        if (now < Long.parseLong(parts[1])) {
            return ReviewDecision.PENDING;
        }
        String reason = new String(Base64.getUrlDecoder().decode(parts[2]), StandardCharsets.UTF_8);
        return reason.isEmpty() ? ReviewDecision.APPROVED : new ReviewDecision.Rejected(FailureCode.REVIEW_REJECTED, reason);
    }
}
