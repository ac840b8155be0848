package dev.assetlib.store;

import dev.assetlib.domain.Asset;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * One more write that must commit together with the creation of assets, or not at all (the
 * idempotency record of an upload: "these ids were created for this key"). Called for each attempt
 * with that attempt's assets; its condition failing cancels the creation and raises
 * {@link GuardFailedException}.
 */
@FunctionalInterface
public interface CreateGuard {
    TransactWriteItem write(List<Asset> created);
}
