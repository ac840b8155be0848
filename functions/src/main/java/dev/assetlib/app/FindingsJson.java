package dev.assetlib.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.json.JsonCodec;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The additive public {@code findings} object (the automated review's decisive labels, faces and
 * rule) of detail, list, status items and completion messages, wherever {@code media} is.
 */
public final class FindingsJson {
    private FindingsJson() {
    }

    /** Adds {@code findings} from the stored JSON text; nothing when the asset has none. */
    public static void put(ObjectNode target, String assetId, String findings) {
        if (findings == null) {
            return;
        }
        try {
            target.set("findings", JsonCodec.parse(findings));
        } catch (IOException written) {
            throw new UncheckedIOException("stored findings are not JSON: " + assetId, written);
        }
    }
}
