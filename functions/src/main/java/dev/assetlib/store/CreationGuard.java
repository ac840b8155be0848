package dev.assetlib.store;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An extra item written in the same transaction as new assets, only if no item has its key yet
 * (an idempotency record, for instance). If one exists the transaction creates nothing and
 * {@link AssetStore#createAll} throws {@link DuplicateCreationException}: the assets were created
 * before, by whoever wrote it.
 */
public record CreationGuard(Map<String, AttributeValue> key, Map<String, AttributeValue> item) {
    public CreationGuard {
        key = Map.copyOf(key);
        item = Map.copyOf(item);
        if (!item.entrySet().containsAll(key.entrySet())) {
            throw new IllegalArgumentException("the guard item must carry its own key");
        }
    }
}
