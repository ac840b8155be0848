package dev.assetlib.store;

/** The {@link CreateGuard}'s condition failed, so nothing was created. */
public class GuardFailedException extends RuntimeException {
    public GuardFailedException(String message) {
        super(message);
    }
}
