package dev.assetlib.app.upload;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.domain.Asset;
import dev.assetlib.json.JsonCodec;
import dev.assetlib.store.IdempotencyRecords;
import java.util.List;

/**
 * What an upload came to: its assets in request order (each new or {@code reused}) and, for a
 * batch, the URLs it refused. {@link #toJson()} is its one recorded form: what an idempotency
 * record keeps (whichever way the upload came) and the {@code data} of the HTTP routes' answer.
 *
 * @param batch null for a single upload; the batch request (its accepted URLs, in order, and its refusals)
 */
public record UploadResult(List<Uploaded> uploaded, UploadRequests.BatchUpload batch) {
    /** One asset of an upload's answer; {@code reused} when it existed before this upload. */
    public record Uploaded(Asset asset, boolean reused) {
    }

    public boolean isBatch() {
        return batch != null;
    }

    /** Single: {@code {"assetId","reused"?}}; batch: {@code {"items":[...],"failedItems":[...]}}. */
    public ObjectNode toJson() {
        ObjectNode data = JsonCodec.object();
        if (batch == null) {
            Uploaded u = uploaded.get(0);
            data.put("assetId", u.asset().assetId());
            if (u.reused()) {
                data.put("reused", true);
            }
            return data;
        }
        ArrayNode items = data.putArray("items");
        for (int i = 0; i < uploaded.size(); i++) {
            Uploaded u = uploaded.get(i);
            ObjectNode item = items.addObject().put("assetType", u.asset().assetType().name())
                    .put("originalUrl", batch.accepted().get(i).url())
                    .put("assetId", u.asset().assetId()).put("status", u.asset().status().name());
            if (u.reused()) {
                item.put("reused", true);
            }
        }
        ArrayNode failed = data.putArray("failedItems");
        for (UploadRequests.RefusedUrl r : batch.refused()) {
            failed.addObject().put("originalUrl", r.originalUrl()).put("errorMessage", r.errorMessage());
        }
        return data;
    }

    /** The answer an idempotency record keeps for this upload. */
    public IdempotencyRecords.Response recorded() {
        return new IdempotencyRecords.Response(200, JsonCodec.write(toJson()));
    }
}
