package dev.assetlib.ingest;

import dev.assetlib.logging.LogText;

import dev.assetlib.app.ingest.IngestRetryQueue;
import dev.assetlib.app.ingest.IngestService;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.assetlib.Services;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * IngestFunction: the ingest queue's consumer (ReportBatchItemFailures). Each message is handled on
 * its own; only the ones SQS must redeliver are reported in {@code batchItemFailures}: transient
 * faults, messages with no known account, and messages over a quota that are done waiting (these
 * reach the dead-letter queue after maxReceiveCount receives). Every other message is done and
 * deleted by SQS, including one over a quota whose delayed copy was sent (IngestRetryQueue).
 */
public final class IngestHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final Logger LOG = Logger.getLogger(IngestHandler.class.getName());
    public static final String ACCOUNT_ATTRIBUTE = IngestRetryQueue.ACCOUNT;

    private final IngestService ingest;

    public IngestHandler() {
        this(Services.lambda());
    }

    /** With the services of this execution environment (Lambda) or of the local stack. */
    public IngestHandler(Services services) {
        this(services.ingestService());
    }

    public IngestHandler(IngestService ingest) {
        this.ingest = ingest;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        List<SQSEvent.SQSMessage> records = event == null || event.getRecords() == null ? List.of() : event.getRecords();
        for (SQSEvent.SQSMessage m : records) {
            IngestService.Outcome outcome;
            try {
                outcome = ingest.process(message(m));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "ingest message " + LogText.safe(m.getMessageId()) + " failed transiently; SQS will redeliver it", e);
                outcome = IngestService.Outcome.RETRY;
            }
            if (outcome.retry()) {
                failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(m.getMessageId()).build());
            }
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    /** The message, with a delayed copy's original id and wait so far (IngestRetryQueue's attributes). */
    static IngestService.Message message(SQSEvent.SQSMessage m) {
        String original = attribute(m, IngestRetryQueue.ORIGINAL_ID, "String");
        String refusals = attribute(m, IngestRetryQueue.REFUSALS, "Number");
        String since = attribute(m, IngestRetryQueue.WAITING_SINCE, "String");
        int count = 0;
        Instant waitingSince = null;
        try {
            count = refusals == null ? 0 : Math.max(0, Integer.parseInt(refusals));
            waitingSince = since == null ? null : Instant.parse(since);
        } catch (RuntimeException malformed) {
            count = 0; // not one of our copies' values: the wait starts again
        }
        String id = original != null && !original.isBlank() && original.length() <= 128 ? original : m.getMessageId();
        return new IngestService.Message(id, attribute(m, ACCOUNT_ATTRIBUTE, "String"), m.getBody(), count, waitingSince);
    }

    private static String attribute(SQSEvent.SQSMessage m, String name, String type) {
        Map<String, SQSEvent.MessageAttribute> attributes = m.getMessageAttributes();
        SQSEvent.MessageAttribute a = attributes == null ? null : attributes.get(name);
        if (a == null || !type.equals(a.getDataType())) {
            return null;
        }
        return a.getStringValue();
    }
}
