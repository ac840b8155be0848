package dev.assetlib.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.cli.Interrupts;
import dev.assetlib.cli.http.AssetApi;
import dev.assetlib.cli.http.Sleeper;
import dev.assetlib.cli.term.StatusBoard;
import dev.assetlib.cli.term.Style;
import dev.assetlib.cli.term.Units;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Polls until every asset is Active or Failed: one batch status call per round for up to 100
 * assets (the service's polling reads its table only, never the reviewer), waits growing from
 * {@code interval} by half each round up to 10 s, the live lines redrawn after each round.
 */
final class Waiter {
    static final Duration MAX_INTERVAL = Duration.ofSeconds(10);

    private final AssetApi api;
    private final Sleeper sleeper;
    private final LongSupplier nanoTime;
    private final StatusBoard board;
    private final Style style;
    private final Duration interval;
    private final Duration timeout;
    private final Interrupts interrupts;

    Waiter(AssetApi api, Sleeper sleeper, LongSupplier nanoTime, StatusBoard board, Style style, Duration interval,
            Duration timeout, Interrupts interrupts) {
        this.api = api;
        this.sleeper = sleeper;
        this.nanoTime = nanoTime;
        this.board = board;
        this.style = style;
        this.interval = interval;
        this.timeout = timeout;
        this.interrupts = interrupts;
    }

    List<Outcome> await(List<Outcome> start) throws InterruptedException {
        List<Outcome> current = new ArrayList<>(start);
        long began = nanoTime.getAsLong();
        Object note = interrupts.register(() -> {
            List<String> ids = current.stream().filter(o -> o.assetId() != null && !o.terminal()).map(Outcome::assetId).toList();
            return ids.isEmpty() ? null : "stopped waiting; the service goes on reviewing. Wait again with: assetlib wait " + String.join(" ", ids);
        });
        try {
            Duration pause = interval;
            while (true) {
                poll(current);
                board.draw(lines(current, nanoTime.getAsLong() - began));
                if (current.stream().allMatch(o -> o.assetId() == null || o.terminal())) {
                    break;
                }
                if (timeout != null && nanoTime.getAsLong() - began >= timeout.toNanos()) {
                    break;
                }
                sleeper.sleep(pause);
                long next = Math.min(Math.max(interval.toMillis(), MAX_INTERVAL.toMillis()), pause.toMillis() * 3 / 2 + 1);
                pause = Duration.ofMillis(next);
            }
        } finally {
            board.clear();
            interrupts.done(note);
        }
        return current;
    }

    private void poll(List<Outcome> current) {
        List<String> pending = new ArrayList<>();
        for (Outcome o : current) {
            if (o.assetId() != null && !o.terminal()) {
                pending.add(o.assetId());
            }
        }
        Map<String, JsonNode> found = new HashMap<>();
        Map<String, String> missing = new HashMap<>();
        for (int i = 0; i < pending.size(); i += AssetApi.STATUS_BATCH) {
            JsonNode data = api.status(pending.subList(i, Math.min(pending.size(), i + AssetApi.STATUS_BATCH)));
            data.path("items").forEach(item -> found.put(item.path("assetId").asText(), item));
            data.path("failedItems").forEach(item -> missing.put(item.path("assetId").asText(), item.path("errorMessage").asText()));
        }
        for (int i = 0; i < current.size(); i++) {
            Outcome o = current.get(i);
            if (o.assetId() == null || o.terminal()) {
                continue;
            }
            if (found.containsKey(o.assetId())) {
                current.set(i, o.updatedFrom(found.get(o.assetId())));
            } else if (missing.containsKey(o.assetId())) {
                current.set(i, o.withStatus(Outcome.NOT_FOUND, null, missing.get(o.assetId())));
            }
        }
    }

    private List<String> lines(List<Outcome> current, long elapsedNanos) {
        String elapsed = Units.clock(Duration.ofNanos(elapsedNanos));
        List<String> lines = new ArrayList<>();
        for (Outcome o : current) {
            String id = o.assetId() != null ? o.assetId() : "-";
            String tail = o.terminal() ? o.result() : "waiting " + elapsed;
            lines.add(id + "  " + (o.assetType() == null ? "" : o.assetType() + "  ") + style.status(o.status()) + "  " + tail);
        }
        return lines;
    }
}
