package dev.assetlib.ingest;

import dev.assetlib.logging.LogText;

import dev.assetlib.app.ingest.IngestService;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.assetlib.Services;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * IngestFunction: the ingest queue's consumer (ReportBatchItemFailures). Each message is handled on
 * its own; only the ones SQS must redeliver are reported in {@code batchItemFailures}: transient
 * faults, and messages with no known account (which reach the dead-letter queue after
 * maxReceiveCount receives). Every other message is done and deleted by SQS.
 */
public final class IngestHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final Logger LOG = Logger.getLogger(IngestHandler.class.getName());
    public static final String ACCOUNT_ATTRIBUTE = "accountId";

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
                outcome = ingest.process(new IngestService.Message(m.getMessageId(), accountId(m), m.getBody()));
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

    private static String accountId(SQSEvent.SQSMessage m) {
        Map<String, SQSEvent.MessageAttribute> attributes = m.getMessageAttributes();
        SQSEvent.MessageAttribute a = attributes == null ? null : attributes.get(ACCOUNT_ATTRIBUTE);
        if (a == null || !"String".equals(a.getDataType())) {
            return null;
        }
        return a.getStringValue();
    }
}
