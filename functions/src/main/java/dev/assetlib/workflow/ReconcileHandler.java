package dev.assetlib.workflow;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.assetlib.Services;
import dev.assetlib.app.review.ReviewReconciler;

/**
 * ReconcileFunction: run every minute by a schedule (template.yaml; the local stack runs it on
 * its own timer). Starts or resumes the reviews that have no running execution (see
 * {@link ReviewReconciler}); safe to run twice at once. Answers what it did, for the logs.
 */
public final class ReconcileHandler implements RequestHandler<ScheduledEvent, String> {
    private final ReviewReconciler reconciler;

    public ReconcileHandler() {
        this(Services.lambda());
    }

    /** With the services of this execution environment (Lambda) or of the local stack. */
    public ReconcileHandler(Services services) {
        this(services.reviewReconciler());
    }

    public ReconcileHandler(ReviewReconciler reconciler) {
        this.reconciler = reconciler;
    }

    @Override
    public String handleRequest(ScheduledEvent event, Context context) {
        return reconciler.reconcile().toString();
    }
}
