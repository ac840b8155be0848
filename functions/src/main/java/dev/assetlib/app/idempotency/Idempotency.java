package dev.assetlib.app.idempotency;

import dev.assetlib.app.upload.UploadService;
import dev.assetlib.domain.DomainException;
import dev.assetlib.domain.ErrorCode;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.json.JsonCodec;
import dev.assetlib.store.GuardFailedException;
import dev.assetlib.store.IdempotencyRecords;
import dev.assetlib.app.review.ReviewState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The {@code Idempotency-Key} header of both upload routes. The same key with the same request
 * (route and JSON body, compared canonically) within 24 h answers the first response again, with
 * the same ids, and starts nothing; the same key with another request is a 409. Of concurrent
 * requests with one key, exactly one does the work (a conditional put of the key's record); the
 * others wait for its stored response and answer it, or a 409 "in progress" if it takes longer
 * than {@link #WAIT}. Only a successful answer is kept: after a failure the key is released so the
 * retry runs again. See {@link IdempotencyRecords} for the record and its crash recovery.
 *
 * <p>The SQS ingest consumer uses the same records, keys, fingerprints and lease takeover
 * ({@code dev.assetlib.app.ingest.IngestService}), with SQS's redelivery in place of the wait.
 */
public final class Idempotency {
    public static final Duration TTL = Duration.ofHours(24);
    /** Longer than the upload function's timeout, so a live owner never loses its lease. */
    public static final Duration LEASE = Duration.ofSeconds(30);
    public static final Duration WAIT = Duration.ofSeconds(8);
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");
    private static final Map<String, String> HEADERS = Map.of("Content-Type", "application/json; charset=utf-8");

    private final IdempotencyRecords records;
    private final UploadService uploads;
    private final Clock clock;

    public Idempotency(IdempotencyRecords records, UploadService uploads, Clock clock) {
        this.records = records;
        this.uploads = uploads;
        this.clock = clock;
    }

    /** Given to the upload while it holds the key: records its creation in the creating transaction. */
    public interface Claim {
        TransactWriteItem created(ReviewState review, APIGatewayV2HTTPResponse response);
    }

    public APIGatewayV2HTTPResponse run(String accountId, String key, String routeKey, ObjectNode body,
                                        Function<Claim, APIGatewayV2HTTPResponse> work) {
        if (key == null) {
            return work.apply(null);
        }
        if (!isValidKey(key)) {
            throw new DomainException(ErrorCode.IDEMPOTENCY_KEY_INVALID, "Idempotency-Key must be 1 to 255 visible ASCII "
                    + "characters (a UUID is a good choice); leave the header out to upload without it");
        }
        String keyHash = keyHash(key);
        String fingerprint = fingerprint(routeKey, body);
        long waitUntil = System.nanoTime() + WAIT.toNanos();
        for (int round = 0; ; round++) {
            String lease = UUID.randomUUID().toString();
            if (records.claim(accountId, keyHash, fingerprint, lease, clock.instant(), LEASE, TTL)) {
                return owned(accountId, keyHash, lease, work);
            }
            IdempotencyRecords.Record record = records.read(accountId, keyHash).orElse(null);
            if (record != null && record.expiresAt() > clock.instant().getEpochSecond()) {
                if (!record.fingerprint().equals(fingerprint)) {
                    throw new DomainException(ErrorCode.IDEMPOTENCY_KEY_REUSED, "this Idempotency-Key was used within "
                            + "the last 24 hours for a different request: send a new key for a new upload");
                }
                if (IdempotencyRecords.DONE.equals(record.state())) {
                    return replay(record.statusCode(), record.response());
                }
                if (!record.leaseUntil().isAfter(clock.instant())
                        && records.takeOver(accountId, keyHash, record.leaseId(), lease, clock.instant(), LEASE)) {
                    if (IdempotencyRecords.CREATED.equals(record.state())) {
                        // The first request created the assets and died: start their review, answer its response.
                        uploads.resumeReview(record.reviewInput());
                        records.complete(accountId, keyHash, lease, record.statusCode(), record.response());
                        return replay(record.statusCode(), record.response());
                    }
                    return owned(accountId, keyHash, lease, work);
                }
            }
            if (System.nanoTime() > waitUntil) {
                throw new DomainException(ErrorCode.IDEMPOTENCY_IN_PROGRESS, "a request with this Idempotency-Key is "
                        + "still being processed: retry in a few seconds to get its response");
            }
            sleep(Math.min(250, 25L << Math.min(round, 4)));
        }
    }

    private APIGatewayV2HTTPResponse owned(String accountId, String keyHash, String lease,
                                           Function<Claim, APIGatewayV2HTTPResponse> work) {
        Claim claim = (review, response) -> records.created(accountId, keyHash, lease, JsonCodec.write(review.toJson()),
                response.getStatusCode(), response.getBody());
        APIGatewayV2HTTPResponse response;
        try {
            response = work.apply(claim);
        } catch (GuardFailedException lost) {
            throw new DomainException(ErrorCode.IDEMPOTENCY_IN_PROGRESS, "a request with this Idempotency-Key is "
                    + "still being processed: retry in a few seconds to get its response");
        } catch (RuntimeException e) {
            records.release(accountId, keyHash, lease);
            throw e;
        }
        if (response.getStatusCode() == 200) {
            records.complete(accountId, keyHash, lease, response.getStatusCode(), response.getBody());
        } else {
            records.release(accountId, keyHash, lease);
        }
        return response;
    }

    /** A key either way may carry: 1 to 255 visible ASCII characters. */
    public static boolean isValidKey(String key) {
        return key != null && KEY.matcher(key).matches();
    }

    /** The record's key part: the key is stored only as its SHA-256. */
    public static String keyHash(String key) {
        return sha256(key);
    }

    /** What one key stands for: the route (or ingest's kind of message) and the body, canonically. */
    public static String fingerprint(String routeKey, JsonNode body) {
        return sha256(routeKey + "\n" + canonical(body));
    }

    private static APIGatewayV2HTTPResponse replay(int status, String body) {
        Map<String, String> headers = new java.util.HashMap<>(HEADERS);
        headers.put("Idempotent-Replayed", "true");
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status).withHeaders(headers)
                .withBody(body).withIsBase64Encoded(false).build();
    }

    /** JSON with object keys sorted at every level: the same body however its keys are ordered or spaced. */
    static String canonical(JsonNode node) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            StringBuilder out = new StringBuilder("{");
            for (int i = 0; i < names.size(); i++) {
                out.append(i == 0 ? "" : ",").append(JsonCodec.write(JsonCodec.object().textNode(names.get(i))))
                        .append(':').append(canonical(node.get(names.get(i))));
            }
            return out.append('}').toString();
        }
        if (node.isArray()) {
            StringBuilder out = new StringBuilder("[");
            for (int i = 0; i < node.size(); i++) {
                out.append(i == 0 ? "" : ",").append(canonical(node.get(i)));
            }
            return out.append(']').toString();
        }
        return JsonCodec.write(node);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DomainException(ErrorCode.UNAVAILABLE, "interrupted: retry");
        }
    }
}
