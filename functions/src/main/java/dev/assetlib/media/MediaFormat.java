package dev.assetlib.media;

import dev.assetlib.domain.AssetType;

/**
 * What a file is, by its content. The accepted formats of the vendor come first; the others are
 * recognised only so a refusal can say what the file is ("declared Video but the file is a PNG image").
 */
public enum MediaFormat {
    JPEG("jpeg", AssetType.Image, "a JPEG image"),
    PNG("png", AssetType.Image, "a PNG image"),
    WEBP("webp", AssetType.Image, "a WebP image"),
    BMP("bmp", AssetType.Image, "a BMP image"),
    TIFF("tiff", AssetType.Image, "a TIFF image"),
    GIF("gif", AssetType.Image, "a GIF image"),
    HEIF("heif", AssetType.Image, "a HEIF/HEIC image"),
    AVIF("avif", AssetType.Image, "an AVIF image"),
    MP4("mp4", AssetType.Video, "an MP4 video"),
    MOV("mov", AssetType.Video, "a QuickTime (MOV) video"),
    WEBM("webm", AssetType.Video, "a WebM/Matroska video"),
    AVI("avi", AssetType.Video, "an AVI video"),
    WAV("wav", AssetType.Audio, "a WAV audio file"),
    MP3("mp3", AssetType.Audio, "an MP3 audio file"),
    M4A("m4a", AssetType.Audio, "an MPEG-4 (M4A) audio file"),
    OGG("ogg", AssetType.Audio, "an Ogg audio file"),
    FLAC("flac", AssetType.Audio, "a FLAC audio file"),
    PDF("pdf", AssetType.Document, "a PDF document"),
    /** None of the above: fine for a Document, refused for the media types. */
    UNKNOWN("unknown", null, "of no recognised media format");

    private final String wire;
    private final AssetType kind;
    private final String description;

    MediaFormat(String wire, AssetType kind, String description) {
        this.wire = wire;
        this.kind = kind;
        this.description = description;
    }

    /** The name in the asset's {@code media.format} (lowercase, stable). */
    public String wireName() {
        return wire;
    }

    /** The asset type the format belongs to; null for UNKNOWN. */
    public AssetType kind() {
        return kind;
    }

    /** "a PNG image": for messages. */
    public String description() {
        return description;
    }
}
