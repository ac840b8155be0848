package dev.assetlib.app.upload;

import java.net.URI;
import java.time.Instant;
import java.util.Map;

/** An upload URL, the headers the PUT must carry (they are signed), and when the URL expires. */
public record SignedUpload(URI url, Map<String, String> headers, Instant expiresAt) {
    public SignedUpload {
        headers = Map.copyOf(headers);
    }
}
