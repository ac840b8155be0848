package dev.assetlib.workflow;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.Services;
import dev.assetlib.app.review.MediaStep;
import dev.assetlib.app.review.ReviewState;
import dev.assetlib.json.JsonCodec;
import dev.assetlib.store.StoreUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * MediaFunction: the review state machine's InspectMedia task. Input {@code {"action": "inspect",
 * "review": ReviewState}}, output the ReviewState with only the assets that go on to review. Its own
 * function, sized for fetching and probing (memory, ephemeral storage, time-out) and with the
 * media bucket's rights, which the review's polling task does not need.
 */
public final class MediaTaskHandler implements RequestStreamHandler {
    private final MediaStep step;

    public MediaTaskHandler() {
        this(Services.lambda());
    }

    public MediaTaskHandler(Services services) {
        this(services.mediaStep());
    }

    public MediaTaskHandler(MediaStep step) {
        this.step = step;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode request = JsonCodec.parse(input);
        ReviewState state = ReviewState.fromJson(request.path("review"));
        if (state == null || state.pending() == null || !state.accountsKnown()) {
            throw new IllegalArgumentException("task input needs {\"action\":\"inspect\",\"review\":{accountId, pending, ...}}");
        }
        if (!"inspect".equals(request.path("action").asText(""))) {
            throw new IllegalArgumentException("unknown action \"" + request.path("action").asText("") + "\": expected inspect");
        }
        ReviewState next;
        try {
            next = step.inspect(state);
        } catch (StoreUnavailableException | SdkException | MediaStep.MediaFault e) {
            // Store, queue, bucket and disk faults are retried by the state machine under one error name.
            throw new RetryableTaskException(e.getMessage(), e);
        }
        JsonCodec.write(next.toJson(), output);
    }
}
