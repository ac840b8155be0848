package dev.assetlib.bench.floor;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.FileInputStream;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The warm-throughput child: one JVM with the deployment artifact's classpath (plus the Lambda
 * runtime's event serializer and this floor) that calls the upload handler and its floor in
 * alternating timed blocks, after a warm-up, and prints one line of JSON with both results.
 *
 * <p>args: eventFile warmupMillis blockMillis rounds. The event is deserialized once, as the Lambda
 * runtime would before each call; that work is the runtime's, not the handler's, and is left out.
 */
public final class WarmLoop {
    private WarmLoop() {
    }

    public static void main(String[] args) throws Exception {
        APIGatewayV2HTTPEvent event;
        try (InputStream in = new FileInputStream(args[0])) {
            event = LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, WarmLoop.class.getClassLoader()).fromJson(in);
        }
        long warmup = Long.parseLong(args[1]);
        long block = Long.parseLong(args[2]);
        int rounds = Integer.parseInt(args[3]);
        @SuppressWarnings("unchecked")
        RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler = (RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>)
                Class.forName("dev.assetlib.api.UploadHandler").getConstructor().newInstance();
        FloorUpload floor = new FloorUpload();

        Samples h = new Samples();
        Samples f = new Samples();
        run(handler, event, warmup / 2, null);
        run(floor, event, warmup / 2, null);
        run(handler, event, warmup / 2, null);
        run(floor, event, warmup / 2, null);
        for (int r = 0; r < rounds; r++) {
            // Alternate which goes first, so a slow patch of the shared machine hits both alike.
            if (r % 2 == 0) {
                run(handler, event, block, h);
                run(floor, event, block, f);
            } else {
                run(floor, event, block, f);
                run(handler, event, block, h);
            }
        }
        System.out.println("WARM {\"handler\":" + h.json() + ",\"floor\":" + f.json() + "}");
        System.exit(0);
    }

    private static void run(RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> fn, APIGatewayV2HTTPEvent event,
                            long millis, Samples into) {
        long end = System.nanoTime() + millis * 1_000_000L;
        long start = System.nanoTime();
        long now = start;
        while (now < end) {
            APIGatewayV2HTTPResponse response = fn.handleRequest(event, null);
            long after = System.nanoTime();
            if (response.getStatusCode() != 200) {
                throw new IllegalStateException(fn.getClass().getSimpleName() + " answered " + response.getStatusCode() + ": " + response.getBody());
            }
            if (into != null) {
                into.add(after - now);
            }
            now = after;
        }
        if (into != null) {
            into.elapsed += now - start;
        }
    }

    static final class Samples {
        long[] nanos = new long[1024];
        int n;
        long elapsed;

        void add(long v) {
            if (n == nanos.length) {
                nanos = Arrays.copyOf(nanos, n * 2);
            }
            nanos[n++] = v;
        }

        String json() {
            long[] sorted = Arrays.copyOf(nanos, n);
            Arrays.sort(sorted);
            return "{\"ops\":" + n + ",\"elapsedNanos\":" + elapsed
                    + ",\"p50Nanos\":" + (n == 0 ? 0 : sorted[(int) Math.min(n - 1, Math.round(0.50 * (n - 1)))])
                    + ",\"p99Nanos\":" + (n == 0 ? 0 : sorted[(int) Math.min(n - 1, Math.round(0.99 * (n - 1)))]) + "}";
        }
    }
}
