package dev.assetlib.upload;

import dev.assetlib.app.upload.UploadReceiver;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification;
import dev.assetlib.Services;
import java.util.ArrayList;
import java.util.List;

/**
 * UploadReceivedFunction: the upload bucket's ObjectCreated notification (prefix {@code uploads/}).
 * Every record is handled, then the first failure (DynamoDB unavailable) is thrown so that Lambda's
 * asynchronous retries run the event again; recording is idempotent, so records already done are
 * no-ops the second time.
 */
public final class S3UploadHandler implements RequestHandler<S3Event, List<String>> {
    private final UploadReceiver receiver;

    public S3UploadHandler() {
        this(Services.lambda());
    }

    /** With the services of this execution environment (Lambda) or of the local stack. */
    public S3UploadHandler(Services services) {
        this(services.uploadReceiver());
    }

    public S3UploadHandler(UploadReceiver receiver) {
        this.receiver = receiver;
    }

    /** The outcome per record, in order (for logs and tests). */
    @Override
    public List<String> handleRequest(S3Event event, Context context) {
        List<String> outcomes = new ArrayList<>();
        RuntimeException failure = null;
        List<S3EventNotification.S3EventNotificationRecord> records = event == null || event.getRecords() == null
                ? List.of() : event.getRecords();
        for (S3EventNotification.S3EventNotificationRecord r : records) {
            try {
                var object = r.getS3().getObject();
                Long size = object.getSizeAsLong();
                outcomes.add(receiver.receive(r.getEventName(), object.getUrlDecodedKey(), size == null ? 0 : size,
                        object.geteTag(), object.getVersionId()).name());
            } catch (RuntimeException e) {
                outcomes.add("FAILED");
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return outcomes;
    }
}
