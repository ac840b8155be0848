package dev.assetlib.review.rekognition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.json.JsonCodec;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the rekognition reviewer decides from what Rekognition found: the operator's moderation
 * policy, a JSON document read and validated once at start (template parameter ModerationPolicy,
 * locally {@code --moderation-policy FILE}). Every error names the field. Defaults and the vendor's
 * rules beside them: docs/reviewers.md.
 *
 * @param minConfidence    sent to Rekognition as MinConfidence: labels below it are not returned
 * @param categories       moderation category (or label) name -> the confidence at which it rejects
 * @param matchLevel       {@code top}: a label counts for its top-level category (Rekognition's
 *                         ParentName/TaxonomyLevel); {@code any}: names match labels at any level
 * @param uncertaintyBand  a category this many points below its threshold (or a face this many
 *                         points below the face confidence that would break the face rule) goes to a person
 * @param maxFaces         most faces allowed (in one frame of a video)
 * @param minFaceConfidence a face counts when Rekognition is at least this sure it is one
 * @param audio            what an audio asset gets (no automated check exists): approve, reject or person
 * @param document         the same for a document
 */
public record ModerationPolicy(double minConfidence, Map<String, Double> categories, String matchLevel,
                               double uncertaintyBand, int maxFaces, double minFaceConfidence,
                               Action audio, Action document) {

    /** What an asset no automated check applies to gets. */
    public enum Action { approve, reject, person }

    public static final String DEFAULT_JSON = """
            {"minConfidence": 50,
             "categories": {"Explicit Nudity": 80, "Explicit": 80, "Violence": 80, "Visually Disturbing": 80,
                            "Hate Symbols": 80},
             "matchLevel": "top",
             "uncertaintyBand": 20,
             "faces": {"max": 1, "minConfidence": 90},
             "audio": "person",
             "document": "person"}""";

    /** The categories that reject by default: Rekognition's top-level ones (taxonomy v6 and v7 names) of unusable content. */
    private static final Map<String, Double> DEFAULT_CATEGORIES = Map.of("Explicit Nudity", 80.0, "Explicit", 80.0,
            "Violence", 80.0, "Visually Disturbing", 80.0, "Hate Symbols", 80.0);

    private static final Set<String> FIELDS = Set.of("minConfidence", "categories", "matchLevel", "uncertaintyBand",
            "faces", "audio", "document");
    private static final Set<String> FACE_FIELDS = Set.of("max", "minConfidence");

    /** Made last: parsing needs the constants above. */
    public static final ModerationPolicy DEFAULT = parse(DEFAULT_JSON);


    public ModerationPolicy {
        categories = Map.copyOf(categories);
    }

    /**
     * The policy in {@code json}; fields left out take their default. Throws
     * IllegalArgumentException naming the field for anything else.
     */
    public static ModerationPolicy parse(String json) {
        JsonNode root;
        try {
            root = JsonCodec.parse(json == null ? "" : json);
        } catch (IOException e) {
            throw new IllegalArgumentException("moderation policy: not JSON (" + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()) + ")");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("moderation policy: must be a JSON object like " + DEFAULT_JSON.replaceAll("\\s+", " "));
        }
        unknown(root, FIELDS, "");
        double minConfidence = percent(root, "minConfidence", 50);
        Map<String, Double> categories = new LinkedHashMap<>();
        JsonNode cats = root.get("categories");
        if (cats == null) {
            categories.putAll(DEFAULT_CATEGORIES);
        } else {
            if (!cats.isObject()) {
                throw new IllegalArgumentException("moderation policy: categories must be an object of"
                        + " category name -> rejecting confidence (0 to 100), like {\"Explicit Nudity\": 80}");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = cats.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().isBlank()) {
                    throw new IllegalArgumentException("moderation policy: categories: a category name is empty");
                }
                categories.put(e.getKey(), percent(cats, e.getKey(), "categories." + e.getKey()));
            }
        }
        String matchLevel = text(root, "matchLevel", "top");
        if (!Set.of("top", "any").contains(matchLevel)) {
            throw new IllegalArgumentException("moderation policy: matchLevel must be \"top\" (top-level categories)"
                    + " or \"any\" (labels at any level), got \"" + matchLevel + "\"");
        }
        double band = percent(root, "uncertaintyBand", 20);
        int maxFaces = 1;
        double minFace = 90;
        JsonNode faces = root.get("faces");
        if (faces != null) {
            if (!faces.isObject()) {
                throw new IllegalArgumentException("moderation policy: faces must be an object like {\"max\": 1, \"minConfidence\": 90}");
            }
            unknown(faces, FACE_FIELDS, "faces.");
            JsonNode max = faces.get("max");
            if (max != null) {
                if (!max.isIntegralNumber() || max.asLong() < 0 || max.asLong() > 100) {
                    throw new IllegalArgumentException("moderation policy: faces.max must be a whole number from 0 to 100, got " + max);
                }
                maxFaces = max.asInt();
            }
            minFace = percent(faces, "minConfidence", "faces.minConfidence", 90);
        }
        for (Map.Entry<String, Double> c : categories.entrySet()) {
            if (c.getValue() - band < minConfidence) {
                throw new IllegalArgumentException("moderation policy: categories." + c.getKey() + " (" + fmt(c.getValue())
                        + ") less uncertaintyBand (" + fmt(band) + ") is below minConfidence (" + fmt(minConfidence)
                        + "): labels in the band would never be returned; lower minConfidence or the band");
            }
        }
        return new ModerationPolicy(minConfidence, categories, matchLevel, band, maxFaces, minFace,
                action(root, "audio"), action(root, "document"));
    }

    private static void unknown(JsonNode node, Set<String> known, String prefix) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                throw new IllegalArgumentException("moderation policy: unknown field " + prefix + name
                        + " (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
        }
    }

    private static double percent(JsonNode node, String field, double fallback) {
        return percent(node, field, field, fallback);
    }

    private static double percent(JsonNode node, String field, String path) {
        return percent(node, field, path, Double.NaN);
    }

    private static double percent(JsonNode node, String field, String path, double fallback) {
        JsonNode v = node.get(field);
        if (v == null && !Double.isNaN(fallback)) {
            return fallback;
        }
        if (v == null || !v.isNumber() || v.asDouble() < 0 || v.asDouble() > 100) {
            throw new IllegalArgumentException("moderation policy: " + path + " must be a number from 0 to 100 (a confidence"
                    + " in percent), got " + v);
        }
        return v.asDouble();
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode v = node.get(field);
        if (v == null) {
            return fallback;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("moderation policy: " + field + " must be a string, got " + v);
        }
        return v.asText();
    }

    private static Action action(JsonNode root, String field) {
        String v = text(root, field, "person");
        try {
            return Action.valueOf(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("moderation policy: " + field + " must be \"approve\", \"reject\" or"
                    + " \"person\" (no automated check exists for it), got \"" + v + "\"");
        }
    }

    /**
     * The decision for these findings. Rejecting rules first (every category at or above its
     * threshold, then faces over the limit, all named); then the uncertainty band (a category within
     * {@code uncertaintyBand} below its threshold; faces that would break the face rule if those
     * within the band below {@code minFaceConfidence} were counted) sends the asset to a person;
     * otherwise it is approved.
     */
    public Verdict decide(Findings f) {
        Map<String, Double> seen = categoryConfidences(f);
        java.util.List<String> rejects = new java.util.ArrayList<>();
        java.util.List<String> doubts = new java.util.ArrayList<>();
        seen.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).forEach(e -> {
            double threshold = categories.get(e.getKey());
            if (e.getValue() >= threshold) {
                rejects.add(e.getKey() + " " + pct(e.getValue()) + " % (rejects at " + fmt(threshold) + " %)");
            } else if (e.getValue() >= threshold - uncertaintyBand) {
                doubts.add(e.getKey() + " " + pct(e.getValue()) + " % (rejects at " + fmt(threshold) + " %; a person decides from "
                        + fmt(threshold - uncertaintyBand) + " %)");
            }
        });
        int faces = f.mostFacesInAFrame(minFaceConfidence);
        if (faces > maxFaces) {
            rejects.add(faces(faces) + " found; " + allowed());
        } else {
            int withDoubtful = f.mostFacesInAFrame(Math.max(0, minFaceConfidence - uncertaintyBand));
            if (withDoubtful > maxFaces) {
                doubts.add(faces(withDoubtful) + " found, " + (withDoubtful - faces) + " of them below " + fmt(minFaceConfidence)
                        + " % confidence; " + allowed());
            }
        }
        if (!rejects.isEmpty()) {
            return new Verdict.Reject(String.join("; ", rejects));
        }
        if (!doubts.isEmpty()) {
            return new Verdict.ToPerson(String.join("; ", doubts));
        }
        return new Verdict.Approve("no category at its rejecting confidence; " + faces(faces) + " found; " + allowed());
    }

    /**
     * The policy's categories that the findings name, each with its highest confidence. With
     * {@code top}, a label counts for its top-level category (itself when it has no parent; else
     * its ancestors are followed through the labels returned, ending at the last ParentName known).
     */
    Map<String, Double> categoryConfidences(Findings f) {
        Map<String, Findings.Label> byName = new LinkedHashMap<>();
        f.labels().forEach(l -> byName.putIfAbsent(l.name(), l));
        Map<String, Double> seen = new LinkedHashMap<>();
        for (Findings.Label l : f.labels()) {
            String name = "top".equals(matchLevel) ? topLevel(l, byName) : l.name();
            if (categories.containsKey(name)) {
                seen.merge(name, l.confidence(), Math::max);
            }
        }
        return seen;
    }

    private static String topLevel(Findings.Label l, Map<String, Findings.Label> byName) {
        Findings.Label at = l;
        for (int depth = 0; depth < 8; depth++) {
            String parent = at.parentName();
            if (parent == null || parent.isEmpty() || (at.taxonomyLevel() != null && at.taxonomyLevel() <= 1)) {
                return at.name();
            }
            Findings.Label up = byName.get(parent);
            if (up == null) {
                return parent;
            }
            at = up;
        }
        return at.name();
    }

    private String allowed() {
        return maxFaces == 0 ? "no faces allowed" : "at most " + maxFaces + " allowed";
    }

    private static String faces(int n) {
        return n + (n == 1 ? " face" : " faces");
    }

    static String pct(double v) {
        return String.format(java.util.Locale.ROOT, "%.1f", Math.floor(v * 10 + 1e-9) / 10);
    }

    static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(java.util.Locale.ROOT, "%.1f", v);
    }
}
