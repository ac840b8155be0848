package dev.assetlib.cli.media;

/** An asset type of the API and the media type to declare for it. */
public record MediaKind(String assetType, String contentType) {
    public static final MediaKind UNKNOWN_DOCUMENT = new MediaKind("Document", "application/octet-stream");
}
