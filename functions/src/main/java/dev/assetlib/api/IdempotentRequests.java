package dev.assetlib.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.app.idempotency.IdempotencyKeys;
import dev.assetlib.app.idempotency.IdempotentExecutor;
import dev.assetlib.app.upload.UploadResult;
import dev.assetlib.app.upload.UploadService;
import dev.assetlib.domain.DomainException;
import dev.assetlib.domain.ErrorCode;
import dev.assetlib.json.JsonCodec;
import dev.assetlib.store.IdempotencyRecords;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The {@code Idempotency-Key} header of both upload routes. The same key with the same request
 * (route and JSON body, compared canonically) within 24 h answers the first response again, with
 * the same ids, and starts nothing; the same key with another request is a 409. Of concurrent
 * requests with one key, exactly one does the work; the others wait for its stored answer and
 * answer it, or a 409 "in progress" if it takes longer than {@link #WAIT}. Only a successful
 * answer is kept: after a failure the key is released so the retry runs again. The mechanism is
 * the {@link IdempotentExecutor} the ingest consumer also uses; this is its HTTP policy.
 */
public final class IdempotentRequests {
    public static final Duration TTL = Duration.ofHours(24);
    public static final Duration WAIT = Duration.ofSeconds(8);
    private static final Map<String, String> HEADERS = Map.of("Content-Type", "application/json; charset=utf-8");

    private final IdempotentExecutor executor;

    public IdempotentRequests(IdempotentExecutor executor) {
        this.executor = executor;
    }

    /** Runs {@code work} under the request's key (null: no key, it just runs) and answers its result in the envelope. */
    public APIGatewayV2HTTPResponse run(String accountId, String key, String routeKey, ObjectNode body,
                                        Envelope.CodeType codeType, Function<UploadService.Claim, UploadResult> work) {
        if (key == null) {
            return Envelope.ok(codeType, work.apply(null).toJson());
        }
        if (!IdempotencyKeys.isValidKey(key)) {
            throw new DomainException(ErrorCode.IDEMPOTENCY_KEY_INVALID, "Idempotency-Key must be 1 to 255 visible ASCII "
                    + "characters (a UUID is a good choice); leave the header out to upload without it");
        }
        IdempotentExecutor.Use use = new IdempotentExecutor.Use(accountId, IdempotencyKeys.keyHash(key),
                IdempotencyKeys.fingerprint(routeKey, body), TTL);
        return executor.run(use, new WaitingPolicy(codeType), lease -> {
            UploadResult result = work.apply((review, created) -> lease.created(review, created.recorded(), null));
            lease.complete(result.recorded());
            return Envelope.ok(codeType, result.toJson());
        });
    }

    /** An HTTP caller waits (with backoff, up to {@link #WAIT}) for a request in progress under its key. */
    private static final class WaitingPolicy implements IdempotentExecutor.Policy<APIGatewayV2HTTPResponse> {
        private final Envelope.CodeType codeType;
        private final long waitUntil = System.nanoTime() + WAIT.toNanos();

        WaitingPolicy(Envelope.CodeType codeType) {
            this.codeType = codeType;
        }

        @Override
        public APIGatewayV2HTTPResponse replay(IdempotencyRecords.Record record, boolean resumed) {
            return replayed(codeType, record.statusCode(), record.response());
        }

        @Override
        public APIGatewayV2HTTPResponse conflict() {
            throw new DomainException(ErrorCode.IDEMPOTENCY_KEY_REUSED, "this Idempotency-Key was used within "
                    + "the last 24 hours for a different request: send a new key for a new upload");
        }

        @Override
        public APIGatewayV2HTTPResponse lost() {
            throw inProgress();
        }

        @Override
        public APIGatewayV2HTTPResponse undecided(int round, boolean vanished) {
            if (System.nanoTime() > waitUntil) {
                throw inProgress();
            }
            sleep(Math.min(250, 25L << Math.min(round, 4)));
            return null;
        }
    }

    /**
     * The recorded answer again, marked as a replay: a recorded result in the route's envelope. (A
     * record written before results were recorded on their own holds the whole envelope: answered as it is.)
     */
    static APIGatewayV2HTTPResponse replayed(Envelope.CodeType codeType, int status, String recorded) {
        String body = recorded;
        if (status == 200) {
            JsonNode data = parse(recorded);
            if (data != null && !(data.has("msg") && data.has("data"))) {
                body = Envelope.ok(codeType, data).getBody();
            }
        }
        Map<String, String> headers = new HashMap<>(HEADERS);
        headers.put("Idempotent-Replayed", "true");
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status).withHeaders(headers)
                .withBody(body).withIsBase64Encoded(false).build();
    }

    private static JsonNode parse(String recorded) {
        try {
            JsonNode node = JsonCodec.parse(recorded);
            return node != null && node.isObject() ? node : null;
        } catch (IOException notJson) {
            return null;
        }
    }

    private static DomainException inProgress() {
        return new DomainException(ErrorCode.IDEMPOTENCY_IN_PROGRESS, "a request with this Idempotency-Key is "
                + "still being processed: retry in a few seconds to get its response");
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
