package dev.assetlib.cli;

import dev.assetlib.local.RunningStack;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real local stack, started in this JVM as ./run-local starts it (free ports, time scale
 * 0.01: a 10 s simulated review takes about 0.1 s), once per flavour for the whole test run
 * (JUnit's root store closes it at the end). The CLI reaches it over HTTP only.
 */
public final class LocalStackExtension implements BeforeAllCallback {
    public static final String UPLOADER_KEY = key("cliUploader");
    public static final String OTHER_KEY = key("cliOtherAccount");
    public static final String REVIEWER_KEY = key("cliReviewer");
    /** The LIMITS flavour's uploader (account cli-limits). */
    public static final String LIMITS_KEY = key("cliLimits");
    public static final String REJECT_REASON = "Rejected by the CLI test rule: several faces where one is allowed";

    public enum Flavour { SIMULATED, HUMAN, LIMITS }

    private final Flavour flavour;
    private RunningStack stack;

    private LocalStackExtension(Flavour flavour) {
        this.flavour = flavour;
    }

    /** The simulated reviewer: approves after its delay, rejects URLs containing "rejected-by-cli-test". */
    public static LocalStackExtension simulated() {
        return new LocalStackExtension(Flavour.SIMULATED);
    }

    /** The simulated reviewer with account limits on (--parameter AccountLimitsEnabled=true): usage counts. */
    public static LocalStackExtension limits() {
        return new LocalStackExtension(Flavour.LIMITS);
    }

    /** The human review queue: {@link #REVIEWER_KEY} decides for the uploader's account. */
    public static LocalStackExtension human() {
        return new LocalStackExtension(Flavour.HUMAN);
    }

    /** alk_ + 43 characters, as the stack requires. */
    static String key(String label) {
        return "alk_" + label + "0123456789abcdefghijklmnopqrstuvwxyz0123456789".substring(0, 43 - label.length());
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Holder holder = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent("assetlib-cli-stack-" + flavour, k -> new Holder(start(flavour)), Holder.class);
        stack = holder.stack;
    }

    public RunningStack stack() {
        return stack;
    }

    public String endpoint() {
        return stack.apiEndpoint().toString();
    }

    private static RunningStack start(Flavour flavour) {
        List<String> flags = new ArrayList<>(List.of("--api-port=0", "--dynamodb-port=0", "--sqs-port=0", "--sfn-port=0", "--s3-port=0",
                "--data-dir=cli/target/cli-test-uploads-" + UUID.randomUUID(), "--project-dir=..",
                "--time-scale=0.01", "--review-delay=10s"));
        if (flavour == Flavour.SIMULATED) {
            flags.addAll(List.of("--dev-key", UPLOADER_KEY + "=cli-tests", "--dev-key", OTHER_KEY + "=cli-other",
                    "--reject", "rejected-by-cli-test=" + REJECT_REASON));
        } else if (flavour == Flavour.LIMITS) {
            flags.addAll(List.of("--dev-key", LIMITS_KEY + "=cli-limits", "--parameter", "AccountLimitsEnabled=true",
                    "--parameter", "QuotaInReview=7"));
        } else {
            flags.addAll(List.of("--reviewer", "human", "--dev-key", UPLOADER_KEY + "=studio", "--reviewer-key", REVIEWER_KEY + "=studio"));
        }
        try {
            return RunningStack.start(RunningStack.Hooks.NONE, flags.toArray(String[]::new));
        } catch (Exception e) {
            throw new IllegalStateException("the local stack did not start: " + e, e);
        }
    }

    private record Holder(RunningStack stack) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            stack.close();
        }
    }
}
