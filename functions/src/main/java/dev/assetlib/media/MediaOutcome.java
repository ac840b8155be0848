package dev.assetlib.media;

import dev.assetlib.objects.StoredMedia;

/** How the media step ended for one asset. */
public sealed interface MediaOutcome {
    String assetId();

    /** The media passed: its facts (with SHA-256) and the service's stored copy. */
    record Accepted(String assetId, MediaFacts facts, StoredMedia stored) implements MediaOutcome {
    }

    /** The media is refused: the asset ends Failed with this code and message. {@code facts} when probed. */
    record Refused(String assetId, String code, String message, MediaFacts facts) implements MediaOutcome {
        public String describe() {
            return code + ": " + message;
        }
    }

    /** A fault of ours (S3, local disk): not the media's fault, so the step is retried, never the asset failed for it. */
    record Fault(String assetId, String message) implements MediaOutcome {
    }
}
