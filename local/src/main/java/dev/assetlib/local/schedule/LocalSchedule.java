package dev.assetlib.local.schedule;

import dev.assetlib.local.sfn.LocalLambda;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A function's {@code Type: Schedule} event (an EventBridge rule), run locally: the function is
 * invoked with a scheduled event every {@code rate(...)}, the rate scaled by the stack's time scale
 * like every other wait, one invocation at a time (the first at once: a restarted stack resumes
 * its work without waiting a whole period). A failed invocation is logged and the next one runs on time.
 */
public final class LocalSchedule implements AutoCloseable {
    private static final Pattern RATE = Pattern.compile("rate\\((\\d+) (minute|minutes|hour|hours|day|days)\\)");

    private final ScheduledExecutorService timer;

    public LocalSchedule(String functionId, String ruleArn, String expression, LocalLambda function, double timeScale) {
        Duration period = period(expression);
        long millis = Math.max(50, Math.round(period.toMillis() * timeScale));
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "schedule-" + functionId);
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            String event = "{\"version\":\"0\",\"id\":\"" + UUID.randomUUID() + "\",\"detail-type\":\"Scheduled Event\","
                    + "\"source\":\"aws.events\",\"account\":\"000000000000\",\"time\":\"" + Instant.now() + "\","
                    + "\"region\":\"us-east-1\",\"resources\":[\"" + ruleArn + "\"],\"detail\":{}}";
            try {
                function.invoke(event.getBytes(StandardCharsets.UTF_8));
            } catch (Exception e) {
                System.err.println(functionId + " failed on its schedule (runs again in " + millis + " ms): " + e);
            }
        }, 0, millis, TimeUnit.MILLISECONDS);
    }

    /** {@code rate(N unit)}; cron expressions are refused at start (the template uses none). */
    static Duration period(String expression) {
        Matcher m = RATE.matcher(expression.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalStateException("Schedule " + expression + ": the local stack runs rate(N minutes|hours|days) only");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "minute", "minutes" -> Duration.ofMinutes(n);
            case "hour", "hours" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
