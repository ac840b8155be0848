package dev.assetlib.app.query;

import dev.assetlib.domain.DomainException;
import dev.assetlib.domain.ErrorCode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.domain.Asset;
import dev.assetlib.domain.AssetIds;
import dev.assetlib.domain.AssetStatus;
import dev.assetlib.domain.AssetType;
import dev.assetlib.domain.MediaUrls;
import dev.assetlib.json.JsonCodec;
import dev.assetlib.store.AssetStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /kyyReactApiServer/kyyVideo2/asset/resolve}: checks the references of a Seedance 2.0
 * generation request before it is sent. Every problem is named (field, index for arrays, asset id
 * when there is one, a stable code, a message); all {@code asset://} references are read in one
 * batched read. Plain URLs pass, marked {@code reviewed: false}. Fields other than {@code model},
 * {@code first_image}, {@code last_image} and the three reference arrays are ignored.
 */
public final class ReferenceCheck {
    public static final String SCHEME = "asset://";
    /** More references than this in one field is not a generation request: refused with a 400. */
    public static final int MAX_PER_FIELD = 50;
    public static final int MAX_IMAGES = 9;
    public static final int MAX_VIDEOS = 3;
    public static final int MAX_AUDIOS = 3;
    public static final Set<String> MODELS_REQUIRING_VIDEOS = Set.of("seedance_2_0", "seedance_2_0_fast");

    /** Stable problem codes: clients may switch on them, never rename one. */
    public static final String INVALID_VALUE = "INVALID_VALUE";
    public static final String INVALID_URL = "INVALID_URL";
    public static final String MALFORMED_ASSET_ID = "MALFORMED_ASSET_ID";
    public static final String ASSET_NOT_FOUND = "ASSET_NOT_FOUND";
    public static final String ASSET_DELETED = "ASSET_DELETED";
    public static final String ASSET_NOT_ACTIVE = "ASSET_NOT_ACTIVE";
    public static final String ASSET_FAILED = "ASSET_FAILED";
    public static final String WRONG_ASSET_TYPE = "WRONG_ASSET_TYPE";
    public static final String FRAME_WITH_REFERENCES = "FRAME_WITH_REFERENCES";
    public static final String TOO_MANY_IMAGES = "TOO_MANY_IMAGES";
    public static final String TOO_MANY_VIDEOS = "TOO_MANY_VIDEOS";
    public static final String TOO_MANY_AUDIOS = "TOO_MANY_AUDIOS";
    public static final String REFERENCE_VIDEOS_REQUIRED = "REFERENCE_VIDEOS_REQUIRED";

    private record Field(String name, AssetType type, boolean array, int max, String tooMany) {
    }

    private static final List<Field> FIELDS = List.of(
            new Field("first_image", AssetType.Image, false, 1, null),
            new Field("last_image", AssetType.Image, false, 1, null),
            new Field("referenceImages", AssetType.Image, true, MAX_IMAGES, TOO_MANY_IMAGES),
            new Field("referenceVideos", AssetType.Video, true, MAX_VIDEOS, TOO_MANY_VIDEOS),
            new Field("referenceAudios", AssetType.Audio, true, MAX_AUDIOS, TOO_MANY_AUDIOS));

    /** One reference found in the request: where it is ({@code index} null for a single field) and its value. */
    private record Ref(Field field, Integer index, String value, String assetId) {
    }

    private final AssetStore store;

    public ReferenceCheck(AssetStore store) {
        this.store = store;
    }

    public ObjectNode check(String accountId, ObjectNode body) {
        ArrayNode problems = JsonCodec.array();
        List<Ref> refs = new ArrayList<>();
        int[] counts = new int[FIELDS.size()];
        for (int f = 0; f < FIELDS.size(); f++) {
            Field field = FIELDS.get(f);
            JsonNode node = body.get(field.name());
            if (node == null || node.isNull()) {
                continue;
            }
            if (field.array()) {
                if (!node.isArray()) {
                    problem(problems, field.name(), null, null, INVALID_VALUE, field.name()
                            + " must be an array of asset:// references or URLs");
                    continue;
                }
                if (node.size() > MAX_PER_FIELD) {
                    throw new DomainException(ErrorCode.REFERENCE_REQUEST_INVALID, field.name() + " has " + node.size()
                            + " entries: a generation request takes at most " + field.max());
                }
                counts[f] = node.size();
                for (int i = 0; i < node.size(); i++) {
                    collect(field, i, node.get(i), refs, problems);
                }
            } else {
                counts[f] = 1;
                collect(field, null, node, refs, problems);
            }
        }

        // Request-level rules of the contract.
        boolean anyReferenceArray = counts[2] + counts[3] + counts[4] > 0;
        for (int f = 0; f < 2; f++) {
            if (counts[f] > 0 && anyReferenceArray) {
                problem(problems, FIELDS.get(f).name(), null, null, FRAME_WITH_REFERENCES, FIELDS.get(f).name()
                        + " (a first/last frame) cannot be combined with referenceImages, referenceVideos or "
                        + "referenceAudios: send either frames or reference arrays");
            }
        }
        for (int f = 2; f < FIELDS.size(); f++) {
            Field field = FIELDS.get(f);
            if (counts[f] > field.max()) {
                problem(problems, field.name(), null, null, field.tooMany(), field.name() + " has " + counts[f]
                        + " entries: at most " + field.max() + " are accepted");
            }
        }
        JsonNode model = body.get("model");
        if (model != null && !model.isNull() && !model.isTextual()) {
            problem(problems, "model", null, null, INVALID_VALUE, "model must be a string such as seedance_2_0");
        } else if (model != null && MODELS_REQUIRING_VIDEOS.contains(model.asText()) && counts[3] == 0) {
            problem(problems, "referenceVideos", null, null, REFERENCE_VIDEOS_REQUIRED, "model " + model.asText()
                    + " requires at least one referenceVideos entry (the _pro variants do not)");
        }

        // Every asset:// reference in one batched read.
        List<String> ids = refs.stream().map(Ref::assetId).filter(id -> id != null).distinct().toList();
        Map<String, Asset> found = ids.isEmpty() ? Map.of() : store.getAll(accountId, ids);
        ArrayNode references = JsonCodec.array();
        for (Ref ref : refs) {
            ObjectNode r = references.addObject().put("field", ref.field().name());
            if (ref.index() != null) {
                r.put("index", ref.index());
            }
            r.put("value", ref.value());
            if (ref.assetId() == null) {
                r.put("reviewed", false);
                continue;
            }
            r.put("assetId", ref.assetId()).put("reviewed", true);
            Asset a = found.get(ref.assetId());
            if (a == null) {
                problem(problems, ref, ASSET_NOT_FOUND, "asset " + ref.assetId() + " not found");
            } else if (a.isDeleted()) {
                problem(problems, ref, ASSET_DELETED, "asset " + ref.assetId() + " was deleted: upload the media again");
            } else {
                r.put("status", a.status().name()).put("assetType", a.assetType().name());
                if (a.status() == AssetStatus.Failed) {
                    problem(problems, ref, ASSET_FAILED, "asset " + ref.assetId() + " failed its review ("
                            + a.errorCode() + ": " + a.errorMessage() + ")").put("status", a.status().name())
                            .put("assetErrorCode", a.errorCode());
                } else if (a.status() != AssetStatus.Active) {
                    problem(problems, ref, ASSET_NOT_ACTIVE, "asset " + ref.assetId() + " is " + a.status().name()
                            + ", not yet Active: wait until its review ends").put("status", a.status().name());
                }
                if (a.assetType() != ref.field().type()) {
                    problem(problems, ref, WRONG_ASSET_TYPE, "asset " + ref.assetId() + " is " + a.assetType().name()
                            + " but " + ref.field().name() + " takes " + ref.field().type().name() + " assets");
                }
            }
        }
        ObjectNode data = JsonCodec.object();
        data.put("ok", problems.isEmpty());
        data.set("problems", problems);
        data.set("references", references);
        return data;
    }

    private static void collect(Field field, Integer index, JsonNode node, List<Ref> refs, ArrayNode problems) {
        String where = field.name() + (index == null ? "" : "[" + index + "]");
        if (!node.isTextual()) {
            problem(problems, field.name(), index, null, INVALID_VALUE, where + " must be a string: asset://{assetId} or a URL");
            return;
        }
        String value = node.asText();
        if (value.startsWith(SCHEME)) {
            String id = value.substring(SCHEME.length());
            if (!AssetIds.isWellFormed(id)) {
                problem(problems, field.name(), index, null, MALFORMED_ASSET_ID, where + " \"" + value
                        + "\" is not an asset reference: they look like asset://asset-20260330142158-q75m8");
                return;
            }
            refs.add(new Ref(field, index, value, id));
            return;
        }
        String urlProblem = MediaUrls.problem(value).orElse(null);
        if (urlProblem != null) {
            problem(problems, field.name(), index, null, INVALID_URL, where + ": " + urlProblem);
            return;
        }
        refs.add(new Ref(field, index, value, null));
    }

    private static ObjectNode problem(ArrayNode problems, Ref ref, String code, String message) {
        return problem(problems, ref.field().name(), ref.index(), ref.assetId(), code, message);
    }

    private static ObjectNode problem(ArrayNode problems, String field, Integer index, String assetId, String code,
                                      String message) {
        ObjectNode p = problems.addObject().put("field", field);
        if (index != null) {
            p.put("index", index);
        }
        if (assetId != null) {
            p.put("assetId", assetId);
        }
        return p.put("code", code).put("message", message);
    }
}
