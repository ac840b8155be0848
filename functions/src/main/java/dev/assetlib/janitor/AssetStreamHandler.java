package dev.assetlib.janitor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import dev.assetlib.Services;
import dev.assetlib.app.manage.MediaLifecycle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * AssetStreamFunction: the assets table's stream (new and old images). Each change of an asset item
 * (sort key {@code ASSET#{id}}; history events and other items are skipped) goes to
 * {@link MediaLifecycle}: a Failed asset's copy is marked for expiry, a deleted or removed asset's
 * copy deleted. A failure is thrown so that Lambda retries the batch (bisecting it); every action
 * is idempotent.
 */
public final class AssetStreamHandler implements RequestHandler<DynamodbEvent, List<String>> {
    private final MediaLifecycle lifecycle;

    public AssetStreamHandler() {
        this(Services.lambda());
    }

    public AssetStreamHandler(Services services) {
        this(new MediaLifecycle(services.mediaCopies()));
    }

    public AssetStreamHandler(MediaLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    /** The action per record, in order (for logs and tests); SKIPPED for items that are not assets. */
    @Override
    public List<String> handleRequest(DynamodbEvent event, Context context) {
        List<String> out = new ArrayList<>();
        if (event == null || event.getRecords() == null) {
            return out;
        }
        for (DynamodbEvent.DynamodbStreamRecord r : event.getRecords()) {
            MediaLifecycle.AssetChange change = change(r);
            out.add(change == null ? "SKIPPED" : lifecycle.apply(change).name());
        }
        return out;
    }

    static MediaLifecycle.AssetChange change(DynamodbEvent.DynamodbStreamRecord r) {
        if (r.getDynamodb() == null || r.getDynamodb().getKeys() == null) {
            return null;
        }
        Map<String, AttributeValue> keys = r.getDynamodb().getKeys();
        String pk = str(keys, "pk");
        String sk = str(keys, "sk");
        if (pk == null || sk == null || !pk.startsWith("ACCOUNT#") || !sk.startsWith("ASSET#") || sk.contains("#EV#")) {
            return null;
        }
        Map<String, AttributeValue> before = r.getDynamodb().getOldImage();
        Map<String, AttributeValue> after = r.getDynamodb().getNewImage();
        return new MediaLifecycle.AssetChange(pk.substring("ACCOUNT#".length()), sk.substring("ASSET#".length()),
                str(before, "status"), str(after, "status"), has(before, "deletedAt"), has(after, "deletedAt"),
                "REMOVE".equals(r.getEventName()), sha256(after));
    }

    /** The copy's SHA-256 from the item's {@code media} map, if the media step recorded one. */
    private static String sha256(Map<String, AttributeValue> item) {
        AttributeValue media = item == null ? null : item.get("media");
        return media == null || media.getM() == null ? null : str(media.getM(), "sha256");
    }

    private static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item == null ? null : item.get(name);
        return v == null ? null : v.getS();
    }

    private static boolean has(Map<String, AttributeValue> item, String name) {
        return item != null && item.containsKey(name);
    }
}
