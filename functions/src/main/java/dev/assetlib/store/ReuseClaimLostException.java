package dev.assetlib.store;

import java.util.List;

/**
 * Another upload claimed one of these URLs for reuse between the lookup and the creating
 * transaction; nothing was created. Look the URLs up again: they now answer the other asset.
 */
public final class ReuseClaimLostException extends RuntimeException {
    private final List<Integer> items;

    ReuseClaimLostException(List<Integer> items) {
        super("another upload claimed the URL(s) first", null, false, false);
        this.items = List.copyOf(items);
    }

    /** The positions, among the items to create, whose claim was lost. */
    public List<Integer> items() {
        return items;
    }
}
