package dev.assetlib.app.ingest;

import dev.assetlib.logging.LogText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.app.JsonBodies;
import dev.assetlib.app.idempotency.IdempotencyKeys;
import dev.assetlib.app.idempotency.IdempotentExecutor;
import dev.assetlib.app.review.CompletionPublisher;
import dev.assetlib.app.upload.PublicUrls;
import dev.assetlib.app.upload.UploadRequests;
import dev.assetlib.app.upload.UploadResult;
import dev.assetlib.app.upload.UploadService;
import dev.assetlib.store.ApiKeyStore;
import dev.assetlib.security.ApiKeys;
import dev.assetlib.domain.DomainException;
import dev.assetlib.domain.ErrorCode;
import dev.assetlib.json.JsonCodec;
import dev.assetlib.store.IdempotencyRecords;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 * <p>Idempotency is the HTTP routes' own ({@link IdempotentExecutor}, {@link IdempotencyRecords}): the
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
        CREATED, DUPLICATE, REJECTED, UNKNOWN_ACCOUNT, RETRY,
        /**
         * Over one of the account's quotas (docs/quotas.md) and done waiting (or no retry queue):
         * nothing created, left to SQS, whose redrive policy moves it to the dead-letter queue.
         */
        OVER_QUOTA,
        /** Over a quota: nothing created, a copy was sent back to the queue with a delay; this delivery is done. */
        WAITING;

        /** Whether SQS must keep (and redeliver) the message. */
        public boolean retry() {
            return this == UNKNOWN_ACCOUNT || this == RETRY || this == OVER_QUOTA;
        }
    }

    /**
     * One SQS message: its id (a copy's original message id, see {@link IngestRetryQueue}), its
     * {@code accountId} String attribute (null when absent), its body, and for a copy sent back over
     * a quota how many refusals it had and since when (0 and null otherwise).
     */
    public record Message(String messageId, String accountId, String body, int quotaRefusals, Instant waitingSince) {
        public Message(String messageId, String accountId, String body) {
            this(messageId, accountId, body, 0, null);
        }
    }

    /** Where and how long messages over a quota wait (null: left to the queue's visibility timeout). */
    public record QuotaWaits(IngestRetryQueue queue, QuotaWait schedule) {
    }

    /** What the message asks for, once read: an upload, or the rejection it earns. */
    private record Request(String route, ObjectNode fingerprinted, UploadRequests.SingleUpload single,
                           UploadRequests.BatchUpload batch, ObjectNode rejection) {
    }

    private final UploadService uploads;
    private final IdempotentExecutor idempotency;
    private final IdempotencyRecords records;
    private final ApiKeyStore accounts;
    private final CompletionPublisher completions;
    private final int maxBatchUrls;
    private final PublicUrls publicUrls;
    private final Clock clock;
    private final IngestRejections rejections;
    private final QuotaWaits quotaWaits;
    private final Map<String, Instant> knownUntil = new ConcurrentHashMap<>();

    /**
     * @param idempotency the executor the HTTP upload routes use too (its leases on the wall clock)
     * @param records     the same executor's records (to mark a rejection completion sent)
     * @param clock       the service's clock (timestamps of rejections)
     */
    public IngestService(UploadService uploads, IdempotentExecutor idempotency, IdempotencyRecords records,
                         ApiKeyStore accounts, CompletionPublisher completions, int maxBatchUrls, Clock clock) {
        this(uploads, idempotency, records, accounts, completions, maxBatchUrls, PublicUrls.strict(), clock);
    }

    /** @param publicUrls the upload-time SSRF check (and its local allow-list) */
    public IngestService(UploadService uploads, IdempotentExecutor idempotency, IdempotencyRecords records,
                         ApiKeyStore accounts, CompletionPublisher completions, int maxBatchUrls, PublicUrls publicUrls,
                         Clock clock) {
        this(uploads, idempotency, records, accounts, completions, maxBatchUrls, publicUrls, clock, null);
    }

    /** @param quotaWaits where messages over a quota wait (null: redelivered after the visibility timeout) */
    public IngestService(UploadService uploads, IdempotentExecutor idempotency, IdempotencyRecords records,
                         ApiKeyStore accounts, CompletionPublisher completions, int maxBatchUrls, PublicUrls publicUrls,
                         Clock clock, QuotaWaits quotaWaits) {
        this.quotaWaits = quotaWaits;
        this.publicUrls = publicUrls;
        this.uploads = uploads;
        this.idempotency = idempotency;
        this.records = records;
        this.accounts = accounts;
        this.completions = completions;
        this.maxBatchUrls = maxBatchUrls;
        this.clock = clock;
        this.rejections = new IngestRejections(clock);
    }

    /** Never throws for a message's content; throws only for transient faults (the caller retries those). */
    public Outcome process(Message message) {
        String account = message.accountId();
        if (!ApiKeys.isValidAccountId(account) || !isKnown(account)) {
            LOG.warning(() -> "ingest message " + LogText.safe(message.messageId()) + ": accountId attribute "
                    + (account == null ? "missing" : "\"" + LogText.safe(account) + "\" names no known account")
                    + "; left for the dead-letter queue");
            return Outcome.UNKNOWN_ACCOUNT;
        }
        String key = message.messageId();
        ObjectNode body;
        try {
            body = JsonBodies.object(message.body() == null ? null : message.body().getBytes(StandardCharsets.UTF_8));
            key = idempotencyKey(body).orElse(message.messageId());
        } catch (DomainException e) {
            return withKey(account, key, message, refused(account, message, key, e.error(), e.getMessage()));
        }
        try {
            return withKey(account, key, message, read(account, message, key, body));
        } catch (DomainException e) {
            if (e.error() != ErrorCode.QUOTA_EXCEEDED) {
                throw e;
            }
            return overQuota(message, e.getMessage()); // its key was released: a later delivery runs it again
        }
    }

    /**
     * Nothing was created: the message waits and comes back (a delayed copy, the original deleted),
     * with a growing wait, until it has waited the schedule's give-up time; then it is left to SQS
     * (batch item failure), whose redrive policy moves it to the dead-letter queue after 3 receives.
     */
    private Outcome overQuota(Message message, String reason) {
        if (quotaWaits == null) {
            LOG.info(() -> "ingest message " + LogText.safe(message.messageId()) + " waits on the queue: " + reason);
            return Outcome.OVER_QUOTA;
        }
        Instant now = clock.instant();
        Instant since = message.waitingSince() != null ? message.waitingSince() : now;
        int refusals = message.quotaRefusals() + 1;
        Optional<Duration> wait = quotaWaits.schedule().next(refusals, since, now);
        if (wait.isEmpty()) {
            LOG.warning(() -> "ingest message " + LogText.safe(message.messageId()) + " gives up after waiting since " + since
                    + " (" + refusals + " refusals): left for the dead-letter queue; " + reason);
            return Outcome.OVER_QUOTA;
        }
        quotaWaits.queue().sendLater(new Message(message.messageId(), message.accountId(), message.body(), refusals, since),
                refusals, wait.get(), reason);
        LOG.info(() -> "ingest message " + LogText.safe(message.messageId()) + " waits " + wait.get() + " (refusal " + refusals
                + "): " + reason);
        return Outcome.WAITING;
    }

    /** The message's upload, validated as the HTTP route validates it, or its rejection. */
    private Request read(String account, Message message, String key, ObjectNode body) {
        ObjectNode fingerprinted = body.deepCopy();
        fingerprinted.remove("idempotencyKey");
        try {
            if (isBatch(body)) {
                UploadRequests.BatchUpload batch = UploadRequests.batch(body, maxBatchUrls, publicUrls);
                if (batch.accepted().isEmpty()) {
                    ObjectNode rejection = rejections.of(account, message, key, ErrorCode.URL_INVALID,
                            "every URL of the batch was refused: see failedItems");
                    IngestRejections.addFailedItems(rejection, batch.refused());
                    return new Request(REFUSED_MESSAGE, fingerprinted, null, null, rejection);
                }
                return new Request(IdempotencyKeys.BATCH_UPLOAD, fingerprinted, null, batch, null);
            }
            return new Request(IdempotencyKeys.SINGLE_UPLOAD, fingerprinted, UploadRequests.single(body, publicUrls), null, null);
        } catch (DomainException e) {
            return new Request(REFUSED_MESSAGE, fingerprinted, null, null,
                    rejections.of(account, message, key, e.error(), e.getMessage()));
        }
    }

    /** A message refused before its body could be read: its fingerprint is its raw body. */
    private Request refused(String account, Message message, String key, ErrorCode error, String reason) {
        ObjectNode raw = JsonCodec.object().put("raw", message.body() == null ? "" : message.body());
        return new Request(REFUSED_MESSAGE, raw, null, null, rejections.of(account, message, key, error, reason));
    }

    /**
     * Runs the request under its key with the executor the HTTP routes use: claim the key and do
     * the work; or find what the key's first use did and finish it (a crashed delivery's review
     * started, its rejection completion sent); or leave the message to SQS while another delivery
     * holds the key.
     */
    private Outcome withKey(String account, String key, Message message, Request request) {
        String keyHash = IdempotencyKeys.keyHash(key);
        IdempotentExecutor.Use use = new IdempotentExecutor.Use(account, keyHash,
                IdempotencyKeys.fingerprint(request.route(), request.fingerprinted()), RETENTION);
        return idempotency.run(use, new RedeliveryPolicy(account, key, keyHash, message),
                lease -> owned(account, key, keyHash, lease, message, request));
    }

    /** An ingest message never waits for another delivery: SQS redelivers it later. */
    private final class RedeliveryPolicy implements IdempotentExecutor.Policy<Outcome> {
        private final String account;
        private final String key;
        private final String keyHash;
        private final Message message;

        RedeliveryPolicy(String account, String key, String keyHash, Message message) {
            this.account = account;
            this.key = key;
            this.keyHash = keyHash;
            this.message = message;
        }

        @Override
        public Outcome replay(IdempotencyRecords.Record record, boolean resumed) {
            sendRejection(account, keyHash, record.rejection(), record.rejectionSent());
            if (resumed) {
                return Outcome.DUPLICATE; // an earlier delivery created the assets and died: their review is started now
            }
            LOG.info(() -> "ingest message " + LogText.safe(message.messageId()) + " (key " + LogText.safe(key) + ") was done before: nothing created again");
            return record.statusCode() == 200 ? Outcome.DUPLICATE : Outcome.REJECTED;
        }

        @Override
        public Outcome conflict() {
            return keyReused(account, key, message);
        }

        @Override
        public Outcome lost() {
            return Outcome.RETRY; // the lease was taken over: the other delivery finishes
        }

        @Override
        public Outcome undecided(int round, boolean vanished) {
            if (vanished) {
                return round + 1 < MAX_ROUNDS ? null : Outcome.RETRY; // gone (released, expired) since the claim: claim again
            }
            LOG.info(() -> "ingest message " + LogText.safe(message.messageId()) + ": key " + LogText.safe(key) + " is in use by another delivery; SQS will redeliver");
            return Outcome.RETRY;
        }
    }

    private Outcome owned(String account, String key, String keyHash, IdempotentExecutor.Lease lease, Message message,
                          Request request) {
        if (request.rejection() != null) {
            String rejection = request.rejection().toString();
            LOG.info(() -> "ingest message " + LogText.safe(message.messageId()) + " refused: "
                    + LogText.safe(request.rejection().path("errorMessage").asText()));
            if (!lease.rejected(rejection)) {
                return Outcome.RETRY; // another delivery took the key over meanwhile: it decides
            }
            sendRejection(account, keyHash, rejection, false);
            return Outcome.REJECTED;
        }
        String[] owedRejection = new String[1];
        UploadService.Claim claim = (review, created) -> {
            owedRejection[0] = request.batch() == null || request.batch().refused().isEmpty() ? null
                    : rejections.partial(account, message, key, review, request.batch().refused());
            return lease.created(review, created.recorded(), owedRejection[0]);
        };
        UploadResult result = request.single() != null
                ? uploads.single(account, request.single(), claim)
                : uploads.batch(account, request.batch(), claim);
        if (owedRejection[0] == null && request.batch() != null && !request.batch().refused().isEmpty()) {
            // Every accepted URL was an existing asset (reuse): nothing was created, so the refused
            // URLs were not recorded; tell them before the key is done (a redelivery does it again).
            completions.publishIngestRejection(IngestRejections.dedupKey(account, keyHash),
                    rejections.partial(account, message, key, null, request.batch().refused()));
        }
        lease.complete(result.recorded());
        sendRejection(account, keyHash, owedRejection[0], false);
        return Outcome.CREATED;
    }

    /**
     * The key was used for another upload (another body, or an HTTP route): this message can never
     * succeed under it. Its rejection is recorded under its SQS message id, so a redelivery sends
     * it once.
     */
    private Outcome keyReused(String account, String key, Message message) {
        ObjectNode rejection = rejections.of(account, message, key, ErrorCode.IDEMPOTENCY_KEY_REUSED, "idempotencyKey \"" + key
                + "\" was used within its retention for a different upload: send a new key for a new upload");
        if (key.equals(message.messageId())) {
            completions.publishIngestRejection(IngestRejections.dedupKey(account, IdempotencyKeys.keyHash(key)), rejection.toString());
            return Outcome.REJECTED;
        }
        ObjectNode id = JsonCodec.object().put("messageId", message.messageId());
        return withKey(account, message.messageId(), message, new Request(REFUSED_MESSAGE, id, null, null, rejection));
    }

    private void sendRejection(String account, String keyHash, String rejection, boolean sent) {
        if (rejection == null || sent) {
            return;
        }
        completions.publishIngestRejection(IngestRejections.dedupKey(account, keyHash), rejection);
        records.markRejectionSent(new IdempotencyRecords.Key(account, keyHash));
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
        if (!key.isTextual() || !IdempotencyKeys.isValidKey(key.asText())) {
            throw new DomainException(ErrorCode.IDEMPOTENCY_KEY_INVALID,
                    "idempotencyKey must be a string of 1 to 255 visible ASCII characters (a UUID is a good choice); "
                            + "leave it out to use the SQS message id");
        }
        return Optional.of(key.asText());
    }
}
