package dev.assetlib.domain;

/** The classes of routes that have a rate limit each, per account (docs/quotas.md). */
public enum RouteClass {
    /** Both upload routes and the upload URL route. */
    UPLOADS("uploads"),
    /** Detail, batch status, list, history, reference check, usage. */
    READS("reads"),
    /** Rename and delete. */
    MANAGEMENT("management"),
    /** The human review queue and its decisions. */
    REVIEW("review");

    private final String id;

    RouteClass(String id) {
        this.id = id;
    }

    /** The name in the usage answer, in the counters' keys and in the plan's fields ({@code uploadsPerSecond}). */
    public String id() {
        return id;
    }
}
