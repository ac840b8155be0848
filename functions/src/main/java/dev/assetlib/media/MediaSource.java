package dev.assetlib.media;

import java.net.URI;

/** Where an asset's bytes come from: a client's URL, or the object of a direct upload as its ObjectCreated event named it. */
public sealed interface MediaSource {
    record FromUrl(URI url) implements MediaSource {
    }

    /** {@code versionId} is null for an unversioned upload bucket; {@code eTag} pins the object either way. */
    record FromUpload(String bucket, String key, String versionId, String eTag) implements MediaSource {
    }
}
