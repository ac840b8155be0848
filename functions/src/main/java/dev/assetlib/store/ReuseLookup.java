package dev.assetlib.store;

import dev.assetlib.domain.Asset;
import java.util.Optional;

/**
 * What {@code "reuse": true} finds for a URL and type: the live asset that holds it, or (when none
 * does) the claim a new asset must write to hold it.
 */
public record ReuseLookup(Optional<Asset> reusable, ReuseClaim claim) {
}
