package dev.assetlib.fetch;

import java.net.URI;
import java.nio.file.Path;

/** How one fetch ended: the bytes on disk with their SHA-256, or a stable code and a message naming the host. */
public sealed interface FetchOutcome {
    /** The body, written to {@code file}; {@code finalUrl} is the URL after redirects. */
    record Fetched(Path file, long bytes, String sha256, String contentType, URI finalUrl, int attempts)
            implements FetchOutcome {
    }

    record Failed(String code, String message, int attempts) implements FetchOutcome {
        /** "CODE: message", as stored on a failed asset. */
        public String describe() {
            return code + ": " + message;
        }
    }
}
