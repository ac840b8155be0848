package dev.assetlib.cli;

/** The exit statuses every command keeps to (docs/cli.md lists them). */
public final class ExitCodes {
    /** Everything asked for succeeded (uploads and waits: every asset Active). */
    public static final int OK = 0;
    /** The service answered, but an asset failed, was refused or is unknown, or a check found problems. */
    public static final int FAILED = 1;
    /** The command line was wrong (picocli's usage exit code too). */
    public static final int USAGE = 2;
    /** The service refused the request or could not be reached. */
    public static final int SERVICE = 3;

    private ExitCodes() {
    }
}
