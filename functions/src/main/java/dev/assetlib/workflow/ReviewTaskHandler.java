package dev.assetlib.workflow;

import dev.assetlib.app.review.ReviewState;
import dev.assetlib.app.review.ReviewWorkflow;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.Services;
import dev.assetlib.json.JsonCodec;
import dev.assetlib.store.StoreUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * StatusCheckFunction: the review state machine's task function. Input {@code {"action":
 * "submit"|"check"|"fail", "review": ReviewState}}, output the next ReviewState. One function for
 * the three tasks, so a review warms one execution environment, not three.
 */
public final class ReviewTaskHandler implements RequestStreamHandler {
    private final ReviewWorkflow workflow;

    public ReviewTaskHandler() {
        this(Services.lambda());
    }

    /** With the services of this execution environment (Lambda) or of the local stack. */
    public ReviewTaskHandler(Services services) {
        this(services.reviewWorkflow());
    }

    public ReviewTaskHandler(ReviewWorkflow workflow) {
        this.workflow = workflow;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode request = JsonCodec.parse(input);
        String action = request.path("action").asText("");
        ReviewState state = ReviewState.fromJson(request.path("review"));
        if (state == null || state.pending() == null || !state.accountsKnown()) {
            throw new IllegalArgumentException("task input needs {\"action\",\"review\":{accountId, pending, ...}}");
        }
        ReviewState next;
        try {
            next = switch (action) {
                case "submit" -> workflow.submit(state);
                case "check" -> workflow.check(state);
                case "fail" -> workflow.fail(state);
                default -> throw new IllegalArgumentException("unknown action \"" + action + "\": expected submit, check or fail");
            };
        } catch (StoreUnavailableException | SdkException e) {
            // Store and queue faults are retried by the state machine under one error name.
            throw new RetryableTaskException(e.getMessage(), e);
        }
        JsonCodec.write(next.toJson(), output);
    }
}
