package dev.assetlib.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.api.ApiException;
import dev.assetlib.api.ErrorCode;
import dev.assetlib.api.Requests;
import dev.assetlib.api.UploadRequests;
import dev.assetlib.api.UploadService;
import dev.assetlib.auth.ApiKeyStore;
import dev.assetlib.auth.ApiKeys;
import dev.assetlib.json.Json;
import dev.assetlib.store.DuplicateCreationException;
import dev.assetlib.store.NewAsset;
import dev.assetlib.workflow.CompletionPublisher;
import dev.assetlib.workflow.ReviewState;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Bulk import: one SQS message is one upload, with the same JSON and the same rules as the HTTP
 * routes (a Seedance single upload, or an SD2 batch when it has imageUrls/videoUrls/audioUrls),
 * for the account named by the message's {@code accountId} attribute (trusted because the queue's
 * policy decides who may send). What each message comes to:
 * <ul>
 *   <li>{@link Outcome#CREATED}: its assets exist and their review runs (refused URLs of a batch get
 *       a rejection completion);</li>
 *   <li>{@link Outcome#DUPLICATE}: an earlier delivery created them; its review is started again in
 *       case that delivery died before starting it;</li>
 *   <li>{@link Outcome#REJECTED}: it can never succeed (bad JSON, invalid fields) and its account is
 *       known: no asset, one Failed rejection completion with the reason;</li>
 *   <li>{@link Outcome#UNKNOWN_ACCOUNT}: no account to tell: left to SQS, which moves it to the
 *       ingest dead-letter queue after maxReceiveCount receives;</li>
 *   <li>{@link Outcome#RETRY}: a transient fault (DynamoDB, Step Functions, SQS): left to SQS to retry.</li>
 * </ul>
 */
public final class IngestService {
    private static final Logger LOG = Logger.getLogger(IngestService.class.getName());
    private static final Duration KNOWN_ACCOUNT_CACHE = Duration.ofMinutes(5);
    public static final String REJECTED_CODE = "INGEST_REJECTED";

    public enum Outcome {
        CREATED, DUPLICATE, REJECTED, UNKNOWN_ACCOUNT, RETRY;

        /** Whether SQS must keep (and redeliver) the message. */
        public boolean retry() {
            return this == UNKNOWN_ACCOUNT || this == RETRY;
        }
    }

    /** One SQS message: its id, its {@code accountId} String attribute (null when absent), its body. */
    public record Message(String messageId, String accountId, String body) {
    }

    private final UploadService uploads;
    private final IngestIdempotency idempotency;
    private final ApiKeyStore accounts;
    private final CompletionPublisher completions;
    private final int maxBatchUrls;
    private final Clock clock;
    private final Map<String, Instant> knownUntil = new ConcurrentHashMap<>();

    public IngestService(UploadService uploads, IngestIdempotency idempotency, ApiKeyStore accounts,
                         CompletionPublisher completions, int maxBatchUrls, Clock clock) {
        this.uploads = uploads;
        this.idempotency = idempotency;
        this.accounts = accounts;
        this.completions = completions;
        this.maxBatchUrls = maxBatchUrls;
        this.clock = clock;
    }

    /** Never throws for a message's content; throws only for transient faults (the caller retries those). */
    public Outcome process(Message message) {
        String account = message.accountId();
        if (!ApiKeys.isValidAccountId(account) || !isKnown(account)) {
            LOG.warning(() -> "ingest message " + message.messageId() + ": accountId attribute "
                    + (account == null ? "missing" : "\"" + account + "\" names no known account")
                    + "; left for the dead-letter queue");
            return Outcome.UNKNOWN_ACCOUNT;
        }
        String key = message.messageId();
        ObjectNode body;
        try {
            body = Requests.jsonObject(message.body() == null ? null : message.body().getBytes(StandardCharsets.UTF_8));
            key = idempotencyKey(body).orElse(message.messageId());
        } catch (ApiException e) {
            return reject(account, key, message, body(account, message, key, e.error(), e.getMessage()));
        }

        List<NewAsset> assets;
        String kind;
        List<UploadRequests.RefusedUrl> refused = List.of();
        try {
            if (isBatch(body)) {
                UploadRequests.BatchUpload batch = UploadRequests.batch(body, maxBatchUrls);
                refused = batch.refused();
                if (batch.accepted().isEmpty()) {
                    ObjectNode rejection = body(account, message, key, ErrorCode.URL_INVALID,
                            "every URL of the batch was refused: see failedItems");
                    addFailedItems(rejection, refused);
                    return reject(account, key, message, rejection);
                }
                assets = UploadService.batch(batch);
                kind = ReviewState.BATCH;
            } else {
                assets = List.of(UploadService.single(UploadRequests.single(body)));
                kind = ReviewState.SINGLE;
            }
        } catch (ApiException e) {
            return reject(account, key, message, body(account, message, key, e.error(), e.getMessage()));
        }

        final String finalKey = key;
        final List<UploadRequests.RefusedUrl> finalRefused = refused;
        Instant now = clock.instant();
        try {
            uploads.createAndStart(account, assets, kind, initial -> idempotency.createdGuard(account, finalKey, initial,
                    finalRefused.isEmpty() ? null : partialRejection(account, message, finalKey, initial, finalRefused), now), null);
        } catch (DuplicateCreationException duplicate) {
            return redelivered(account, finalKey);
        }
        if (!refused.isEmpty()) {
            idempotency.find(account, finalKey).ifPresent(entry -> sendRejection(account, finalKey, entry));
        }
        return Outcome.CREATED;
    }

    /** A second delivery of a message whose assets exist: start their review again (a no-op if it runs). */
    private Outcome redelivered(String account, String key) {
        IngestIdempotency.Entry entry = idempotency.find(account, key).orElseThrow(() ->
                new IllegalStateException("idempotency record " + key + " vanished"));
        if (entry.review() != null) {
            uploads.restart(entry.review());
        }
        sendRejection(account, key, entry);
        LOG.info(() -> "ingest message with key " + key + " was delivered before: nothing created again");
        return Outcome.DUPLICATE;
    }

    private Outcome reject(String account, String key, Message message, ObjectNode rejection) {
        LOG.info(() -> "ingest message " + message.messageId() + " refused: " + rejection.path("errorMessage").asText());
        if (idempotency.putRejected(account, key, rejection.toString(), clock.instant())) {
            sendRejection(account, key, new IngestIdempotency.Entry(null, rejection.toString(), false));
            return Outcome.REJECTED;
        }
        // Delivered before: that delivery's outcome stands; finish its completion if it was not sent.
        return idempotency.find(account, key).map(entry -> {
            if (entry.review() != null) {
                uploads.restart(entry.review());
            }
            sendRejection(account, key, entry);
            return entry.review() != null ? Outcome.DUPLICATE : Outcome.REJECTED;
        }).orElse(Outcome.RETRY);
    }

    private void sendRejection(String account, String key, IngestIdempotency.Entry entry) {
        if (entry.rejection() == null || entry.rejectionSent()) {
            return;
        }
        completions.publishIngestRejection(IngestIdempotency.dedupKey(account, key), entry.rejection());
        idempotency.markRejectionSent(account, key);
    }

    private boolean isKnown(String account) {
        Instant now = clock.instant();
        Instant until = knownUntil.get(account);
        if (until != null && now.isBefore(until)) {
            return true;
        }
        boolean known = accounts.isKnownAccount(account); // only a positive answer is cached
        if (known) {
            knownUntil.put(account, now.plus(KNOWN_ACCOUNT_CACHE));
        }
        return known;
    }

    private static boolean isBatch(ObjectNode body) {
        return hasValue(body, "imageUrls") || hasValue(body, "videoUrls") || hasValue(body, "audioUrls");
    }

    private static boolean hasValue(ObjectNode body, String field) {
        return body.has(field) && !body.get(field).isNull();
    }

    private static Optional<String> idempotencyKey(ObjectNode body) {
        JsonNode key = body.get("idempotencyKey");
        if (key == null || key.isNull()) {
            return Optional.empty();
        }
        if (!key.isTextual() || !IngestIdempotency.isValidKey(key.asText())) {
            throw new ApiException(ErrorCode.IDEMPOTENCY_KEY_INVALID,
                    "idempotencyKey must be a string of 1 to 128 characters from [A-Za-z0-9._:-]");
        }
        return Optional.of(key.asText());
    }

    /** The rejection completion: no asset, status Failed, the reason and how to correlate it with the message. */
    private ObjectNode body(String account, Message message, String key, ErrorCode error, String reason) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("source", "ingest");
        body.put("accountId", account);
        body.put("status", "Failed");
        body.put("errorCode", REJECTED_CODE);
        body.put("apiErrorCode", error.code());
        body.put("errorMessage", reason);
        body.put("ingestMessageId", message.messageId());
        if (!key.equals(message.messageId())) {
            body.put("idempotencyKey", key);
        }
        body.put("rejectedAt", clock.instant().toString());
        return body;
    }

    private String partialRejection(String account, Message message, String key, ReviewState initial,
                                    List<UploadRequests.RefusedUrl> refused) {
        ObjectNode body = body(account, message, key, ErrorCode.URL_INVALID, refused.size() + " URL(s) of the batch were refused"
                + " (see failedItems); the other " + initial.pending().size() + " became assets of batch " + initial.batchId());
        body.put("batchId", initial.batchId());
        addFailedItems(body, refused);
        return body.toString();
    }

    private static void addFailedItems(ObjectNode body, List<UploadRequests.RefusedUrl> refused) {
        ArrayNode items = body.putArray("failedItems");
        refused.forEach(r -> items.addObject().put("originalUrl", r.originalUrl()).put("errorMessage", r.errorMessage()));
    }
}
