package dev.assetlib.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;

/**
 * One POST of a body to a user-given URL (webhook deliveries), through the same guard and the
 * same connect-to-the-checked-address client as {@link GuardedFetcher}: the host is resolved
 * and checked at every call, redirects are not followed (a 3xx is an answer like any other), and
 * the whole exchange is cut at {@code totalTimeout}. It never throws: every end is a {@link Result}.
 */
public final class GuardedPoster {
    /** At most this much of an answer's body is read (and thrown away): the status is what counts. */
    private static final int MAX_ANSWER_BYTES = 64 * 1024;

    private final UrlGuard guard;
    private final Duration connectTimeout;
    private final Duration totalTimeout;
    private final SSLSocketFactory tls;

    public GuardedPoster(HostResolver resolver, FetchAllowList allowList, Duration connectTimeout, Duration totalTimeout,
                         SSLSocketFactory tls) {
        this.guard = new UrlGuard(resolver, allowList);
        this.connectTimeout = connectTimeout;
        this.totalTimeout = totalTimeout;
        this.tls = tls;
    }

    /** The production poster: the system resolver and the JVM's trust store. */
    public static GuardedPoster create(FetchAllowList allowList, Duration connectTimeout, Duration totalTimeout) {
        return new GuardedPoster(HostResolver.SYSTEM, allowList, connectTimeout, totalTimeout,
                (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    /**
     * @param status  the HTTP status, or 0 when there was no answer
     * @param refused true when the guard refused the URL (nothing was sent)
     * @param error   why there was no answer (null when there was one)
     */
    public record Result(int status, boolean refused, String error, long latencyMs) {
        public boolean success() {
            return status >= 200 && status < 300;
        }
    }

    public UrlGuard guard() {
        return guard;
    }

    public Result post(URI url, Map<String, String> headers, byte[] body) {
        long start = System.nanoTime();
        UrlGuard.Target target;
        try {
            target = guard.check(url);
        } catch (UrlGuard.Refused e) {
            return new Result(0, true, e.code() + ": " + e.getMessage(), 0);
        }
        long deadline = start + totalTimeout.toNanos();
        try (HttpConnection c = HttpConnection.exchange("POST", url, target, headers, body,
                (int) connectTimeout.toMillis(), deadline, tls)) {
            drain(c);
            return new Result(c.status, false, null, millisSince(start));
        } catch (HttpConnection.DeadlineExceeded e) {
            return new Result(0, false, "no answer within " + totalTimeout.toSeconds() + " s", millisSince(start));
        } catch (java.net.SocketTimeoutException e) {
            return new Result(0, false, "could not connect within " + connectTimeout.toMillis() + " ms", millisSince(start));
        } catch (ConnectException e) {
            return new Result(0, false, "connection refused by " + target.host(), millisSince(start));
        } catch (UnknownHostException e) {
            return new Result(0, false, "host " + target.host() + " not found", millisSince(start));
        } catch (SSLException e) {
            return new Result(0, false, "TLS failed with " + target.host() + ": " + e.getMessage(), millisSince(start));
        } catch (IOException e) {
            return new Result(0, false, "connection failed: " + e.getMessage(), millisSince(start));
        }
    }

    /** Reads a bounded part of the body, so that a server that waits for its answer to be read is served. */
    private static void drain(HttpConnection c) {
        try (InputStream in = c.body()) {
            byte[] buffer = new byte[8192];
            int total = 0;
            int n;
            while (total < MAX_ANSWER_BYTES && (n = in.read(buffer)) != -1) {
                total += n;
            }
        } catch (IOException ignored) {
            // the status was read; a broken or slow body does not change it
        }
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
