package dev.assetlib.media;

/** The probe's answer: the facts, or a file that starts as a known format but cannot be read through. */
public sealed interface ProbeResult {
    record Probed(MediaFacts facts) implements ProbeResult {
    }

    /** {@code reason} says what is wrong, e.g. "PNG ends before its IEND chunk (truncated)". */
    record Unreadable(MediaFormat format, String reason) implements ProbeResult {
    }
}
