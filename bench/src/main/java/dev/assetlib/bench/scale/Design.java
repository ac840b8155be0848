package dev.assetlib.bench.scale;

/**
 * How uploads become review executions. {@code shared == false}: today's path, the upload function
 * starts one execution per upload. {@code shared == true}: the upload enqueues its asset on a
 * standard SQS queue and a starter function, fed by the queue's event source mapping with
 * BatchSize {@code batchSize} and MaximumBatchingWindowInSeconds {@code batchWindowSeconds}, starts one
 * execution for each batch it is handed. {@code tableShards}: the asset table split by account hash
 * over that many tables (each has its own per-table throughput quota).
 */
public record Design(String name, boolean shared, int batchSize, double batchWindowSeconds, int tableShards) {
    public Design {
        if (batchSize < 1 || tableShards < 1 || batchWindowSeconds < 0) {
            throw new IllegalArgumentException("batch size and shards >= 1, window >= 0");
        }
    }

    public static Design onePerUpload() {
        return new Design("one execution per upload", false, 1, 0, 1);
    }

    public static Design shared(int batchSize, double batchWindowSeconds, int tableShards) {
        return new Design("shared (N=" + batchSize + ", window " + fmt(batchWindowSeconds) + " s"
                + (tableShards > 1 ? ", " + tableShards + " tables" : "") + ")", true, batchSize, batchWindowSeconds, tableShards);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
