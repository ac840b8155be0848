package dev.assetlib.local.s3;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.local.sfn.LocalLambda;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The upload bucket's ObjectCreated notification, which S3Mock does not have: the bucket is
 * listed (ListObjectsV2, the public S3 API, whatever wrote the object: a presigned PUT, the AWS
 * CLI, a multipart upload, a copy) every {@link #INTERVAL}, and each key that is new, or whose ETag
 * changed, raises the event S3 sends (its JSON shape: key URL-encoded, size, ETag without quotes,
 * a sequencer) to the function the template notifies, for keys under its prefix filter; a failed
 * invocation is retried twice, as Lambda's asynchronous invocation does. Objects already in the
 * bucket when it starts (a restart with a data dir) were notified in their run and raise nothing.
 *
 * <p>Polling, not a hook inside S3Mock's request handling: it needs nothing of S3Mock's internals
 * and sees every way an object is written. Its cost: an event comes up to one interval after the
 * write, and two writes of one key inside one interval raise one event (naming the later object).
 * An upload URL takes one object ({@code If-None-Match: *}, which S3Mock honours), so only the
 * bucket owner can write a key twice.
 */
public final class UploadEvents implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How often the bucket is listed (real time: the local stack's clock scale does not apply). */
    public static final Duration INTERVAL = Duration.ofMillis(200);

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final LocalLambda function;
    private final Clock clock;
    private final String region;
    private final Map<String, String> seen = new HashMap<>();
    private final AtomicLong sequencer = new AtomicLong();
    private final AtomicLong raised = new AtomicLong();
    private boolean failing;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "local-s3-upload-events");
        t.setDaemon(true);
        return t;
    });

    private UploadEvents(S3Client s3, String bucket, String prefix, LocalLambda function, Clock clock, String region) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix == null ? "" : prefix;
        this.function = function;
        this.clock = clock;
        this.region = region;
    }

    /** Starts notifying {@code function} of objects created in {@code bucket} under {@code prefix}. */
    public static UploadEvents start(S3Client s3, String bucket, String prefix, LocalLambda function, Clock clock, String region) {
        UploadEvents events = new UploadEvents(s3, bucket, prefix, function, clock, region);
        events.list().forEach(o -> events.seen.put(o.key(), o.eTag()));
        events.poller.scheduleWithFixedDelay(events::poll, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return events;
    }

    /** Events raised so far (for tests that wait for an event to have been handled). */
    public long raised() {
        return raised.get();
    }

    private Iterable<S3Object> list() {
        return s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents();
    }

    private void poll() {
        try {
            for (S3Object o : list()) {
                if (!o.eTag().equals(seen.get(o.key()))) {
                    seen.put(o.key(), o.eTag());
                    deliver(event(o.key(), o.size(), o.eTag().replace("\"", "")));
                }
            }
            failing = false;
        } catch (RuntimeException e) {
            if (!failing && !poller.isShutdown()) { // once per outage (and not while the JVM stops the server first)
                System.err.println("local S3 upload events: listing " + bucket + " failed, trying again every "
                        + INTERVAL.toMillis() + " ms: " + e);
            }
            failing = true;
        }
    }

    /** S3 notifies asynchronously, after the PUT has answered, and Lambda retries a failed invocation twice. */
    private void deliver(byte[] event) {
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                function.invoke(event);
                raised.incrementAndGet();
                return;
            } catch (Exception e) {
                System.err.println("local S3 upload events: ObjectCreated handler failed (attempt " + attempt + " of 3): " + e);
            }
        }
        raised.incrementAndGet();
    }

    private byte[] event(String key, long size, String etag) {
        ObjectNode record = JSON.createObjectNode();
        record.put("eventVersion", "2.1");
        record.put("eventSource", "aws:s3");
        record.put("awsRegion", region);
        record.put("eventTime", clock.instant().toString());
        record.put("eventName", "ObjectCreated:Put");
        record.putObject("userIdentity").put("principalId", "local");
        record.putObject("requestParameters").put("sourceIPAddress", "127.0.0.1");
        record.putObject("responseElements").put("x-amz-request-id", UUID.randomUUID().toString()).put("x-amz-id-2", "local");
        ObjectNode s3node = record.putObject("s3");
        s3node.put("s3SchemaVersion", "1.0");
        s3node.put("configurationId", "local-object-created");
        s3node.putObject("bucket").put("name", bucket).put("arn", "arn:aws:s3:::" + bucket)
                .putObject("ownerIdentity").put("principalId", "local");
        s3node.putObject("object").put("key", URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/"))
                .put("size", size).put("eTag", etag).put("sequencer", String.format("%016X", sequencer.incrementAndGet()));
        ObjectNode event = JSON.createObjectNode();
        event.putArray("Records").add(record);
        return event.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        poller.shutdownNow();
        try {
            poller.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
