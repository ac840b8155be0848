package dev.assetlib.local.sfn;

/** The definition is invalid or uses something this interpreter does not implement. */
public final class DefinitionException extends IllegalArgumentException {
    public DefinitionException(String message) {
        super(message);
    }
}
