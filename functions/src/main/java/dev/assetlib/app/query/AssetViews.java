package dev.assetlib.app.query;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.domain.Asset;
import dev.assetlib.app.FindingsJson;
import dev.assetlib.app.MediaJson;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.json.JsonCodec;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The public JSON shapes of an asset. Field names are the contract's: never rename one. */
public final class AssetViews {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private AssetViews() {
    }

    /** Seedance 2.0 detail {@code data}; a Failed asset also says why. */
    public static ObjectNode detail(Asset a) {
        ObjectNode data = JsonCodec.object();
        if (a.name() == null) {
            data.putNull("name");
        } else {
            data.put("name", a.name());
        }
        data.put("assetId", a.assetId());
        data.put("status", a.status().name());
        data.put("assetType", a.assetType().name());
        data.put("url", a.url());
        data.put("createTime", TIME.format(a.createdAt()));
        data.put("updateTime", TIME.format(a.updatedAt()));
        if (a.status() == AssetStatus.Failed) {
            data.put("errorCode", a.errorCode());
            data.put("errorMessage", a.errorMessage());
        }
        MediaJson.put(data, a.media());
        FindingsJson.put(data, a.assetId(), a.findings());
        return data;
    }
}
