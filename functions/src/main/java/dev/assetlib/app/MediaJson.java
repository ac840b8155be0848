package dev.assetlib.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.domain.AssetMedia;

/** The additive public {@code media} object of detail, list, status items and completion messages. */
public final class MediaJson {
    private MediaJson() {
    }

    /** Adds {@code media} (only the fields that apply; never the stored copy's key); nothing when null. */
    public static void put(ObjectNode target, AssetMedia m) {
        if (m == null) {
            return;
        }
        ObjectNode media = target.putObject("media");
        media.put("format", m.format());
        media.put("bytes", m.bytes());
        if (m.sha256() != null) {
            media.put("sha256", m.sha256());
        }
        if (m.width() != null) {
            media.put("width", m.width());
        }
        if (m.height() != null) {
            media.put("height", m.height());
        }
        if (m.durationMs() != null) {
            media.put("durationMs", m.durationMs());
        }
        if (m.fps() != null) {
            media.put("fps", Math.round(m.fps() * 1000) / 1000.0);
        }
    }
}
