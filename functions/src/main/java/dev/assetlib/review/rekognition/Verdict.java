package dev.assetlib.review.rekognition;

/** What the moderation policy makes of an asset's findings; {@code rule} says which rule decided, for people. */
public sealed interface Verdict {
    String rule();

    record Approve(String rule) implements Verdict {
    }

    record Reject(String rule) implements Verdict {
    }

    /** The policy cannot decide alone: a person does, seeing the findings. */
    record ToPerson(String rule) implements Verdict {
    }
}
