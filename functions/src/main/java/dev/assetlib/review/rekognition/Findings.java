package dev.assetlib.review.rekognition;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.json.JsonCodec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What Rekognition found in one asset, in the reviewer's terms: moderation labels with their place
 * in the taxonomy, and faces with their boxes (ratios of the image's width and height, origin top
 * left). A video's labels and faces carry the timestamp of their frame; an image's do not.
 */
public record Findings(List<Label> labels, List<Face> faces, String modelVersion) {
    /** Most labels and faces kept on the asset (the asset item must stay far below DynamoDB's 400 KB). */
    static final int MAX_KEPT = 50;

    public record Label(String name, String parentName, Integer taxonomyLevel, double confidence, Long timestampMs) {
    }

    public record Face(double confidence, double left, double top, double width, double height, Long timestampMs) {
    }

    public Findings {
        labels = List.copyOf(labels);
        faces = List.copyOf(faces);
    }

    /** Faces of at least {@code minConfidence}, in the frame that has the most (an image is one frame). */
    int mostFacesInAFrame(double minConfidence) {
        Map<Long, Integer> perFrame = new LinkedHashMap<>();
        for (Face f : faces) {
            if (f.confidence() >= minConfidence) {
                perFrame.merge(f.timestampMs() == null ? -1L : f.timestampMs(), 1, Integer::sum);
            }
        }
        return perFrame.values().stream().max(Integer::compare).orElse(0);
    }

    /** The frame with the most faces of at least {@code minConfidence}, or empty. */
    List<Face> busiestFrame(double minConfidence) {
        Map<Long, List<Face>> perFrame = new LinkedHashMap<>();
        for (Face f : faces) {
            if (f.confidence() >= minConfidence) {
                perFrame.computeIfAbsent(f.timestampMs() == null ? -1L : f.timestampMs(), t -> new ArrayList<>()).add(f);
            }
        }
        return perFrame.values().stream().max(Comparator.comparingInt(List::size)).orElse(List.of());
    }

    /**
     * The public {@code findings} object (docs/console.md "Field shapes"): the decision, the rule that
     * made it, the labels (a video's: each name once, at its most confident frame) and the faces (a
     * video's: those of the frame with the most), at most {@value #MAX_KEPT} of each.
     */
    String toJson(String decision, String rule, double minFaceConfidence) {
        ObjectNode o = JsonCodec.object();
        o.put("reviewer", "rekognition");
        o.put("decision", decision);
        o.put("rule", rule);
        if (modelVersion != null) {
            o.put("modelVersion", modelVersion);
        }
        Map<String, Label> strongest = new LinkedHashMap<>();
        for (Label l : labels) {
            strongest.merge(l.name(), l, (a, b) -> b.confidence() > a.confidence() ? b : a);
        }
        ArrayNode ls = o.putArray("labels");
        strongest.values().stream().sorted(Comparator.comparingDouble(Label::confidence).reversed()).limit(MAX_KEPT)
                .forEach(l -> {
                    ObjectNode n = ls.addObject();
                    n.put("name", l.name());
                    if (l.parentName() == null || l.parentName().isEmpty()) {
                        n.putNull("parentName");
                    } else {
                        n.put("parentName", l.parentName());
                    }
                    if (l.taxonomyLevel() != null) {
                        n.put("taxonomyLevel", l.taxonomyLevel());
                    }
                    n.put("confidence", round(l.confidence()));
                    if (l.timestampMs() != null) {
                        n.put("timestampMs", l.timestampMs());
                    }
                });
        List<Face> shown = faces.stream().anyMatch(f -> f.timestampMs() != null) ? busiestFrame(0) : faces;
        o.put("facesFound", mostFacesInAFrame(minFaceConfidence));
        ArrayNode fs = o.putArray("faces");
        shown.stream().limit(MAX_KEPT).forEach(f -> {
            ObjectNode n = fs.addObject();
            ObjectNode box = n.putObject("boundingBox");
            box.put("left", round4(f.left()));
            box.put("top", round4(f.top()));
            box.put("width", round4(f.width()));
            box.put("height", round4(f.height()));
            n.put("confidence", round(f.confidence()));
            if (f.timestampMs() != null) {
                n.put("timestampMs", f.timestampMs());
            }
        });
        return JsonCodec.write(o);
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static double round4(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
