package dev.assetlib.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.domain.AssetType;
import dev.assetlib.domain.MediaUrls;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Validation of the Seedance 2.0 upload body: each field's rule, with a message saying what to send. */
public final class UploadRequests {
    public static final int MAX_NAME_LENGTH = 256;
    private static final String TYPES = Arrays.stream(AssetType.values()).map(Enum::name).collect(Collectors.joining(", "));

    private UploadRequests() {
    }

    /** A valid single upload. Unknown extra fields are ignored, as the public API does. */
    public record SingleUpload(AssetType assetType, String url, String name, boolean reuse) {
    }

    public static SingleUpload single(ObjectNode body) {
        JsonNode type = body.get("assetType");
        if (type == null || type.isNull()) {
            throw new ApiException(ErrorCode.ASSET_TYPE_INVALID, "assetType is required: one of " + TYPES);
        }
        if (!type.isTextual()) {
            throw new ApiException(ErrorCode.ASSET_TYPE_INVALID, "assetType must be a string: one of " + TYPES);
        }
        AssetType assetType = AssetType.fromWire(type.asText()).orElseThrow(() -> new ApiException(
                ErrorCode.ASSET_TYPE_INVALID, "assetType \"" + type.asText() + "\" is not one of " + TYPES
                + " (case-sensitive: the first letter is uppercase)"));

        JsonNode url = body.get("url");
        if (url == null || url.isNull()) {
            throw new ApiException(ErrorCode.URL_INVALID, "url is required: the absolute http or https URL of the media");
        }
        if (!url.isTextual()) {
            throw new ApiException(ErrorCode.URL_INVALID, "url must be a string: the absolute http or https URL of the media");
        }
        MediaUrls.problem(url.asText()).ifPresent(problem -> {
            throw new ApiException(ErrorCode.URL_INVALID, problem);
        });

        return new SingleUpload(assetType, url.asText(), name(body.get("name"), false), reuse(body));
    }

    /**
     * The optional {@code name}: a string of at most {@link #MAX_NAME_LENGTH} characters, or null.
     * When {@code required}, the field must be present (null then clears the name).
     */
    public static String name(JsonNode name, boolean required) {
        if (name == null && required) {
            throw new ApiException(ErrorCode.NAME_INVALID, "name is required: send {\"name\": \"new label\"} "
                    + "(or null to clear it)");
        }
        if (name == null || name.isNull()) {
            return null;
        }
        if (!name.isTextual()) {
            throw new ApiException(ErrorCode.NAME_INVALID, "name must be a string (a label for people)");
        }
        String nameText = name.asText();
        if (nameText.length() > MAX_NAME_LENGTH) {
            throw new ApiException(ErrorCode.NAME_INVALID, "name is " + nameText.length()
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
            throw new ApiException(ErrorCode.REUSE_INVALID, "reuse must be true or false (a JSON boolean, not a string): "
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
        List<BatchItem> accepted = new ArrayList<>();
        List<RefusedUrl> refused = new ArrayList<>();
        int total = 0;
        for (String[] field : BATCH_FIELDS) {
            JsonNode urls = body.get(field[0]);
            if (urls == null || urls.isNull()) {
                continue;
            }
            if (!urls.isArray()) {
                throw new ApiException(ErrorCode.URL_LISTS_INVALID, field[0] + " must be an array of URL strings, such as "
                        + "[\"https://example.com/a.jpg\"]");
            }
            for (int i = 0; i < urls.size(); i++) {
                JsonNode url = urls.get(i);
                if (!url.isTextual()) {
                    throw new ApiException(ErrorCode.URL_LISTS_INVALID, field[0] + "[" + i + "] must be a URL string, not "
                            + url.getNodeType().name().toLowerCase());
                }
                total++;
                String problem = MediaUrls.problem(url.asText()).orElse(null);
                if (problem == null) {
                    accepted.add(new BatchItem(AssetType.valueOf(field[1]), url.asText()));
                } else {
                    refused.add(new RefusedUrl(url.asText(), problem));
                }
            }
        }
        if (total == 0) {
            throw new ApiException(ErrorCode.URL_LISTS_INVALID,
                    "send at least one URL in imageUrls, videoUrls or audioUrls");
        }
        if (total > maxUrls) {
            throw new ApiException(ErrorCode.TOO_MANY_URLS, "the batch has " + total + " URLs: at most " + maxUrls
                    + " are accepted per request; split it into several requests");
        }
        return new BatchUpload(List.copyOf(accepted), List.copyOf(refused), reuse(body));
    }
}
