package dev.assetlib.domain;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who made a change recorded in an asset's history. Stable strings (clients may switch on them):
 * never rename one. A human reviewer is {@code reviewer:<who>}.
 */
public final class Actors {
    public static final String UPLOAD = "upload";
    public static final String REVIEWER = "reviewer";
    public static final String DEADLINE = "deadline";
    public static final String DELETE = "delete";
    public static final String RENAME = "rename";
    /** The media step (fetch, probe, check, store) and what it decides. */
    public static final String MEDIA = "media";
    /** Amazon Rekognition under the moderation policy (the rekognition reviewer's automated stage). */
    public static final String REKOGNITION = "rekognition";

    private static final Set<String> FIXED = Set.of(UPLOAD, REVIEWER, DEADLINE, DELETE, RENAME, MEDIA, REKOGNITION);
    private static final Pattern HUMAN = Pattern.compile("reviewer:[A-Za-z0-9._@+-]{1,128}");

    private Actors() {
    }

    /** {@code reviewer:<who>}, for a person who decided a review. */
    public static String humanReviewer(String who) {
        return requireValid(REVIEWER + ":" + who);
    }

    public static boolean isValid(String actor) {
        return actor != null && (FIXED.contains(actor) || HUMAN.matcher(actor).matches());
    }

    public static String requireValid(String actor) {
        if (!isValid(actor)) {
            throw new IllegalArgumentException("actor \"" + actor + "\" is not one of " + FIXED + " or reviewer:<who>");
        }
        return actor;
    }
}
