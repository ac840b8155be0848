package dev.assetlib.app.ingest;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.domain.DomainException;
import dev.assetlib.domain.ErrorCode;
import dev.assetlib.app.idempotency.Idempotency;
import dev.assetlib.api.Requests;
import dev.assetlib.api.UploadHandler;
import dev.assetlib.app.upload.UploadRequests;
import dev.assetlib.app.upload.UploadService;
import dev.assetlib.auth.ApiKeyStore;
import dev.assetlib.auth.ApiKeys;
import dev.assetlib.json.Json;
import dev.assetlib.store.GuardFailedException;
import dev.assetlib.store.IdempotencyRecords;
import dev.assetlib.app.review.CompletionPublisher;
import dev.assetlib.app.review.ReviewState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
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
 *   <li>{@link Outcome#DUPLICATE}: an earlier delivery (or an HTTP upload with the same key and
 *       request) did it; nothing is created again, and a review that delivery created but could not
 *       start is started;</li>
 *   <li>{@link Outcome#REJECTED}: it can never succeed (bad JSON, invalid fields, its key used for
 *       another upload) and its account is known: no asset, one Failed rejection completion;</li>
 *   <li>{@link Outcome#UNKNOWN_ACCOUNT}: no account to tell: left to SQS, which moves it to the
 *       ingest dead-letter queue after maxReceiveCount receives;</li>
 *   <li>{@link Outcome#RETRY}: a transient fault (DynamoDB, Step Functions, SQS), or another
 *       delivery of the same key still at work: left to SQS to redeliver.</li>
 * </ul>
 *
 * <p>Idempotency is the HTTP routes' own ({@link Idempotency}, {@link IdempotencyRecords}): the
 * message's key ({@code idempotencyKey}, else the SQS message id) is claimed with a lease on the
 * wall clock, the idempotency record is marked CREATED in the same transaction as the assets (with
 * the review's input, the answer the HTTP route would give, and any rejection completion owed), and
 * DONE once the review started. A key and request already used on an HTTP upload route is the same
 * upload: nothing is created twice either way.
 */
public final class IngestService {
    private static final Logger LOG = Logger.getLogger(IngestService.class.getName());
    private static final Duration KNOWN_ACCOUNT_CACHE = Duration.ofMinutes(5);
    /** Longer than SQS keeps a message (14 days), so any redelivery finds its record. */
    public static final Duration RETENTION = Duration.ofDays(30);
    public static final String REJECTED_CODE = "INGEST_REJECTED";
    /** The fingerprint's "route" of a message refused outright (it never matches an HTTP route's). */
    private static final String REFUSED_MESSAGE = "INGEST refused";
    private static final int MAX_ROUNDS = 3;

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

    /** What the message asks for, once read: an upload, or the rejection it earns. */
    private record Request(String route, ObjectNode fingerprinted, UploadRequests.SingleUpload single,
                           UploadRequests.BatchUpload batch, ObjectNode rejection) {
    }

    private final UploadService uploads;
    private final IdempotencyRecords records;
    private final ApiKeyStore accounts;
    private final CompletionPublisher completions;
    private final int maxBatchUrls;
    private final Clock clock;
    private final Clock wallClock;
    private final Map<String, Instant> knownUntil = new ConcurrentHashMap<>();

    /**
     * @param clock     the service's clock (timestamps of rejections)
     * @param wallClock real time, for idempotency leases and record expiry (the local stack scales
     *                  {@code clock}, never leases)
     */
    public IngestService(UploadService uploads, IdempotencyRecords records, ApiKeyStore accounts,
                         CompletionPublisher completions, int maxBatchUrls, Clock clock, Clock wallClock) {
        this.uploads = uploads;
        this.records = records;
        this.accounts = accounts;
        this.completions = completions;
        this.maxBatchUrls = maxBatchUrls;
        this.clock = clock;
        this.wallClock = wallClock;
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
        } catch (DomainException e) {
            return withKey(account, key, message, refused(account, message, key, e.error(), e.getMessage()));
        }
        return withKey(account, key, message, read(account, message, key, body));
    }

    /** The message's upload, validated as the HTTP route validates it, or its rejection. */
    private Request read(String account, Message message, String key, ObjectNode body) {
        ObjectNode fingerprinted = body.deepCopy();
        fingerprinted.remove("idempotencyKey");
        try {
            if (isBatch(body)) {
                UploadRequests.BatchUpload batch = UploadRequests.batch(body, maxBatchUrls);
                if (batch.accepted().isEmpty()) {
                    ObjectNode rejection = rejection(account, message, key, ErrorCode.URL_INVALID,
                            "every URL of the batch was refused: see failedItems");
                    addFailedItems(rejection, batch.refused());
                    return new Request(REFUSED_MESSAGE, fingerprinted, null, null, rejection);
                }
                return new Request(UploadHandler.SD2_UPLOAD, fingerprinted, null, batch, null);
            }
            return new Request(UploadHandler.SEEDANCE_UPLOAD, fingerprinted, UploadRequests.single(body), null, null);
        } catch (DomainException e) {
            return new Request(REFUSED_MESSAGE, fingerprinted, null, null,
                    rejection(account, message, key, e.error(), e.getMessage()));
        }
    }

    /** A message refused before its body could be read: its fingerprint is its raw body. */
    private Request refused(String account, Message message, String key, ErrorCode error, String reason) {
        ObjectNode raw = Json.MAPPER.createObjectNode().put("raw", message.body() == null ? "" : message.body());
        return new Request(REFUSED_MESSAGE, raw, null, null, rejection(account, message, key, error, reason));
    }

    /**
     * Runs the request under its key, as {@link Idempotency#run} does for HTTP: claim the key and do
     * the work; or find what the key's first use did and finish it (a crashed delivery's review
     * started, its rejection completion sent); or leave the message to SQS while another delivery
     * holds the key.
     */
    private Outcome withKey(String account, String key, Message message, Request request) {
        String keyHash = Idempotency.keyHash(key);
        String fingerprint = Idempotency.fingerprint(request.route(), request.fingerprinted());
        for (int round = 0; round < MAX_ROUNDS; round++) {
            String lease = UUID.randomUUID().toString();
            Instant now = wallClock.instant();
            if (records.claim(account, keyHash, fingerprint, lease, now, Idempotency.LEASE, RETENTION)) {
                return owned(account, key, keyHash, lease, message, request);
            }
            IdempotencyRecords.Record record = records.read(account, keyHash).orElse(null);
            if (record == null || record.expiresAt() <= now.getEpochSecond()) {
                continue; // gone (released, expired) since the claim: claim again
            }
            if (!record.fingerprint().equals(fingerprint)) {
                return keyReused(account, key, message);
            }
            if (IdempotencyRecords.DONE.equals(record.state())) {
                sendRejection(account, keyHash, record.rejection(), record.rejectionSent());
                LOG.info(() -> "ingest message " + message.messageId() + " (key " + key + ") was done before: nothing created again");
                return record.statusCode() == 200 ? Outcome.DUPLICATE : Outcome.REJECTED;
            }
            if (!record.leaseUntil().isAfter(now) && records.takeOver(account, keyHash, record.leaseId(), lease, now, Idempotency.LEASE)) {
                if (IdempotencyRecords.CREATED.equals(record.state())) {
                    // An earlier delivery created the assets and died: start their review, finish its record.
                    uploads.resumeReview(record.reviewInput());
                    records.complete(account, keyHash, lease, record.statusCode(), record.response());
                    sendRejection(account, keyHash, record.rejection(), record.rejectionSent());
                    return Outcome.DUPLICATE;
                }
                return owned(account, key, keyHash, lease, message, request);
            }
            LOG.info(() -> "ingest message " + message.messageId() + ": key " + key + " is in use by another delivery; SQS will redeliver");
            return Outcome.RETRY;
        }
        return Outcome.RETRY;
    }

    private Outcome owned(String account, String key, String keyHash, String lease, Message message, Request request) {
        if (request.rejection() != null) {
            String rejection = request.rejection().toString();
            LOG.info(() -> "ingest message " + message.messageId() + " refused: " + request.rejection().path("errorMessage").asText());
            if (!records.rejected(account, keyHash, lease, rejection)) {
                return Outcome.RETRY; // another delivery took the key over meanwhile: it decides
            }
            sendRejection(account, keyHash, rejection, false);
            return Outcome.REJECTED;
        }
        String[] owedRejection = new String[1];
        Idempotency.Claim claim = (review, response) -> {
            owedRejection[0] = request.batch() == null || request.batch().refused().isEmpty() ? null
                    : partialRejection(account, message, key, review, request.batch().refused());
            return records.created(account, keyHash, lease, json(review), response.getStatusCode(), response.getBody(),
                    owedRejection[0]);
        };
        APIGatewayV2HTTPResponse response;
        try {
            response = request.single() != null
                    ? uploads.single(account, request.single(), claim, UploadHandler::singleResponse)
                    : uploads.batch(account, request.batch(), claim, done -> UploadHandler.batchResponse(done, request.batch()));
        } catch (GuardFailedException lost) {
            return Outcome.RETRY; // the lease was taken over: the other delivery finishes
        } catch (RuntimeException e) {
            records.release(account, keyHash, lease);
            throw e;
        }
        if (owedRejection[0] == null && request.batch() != null && !request.batch().refused().isEmpty()) {
            // Every accepted URL was an existing asset (reuse): nothing was created, so the refused
            // URLs were not recorded; tell them before the key is done (a redelivery does it again).
            completions.publishIngestRejection(dedupKey(account, keyHash),
                    partialRejection(account, message, key, null, request.batch().refused()));
        }
        records.complete(account, keyHash, lease, response.getStatusCode(), response.getBody());
        sendRejection(account, keyHash, owedRejection[0], false);
        return Outcome.CREATED;
    }

    /**
     * The key was used for another upload (another body, or an HTTP route): this message can never
     * succeed under it. Its rejection is recorded under its SQS message id, so a redelivery sends
     * it once.
     */
    private Outcome keyReused(String account, String key, Message message) {
        ObjectNode rejection = rejection(account, message, key, ErrorCode.IDEMPOTENCY_KEY_REUSED, "idempotencyKey \"" + key
                + "\" was used within its retention for a different upload: send a new key for a new upload");
        if (key.equals(message.messageId())) {
            completions.publishIngestRejection(dedupKey(account, Idempotency.keyHash(key)), rejection.toString());
            return Outcome.REJECTED;
        }
        ObjectNode id = Json.MAPPER.createObjectNode().put("messageId", message.messageId());
        return withKey(account, message.messageId(), message, new Request(REFUSED_MESSAGE, id, null, null, rejection));
    }

    private void sendRejection(String account, String keyHash, String rejection, boolean sent) {
        if (rejection == null || sent) {
            return;
        }
        completions.publishIngestRejection(dedupKey(account, keyHash), rejection);
        records.markRejectionSent(account, keyHash);
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

    /** The message's {@code idempotencyKey}: the same rule as the {@code Idempotency-Key} header (40015). */
    private static Optional<String> idempotencyKey(ObjectNode body) {
        JsonNode key = body.get("idempotencyKey");
        if (key == null || key.isNull()) {
            return Optional.empty();
        }
        if (!key.isTextual() || !Idempotency.isValidKey(key.asText())) {
            throw new DomainException(ErrorCode.IDEMPOTENCY_KEY_INVALID,
                    "idempotencyKey must be a string of 1 to 255 visible ASCII characters (a UUID is a good choice); "
                            + "leave it out to use the SQS message id");
        }
        return Optional.of(key.asText());
    }

    /** The rejection completion: no asset, status Failed, the reason and how to correlate it with the message. */
    private ObjectNode rejection(String account, Message message, String key, ErrorCode error, String reason) {
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

    /** The refused URLs of a batch whose other URLs became assets ({@code review}: their review, null if all were reused). */
    private String partialRejection(String account, Message message, String key, ReviewState review,
                                    List<UploadRequests.RefusedUrl> refused) {
        ObjectNode body = rejection(account, message, key, ErrorCode.URL_INVALID, refused.size()
                + " URL(s) of the batch were refused (see failedItems)"
                + (review == null ? "; the others were existing assets, reused" : "; the other " + review.pending().size()
                + " became assets of batch " + review.batchId()));
        if (review != null) {
            body.put("batchId", review.batchId());
        }
        addFailedItems(body, refused);
        return body.toString();
    }

    private static void addFailedItems(ObjectNode body, List<UploadRequests.RefusedUrl> refused) {
        ArrayNode items = body.putArray("failedItems");
        refused.forEach(r -> items.addObject().put("originalUrl", r.originalUrl()).put("errorMessage", r.errorMessage()));
    }

    /** The completion queue's deduplication key of a message's rejection: short, fixed length, no raw input. */
    static String dedupKey(String accountId, String keyHash) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((accountId + "\n" + keyHash).getBytes(StandardCharsets.UTF_8));
            return "ingest-" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present in the JDK", e);
        }
    }

    private static String json(ReviewState review) {
        try {
            return Json.MAPPER.writeValueAsString(review);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("review state is always serialisable", e);
        }
    }
}
