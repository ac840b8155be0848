package dev.assetlib.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What to do if the user presses Ctrl-C now. Work that the service would not finish by itself
 * registers an undo (a direct upload whose file is not sent yet: delete its asset, so it ends
 * Failed with DELETED at once instead of waiting for UPLOAD_MISSING); work it does finish
 * registers a note (a wait: the assets go on without us). Main runs them from a shutdown hook.
 */
public final class Interrupts {
    public interface Action {
        /** Does it, returning what was done, for stderr. */
        String run() throws Exception;
    }

    private final Map<Object, Action> pending = new LinkedHashMap<>();

    public synchronized Object register(Action action) {
        Object token = new Object();
        pending.put(token, action);
        return token;
    }

    public synchronized void done(Object token) {
        pending.remove(token);
    }

    /** Runs every pending action once (newest last), returning what each reported. */
    public List<String> runPending() {
        List<Action> actions;
        synchronized (this) {
            actions = new ArrayList<>(pending.values());
            pending.clear();
        }
        List<String> reports = new ArrayList<>();
        for (Action a : actions) {
            try {
                String r = a.run();
                if (r != null) {
                    reports.add(r);
                }
            } catch (Exception e) {
                reports.add("could not clean up: " + e.getMessage());
            }
        }
        return reports;
    }
}
