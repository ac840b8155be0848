package dev.assetlib.store;

/** A {@link CreationGuard}'s item already existed: nothing was created by this call. */
public class DuplicateCreationException extends RuntimeException {
    public DuplicateCreationException(String message) {
        super(message);
    }
}
