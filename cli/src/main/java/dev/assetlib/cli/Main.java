package dev.assetlib.cli;

import java.util.concurrent.atomic.AtomicBoolean;

/** {@code java -jar assetlib.jar}: the real context, and Ctrl-C's clean-up in a shutdown hook. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        CliContext context = CliContext.system();
        AtomicBoolean finished = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            if (!finished.get()) {
                for (String report : context.interrupts().runPending()) {
                    System.err.println("\nassetlib: " + report);
                }
            }
        }, "assetlib-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        int code = Cli.run(context, args);
        finished.set(true);
        System.exit(code);
    }
}
