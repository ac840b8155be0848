package dev.assetlib.domain;

import java.util.Optional;

/**
 * The status model of the contract. {@code submitted} is SD2 Manxue's first state; {@code Active}
 * and {@code Failed} are terminal: no event moves an asset out of them.
 */
public enum AssetStatus {
    submitted, Processing, Active, Failed;

    public boolean isTerminal() {
        return this == Active || this == Failed;
    }

    public static Optional<AssetStatus> fromWire(String text) {
        for (AssetStatus s : values()) {
            if (s.name().equals(text)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
