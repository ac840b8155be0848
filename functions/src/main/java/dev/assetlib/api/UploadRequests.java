package dev.assetlib.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.domain.AssetType;
import dev.assetlib.domain.MediaUrls;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Validation of the Seedance 2.0 upload body: each field's rule, with a message saying what to send. */
public final class UploadRequests {
    public static final int MAX_NAME_LENGTH = 256;
    private static final String TYPES = Arrays.stream(AssetType.values()).map(Enum::name).collect(Collectors.joining(", "));

    private UploadRequests() {
    }

    /** A valid single upload. Unknown extra fields are ignored, as the public API does. */
    public record SingleUpload(AssetType assetType, String url, String name) {
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

        JsonNode name = body.get("name");
        String nameText = null;
        if (name != null && !name.isNull()) {
            if (!name.isTextual()) {
                throw new ApiException(ErrorCode.NAME_INVALID, "name must be a string (a label for people)");
            }
            nameText = name.asText();
            if (nameText.length() > MAX_NAME_LENGTH) {
                throw new ApiException(ErrorCode.NAME_INVALID, "name is " + nameText.length()
                        + " characters long: at most " + MAX_NAME_LENGTH + " are accepted");
            }
        }
        return new SingleUpload(assetType, url.asText(), nameText);
    }
}
