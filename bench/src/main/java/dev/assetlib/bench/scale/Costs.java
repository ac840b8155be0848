package dev.assetlib.bench.scale;

/**
 * What one piece of work costs, the model's assumptions. Durations are Lambda run times in AWS
 * (in-region SDK calls of ~5-25 ms each; the local benchmark's warm upload, TransactWriteItems +
 * StartExecution, takes 5 ms p50 against DynamoDB Local, so these are deliberately pessimistic).
 * Write request units follow DynamoDB's pricing rules (1 WRU per KB written, 2 in a transaction;
 * 1 RRU per strongly consistent read of up to 4 KB) for the items the store writes today: the asset
 * item at most 1 KB until findings are written, 2 KB after; a history event and an id reservation
 * under 1 KB each. The local measured run is to replace them with ConsumedCapacity figures.
 */
public record Costs(
        double uploadStartingSeconds,   // upload: TransactWriteItems + StartExecution (today)
        double uploadEnqueueSeconds,    // upload: TransactWriteItems + SendMessage (shared)
        double starterSeconds,          // starter: one StartExecution for the batch it is handed
        double submitBaseSeconds,       // review task "submit": hand the batch to the reviewer
        double submitPerAssetSeconds,
        double checkBaseSeconds,        // review task "check": one reviewer call for all pending assets
        double checkPerPendingSeconds,
        double decisionSeconds,         // per decided asset: GetItem + TransactWriteItems + SendMessage + UpdateItem
        int decisionParallelism,        // decided assets of one round handled concurrently (shared design)
        double createWru,               // create transaction: id reservation 2 + asset 2 + event 2
        double referenceWru,            // reviewer reference on the asset (once per execution: shared by a batch)
        double decisionWru,             // decision transaction: asset with findings 4 + event 2
        double completionMarkWru,       // completion-sent mark on the asset (2 KB)
        double referenceRru,            // reviewer reference read before the hand-over (once per execution)
        double assetRru,                // the asset read before its status change
        int completionBatch) {          // completion messages per SendMessageBatch (shared design; today 1 per call)

    public static Costs assumed() {
        return new Costs(0.045, 0.030, 0.050, 0.040, 0.001, 0.030, 0.0002, 0.040, 10,
                6, 1, 6, 2, 1, 1, 10);
    }

    public double writesPerAsset(double executionSize) {
        return createWru + referenceWru / executionSize + decisionWru + completionMarkWru;
    }

    public double readsPerAsset(double executionSize) {
        return referenceRru / executionSize + assetRru;
    }
}
