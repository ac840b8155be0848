package dev.assetlib.workflow;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.assetlib.Services;
import dev.assetlib.app.review.SharedReviewStart;
import java.util.ArrayList;
import java.util.List;

/**
 * ReviewStarterFunction (shared mode, issue 19): the review-start queue's consumer. Its event
 * source hands it up to N messages gathered for at most the batching window; it starts one review
 * execution per up to N assets and reports only the messages whose execution could not be started
 * (ReportBatchItemFailures).
 */
public final class ReviewStartHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final SharedReviewStart start;

    public ReviewStartHandler() {
        this(Services.lambda());
    }

    /** With the services of this execution environment (Lambda) or of the local stack. */
    public ReviewStartHandler(Services services) {
        this(services.sharedReviewStart());
    }

    public ReviewStartHandler(SharedReviewStart start) {
        this.start = start;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSEvent.SQSMessage> records = event == null || event.getRecords() == null ? List.of() : event.getRecords();
        List<SharedReviewStart.Message> messages = new ArrayList<>(records.size());
        records.forEach(m -> messages.add(new SharedReviewStart.Message(m.getMessageId(), m.getBody())));
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (String id : start.start(messages).failedMessageIds()) {
            failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(id).build());
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }
}
