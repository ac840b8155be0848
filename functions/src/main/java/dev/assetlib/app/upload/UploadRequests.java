package dev.assetlib.app.upload;

import dev.assetlib.domain.DomainException;
import dev.assetlib.domain.ErrorCode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.domain.AssetType;
import dev.assetlib.domain.MediaUrls;
import dev.assetlib.domain.Texts;
import dev.assetlib.domain.UploadLimits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Validation of the upload bodies (Seedance 2.0 single, SD2 Manxue batch, upload URL): each field's
 * rule, with a message saying what to send. The HTTP routes and the SQS ingest consumer both use it.
 */
public final class UploadRequests {
    public static final int MAX_NAME_LENGTH = 256;
    private static final String TYPES = Arrays.stream(AssetType.values()).map(Enum::name).collect(Collectors.joining(", "));

    private UploadRequests() {
    }

    /** A valid single upload. Unknown extra fields are ignored, as the public API does. */
    public record SingleUpload(AssetType assetType, String url, String name, boolean reuse) {
    }

    public static SingleUpload single(ObjectNode body) {
        return single(body, PublicUrls.strict());
    }

    /** As {@link #single(ObjectNode)}, refusing URLs that can never be public (40011) unless {@code publicUrls} allows them. */
    public static SingleUpload single(ObjectNode body, PublicUrls publicUrls) {
        AssetType assetType = assetType(body);

        JsonNode url = body.get("url");
        if (url == null || url.isNull()) {
            throw new DomainException(ErrorCode.URL_INVALID, "url is required: the absolute http or https URL of the media");
        }
        if (!url.isTextual()) {
            throw new DomainException(ErrorCode.URL_INVALID, "url must be a string: the absolute http or https URL of the media");
        }
        MediaUrls.problem(url.asText()).or(() -> publicUrls.problem(url.asText())).ifPresent(problem -> {
            throw new DomainException(ErrorCode.URL_INVALID, problem);
        });
        return new SingleUpload(assetType, url.asText(), name(body.get("name"), false), reuse(body));
    }

    /** A valid request for an upload URL (direct upload of private media). */
    public record UploadUrlRequest(AssetType assetType, String name, String contentType) {
    }

    /** {@code assetType} and {@code name} as for a single upload; {@code contentType} must fit the type. */
    public static UploadUrlRequest uploadUrl(ObjectNode body) {
        AssetType assetType = assetType(body);
        JsonNode contentType = body.get("contentType");
        if (contentType == null || contentType.isNull()) {
            throw new DomainException(ErrorCode.CONTENT_TYPE_INVALID, "contentType is required: the media type of the file "
                    + "you will PUT, such as image/png; the PUT must send the same Content-Type header");
        }
        if (!contentType.isTextual()) {
            throw new DomainException(ErrorCode.CONTENT_TYPE_INVALID, "contentType must be a string, such as \"image/png\"");
        }
        UploadLimits.contentTypeProblem(assetType, contentType.asText()).ifPresent(problem -> {
            throw new DomainException(ErrorCode.CONTENT_TYPE_INVALID, problem);
        });
        return new UploadUrlRequest(assetType, name(body.get("name"), false), contentType.asText());
    }

    private static AssetType assetType(ObjectNode body) {
        JsonNode type = body.get("assetType");
        if (type == null || type.isNull()) {
            throw new DomainException(ErrorCode.ASSET_TYPE_INVALID, "assetType is required: one of " + TYPES);
        }
        if (!type.isTextual()) {
            throw new DomainException(ErrorCode.ASSET_TYPE_INVALID, "assetType must be a string: one of " + TYPES);
        }
        return AssetType.fromWire(type.asText()).orElseThrow(() -> new DomainException(
                ErrorCode.ASSET_TYPE_INVALID, "assetType \"" + type.asText() + "\" is not one of " + TYPES
                + " (case-sensitive: the first letter is uppercase)"));
    }

    /**
     * The optional {@code name}: a string of at most {@link #MAX_NAME_LENGTH} characters, or null.
     * When {@code required}, the field must be present (null then clears the name).
     */
    public static String name(JsonNode name, boolean required) {
        if (name == null && required) {
            throw new DomainException(ErrorCode.NAME_INVALID, "name is required: send {\"name\": \"new label\"} "
                    + "(or null to clear it)");
        }
        if (name == null || name.isNull()) {
            return null;
        }
        if (!name.isTextual()) {
            throw new DomainException(ErrorCode.NAME_INVALID, "name must be a string (a label for people)");
        }
        String nameText = name.asText();
        String notUnicode = Texts.unicodeProblem("name", nameText);
        if (notUnicode != null) {
            throw new DomainException(ErrorCode.NAME_INVALID, notUnicode);
        }
        if (Texts.length(nameText) > MAX_NAME_LENGTH) {
            throw new DomainException(ErrorCode.NAME_INVALID, "name is " + Texts.length(nameText)
                    + " characters long: at most " + MAX_NAME_LENGTH + " are accepted");
        }
        return nameText;
    }

    /** The optional {@code "reuse": true|false} of both upload routes (absent: false, the public API's behaviour). */
    public static boolean reuse(ObjectNode body) {
        JsonNode reuse = body.get("reuse");
        if (reuse == null || reuse.isNull()) {
            return false;
        }
        if (!reuse.isBoolean()) {
            throw new DomainException(ErrorCode.REUSE_INVALID, "reuse must be true or false (a JSON boolean, not a string): "
                    + "true returns your existing Processing or Active asset of the same URL and type instead of a new one");
        }
        return reuse.asBoolean();
    }

    /** One URL of an SD2 Manxue batch that became an asset to create. */
    public record BatchItem(AssetType assetType, String url) {
    }

    /** A URL of the batch refused at once, with its reason; the rest of the batch goes on. */
    public record RefusedUrl(String originalUrl, String errorMessage) {
    }

    /** A valid SD2 Manxue batch: what to create, in request order (images, videos, audios), and what was refused. */
    public record BatchUpload(List<BatchItem> accepted, List<RefusedUrl> refused, boolean reuse) {
    }

    private static final String[][] BATCH_FIELDS = {
        {"imageUrls", "Image"}, {"videoUrls", "Video"}, {"audioUrls", "Audio"}};

    /**
     * Validates an SD2 Manxue upload. The shape must be right for the whole request (arrays of
     * strings, at least one URL, at most {@code maxUrls}); each URL is then judged on its own, so a
     * malformed one goes to {@code failedItems} while the rest are accepted.
     */
    public static BatchUpload batch(ObjectNode body, int maxUrls) {
        return batch(body, maxUrls, PublicUrls.strict());
    }

    /** As {@link #batch(ObjectNode, int)}; a URL that can never be public goes to {@code failedItems}. */
    public static BatchUpload batch(ObjectNode body, int maxUrls, PublicUrls publicUrls) {
        List<BatchItem> accepted = new ArrayList<>();
        List<RefusedUrl> refused = new ArrayList<>();
        int total = 0;
        for (String[] field : BATCH_FIELDS) {
            JsonNode urls = body.get(field[0]);
            if (urls == null || urls.isNull()) {
                continue;
            }
            if (!urls.isArray()) {
                throw new DomainException(ErrorCode.URL_LISTS_INVALID, field[0] + " must be an array of URL strings, such as "
                        + "[\"https://example.com/a.jpg\"]");
            }
            for (int i = 0; i < urls.size(); i++) {
                JsonNode url = urls.get(i);
                if (!url.isTextual()) {
                    throw new DomainException(ErrorCode.URL_LISTS_INVALID, field[0] + "[" + i + "] must be a URL string, not "
                            + url.getNodeType().name().toLowerCase());
                }
                total++;
                String notUnicode = Texts.unicodeProblem(field[0] + "[" + i + "]", url.asText());
                if (notUnicode != null) {
                    // Refused whole: a failedItems entry could not echo the URL as sent (UTF-8 has no lone surrogates).
                    throw new DomainException(ErrorCode.URL_LISTS_INVALID, notUnicode);
                }
                String problem = MediaUrls.problem(url.asText()).or(() -> publicUrls.problem(url.asText())).orElse(null);
                if (problem == null) {
                    accepted.add(new BatchItem(AssetType.valueOf(field[1]), url.asText()));
                } else {
                    refused.add(new RefusedUrl(url.asText(), problem));
                }
            }
        }
        if (total == 0) {
            throw new DomainException(ErrorCode.URL_LISTS_INVALID,
                    "send at least one URL in imageUrls, videoUrls or audioUrls");
        }
        if (total > maxUrls) {
            throw new DomainException(ErrorCode.TOO_MANY_URLS, "the batch has " + total + " URLs: at most " + maxUrls
                    + " are accepted per request; split it into several requests");
        }
        return new BatchUpload(List.copyOf(accepted), List.copyOf(refused), reuse(body));
    }
}
