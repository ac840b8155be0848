package dev.assetlib.store;

import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.domain.AssetType;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The benchmark's seeded asset, in exactly the store's own item layout (this class sits in the
 * store's package, in the bench module only, to use {@link AssetItems}).
 */
public final class BenchSeed {
    private BenchSeed() {
    }

    /** The keys of the asset's history events 1..n (a reset removes what the last run wrote). */
    public static java.util.List<Map<String, AttributeValue>> eventKeys(String accountId, String assetId, int n) {
        java.util.List<Map<String, AttributeValue>> keys = new java.util.ArrayList<>();
        for (long seq = 1; seq <= n; seq++) {
            keys.add(AssetItems.eventKey(accountId, assetId, seq));
        }
        return keys;
    }

    /** A single asset under review (Processing, completion not sent), as the upload creates it. */
    public static Map<String, AttributeValue> processingAsset(String accountId, String assetId, String url, String name, Instant now) {
        return AssetItems.toItem(new Asset(accountId, assetId, AssetType.Image, url, name, AssetStatus.Processing,
                now, now, null, null, assetId, false), 1);
    }
}
