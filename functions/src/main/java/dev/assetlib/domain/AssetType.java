package dev.assetlib.domain;

import java.util.Optional;

/** The media kinds of the public API. Names are case-sensitive on the wire ("image" is an error). */
public enum AssetType {
    Image, Video, Audio, Document;

    /** The exact wire name, or empty when the text is not one (no case folding, by contract). */
    public static Optional<AssetType> fromWire(String text) {
        for (AssetType t : values()) {
            if (t.name().equals(text)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
