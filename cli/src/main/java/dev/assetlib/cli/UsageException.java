package dev.assetlib.cli;

/** Something the user must change on the command line or in the configuration (exit status 2). */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
