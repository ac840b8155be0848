package dev.assetlib.app.query;

import dev.assetlib.app.AssetIdRules;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.domain.AssetEvent;
import dev.assetlib.json.JsonCodec;
import dev.assetlib.store.AssetStore;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * {@code GET /kyyReactApiServer/kyyVideo2/asset/{assetId}/history}: every change of the asset, in
 * the order it was committed, each with {@code time}, {@code from}, {@code to}, {@code reason} and
 * {@code actor}. Readable after a delete, until the tombstone's retention period ends.
 */
public final class AssetHistory {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private final AssetStore store;
    private final Clock clock;

    public AssetHistory(AssetStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public ObjectNode history(String accountId, String assetId) {
        AssetIdRules.requireWellFormed(assetId);
        List<AssetEvent> events = store.history(accountId, assetId, clock.instant())
                .orElseThrow(() -> AssetIdRules.notFound(assetId));
        ObjectNode data = JsonCodec.object();
        data.put("assetId", assetId);
        ArrayNode list = data.putArray("events");
        for (AssetEvent e : events) {
            ObjectNode item = list.addObject();
            item.put("seq", e.seq());
            item.put("time", TIME.format(e.time()));
            item.put("change", e.change());
            if (e.from() == null) {
                item.putNull("from");
            } else {
                item.put("from", e.from().name());
            }
            item.put("to", e.to().name());
            item.put("reason", e.reason());
            item.put("actor", e.actor());
            if (e.errorCode() != null) {
                item.put("errorCode", e.errorCode());
            }
            if (AssetEvent.RENAMED.equals(e.change())) {
                item.put("fromName", e.fromName());
                item.put("toName", e.toName());
            }
        }
        return data;
    }
}
