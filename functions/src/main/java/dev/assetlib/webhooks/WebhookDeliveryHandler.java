package dev.assetlib.webhooks;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.Services;
import dev.assetlib.app.webhooks.DeliveryQueue;
import dev.assetlib.app.webhooks.WebhookDispatcher;
import dev.assetlib.json.JsonCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * WebhookDeliveryFunction, on two queues: the webhook event queue (FIFO; completions, fanned out
 * into one delivery message each) and the delivery queue (standard; one signed POST each). A
 * message that fails for a fault of ours (DynamoDB, SQS) is reported alone (partial batch
 * response) and comes back; an endpoint's failure is not a fault, the schedule handles it.
 */
public final class WebhookDeliveryHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final Logger LOG = Logger.getLogger(WebhookDeliveryHandler.class.getName());
    private final WebhookDispatcher dispatcher;

    public WebhookDeliveryHandler() {
        this(Services.lambda());
    }

    public WebhookDeliveryHandler(Services services) {
        this(services.webhookDispatcher());
    }

    public WebhookDeliveryHandler(WebhookDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    /**
     * The messages of a batch run side by side (one thread each, at most 10 per batch): an endpoint
     * that takes its 10 s holds up no other message of the batch, whoever's it is.
     */
    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSEvent.SQSMessage> records = event.getRecords();
        List<SQSBatchResponse.BatchItemFailure> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        if (records.size() == 1) {
            handle(records.get(0), failures);
            return new SQSBatchResponse(failures);
        }
        List<Thread> threads = new ArrayList<>();
        for (SQSEvent.SQSMessage m : records) {
            Thread t = new Thread(() -> handle(m, failures), "webhook-" + m.getMessageId());
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new SQSBatchResponse(new ArrayList<>(failures));
    }

    private void handle(SQSEvent.SQSMessage m, List<SQSBatchResponse.BatchItemFailure> failures) {
        {
            try {
                JsonNode body = JsonCodec.parse(m.getBody());
                if (body.has("deliveryId") && body.has("endpointId")) {
                    dispatcher.attempt(DeliveryQueue.Ticket.fromJson(body));
                } else {
                    dispatcher.fanOut(body);
                }
            } catch (java.io.IOException e) {
                // not JSON: nothing anyone can deliver; dropped, and said so (the body is not logged)
                LOG.warning("webhook queue message " + m.getMessageId() + " is not JSON; dropped");
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "webhook queue message " + m.getMessageId() + " failed; it will be received again", e);
                failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
            }
        }
    }
}
