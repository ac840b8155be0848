package dev.assetlib.fetch;

import dev.assetlib.domain.ByteSizes;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;

/**
 * Fetches a user-given URL through the {@link UrlGuard} into a file, hashing it (SHA-256) as it
 * streams: never the whole body in memory, stopping as soon as it passes the size limit (announced
 * or not). Each redirect (at most {@link FetchSettings#MAX_REDIRECTS}) is guarded again. Transient
 * faults (time-outs, resets, refused connections, 5xx, 408, 429) are retried with doubling backoff
 * up to {@link FetchSettings#maxAttempts()}; everything ends as a {@link FetchOutcome}, never an exception.
 */
public final class GuardedFetcher {
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final int BUFFER = 64 * 1024;
    /** The bytes a tee receives before anything else (FormatSniffer.HEAD: enough to name a format). */
    private static final int HEAD = 64;

    private final UrlGuard guard;
    private final FetchSettings settings;
    private final Sleeper sleeper;
    private final SSLSocketFactory tls;

    public GuardedFetcher(HostResolver resolver, FetchSettings settings, Sleeper sleeper, SSLSocketFactory tls) {
        this.guard = new UrlGuard(resolver, settings.allowList());
        this.settings = settings;
        this.sleeper = sleeper;
        this.tls = tls;
    }

    /** The production fetcher: the system resolver, real sleeps, the JVM's trust store. */
    public static GuardedFetcher create(FetchSettings settings) {
        return new GuardedFetcher(HostResolver.SYSTEM, settings, Sleeper.REAL, (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    public FetchSettings settings() {
        return settings;
    }

    /** Fetches {@code url} into {@code file} (created or truncated); more than {@code maxBytes} fails MEDIA_TOO_LARGE. */
    public FetchOutcome fetchTo(URI url, long maxBytes, Path file) {
        return fetchTo(url, maxBytes, file, BodyTee.NONE);
    }

    /**
     * As {@link #fetchTo(URI, long, Path)}, also writing the body to {@code tee} as it streams (each
     * attempt's copy is ended when its body is complete, abandoned when the attempt fails).
     */
    public FetchOutcome fetchTo(URI url, long maxBytes, Path file, BodyTee tee) {
        Duration backoff = settings.firstBackoff();
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt(url, maxBytes, file, tee, attempt);
            } catch (Permanent p) {
                return new FetchOutcome.Failed(p.code, p.getMessage(), attempt);
            } catch (Transient t) {
                if (attempt >= settings.maxAttempts()) {
                    String tail = attempt == 1 ? "" : " (" + attempt + " attempts)";
                    return new FetchOutcome.Failed(FetchCodes.DOWNLOAD_FAILED, t.getMessage() + tail, attempt);
                }
                Duration wait = t.retryAfter != null && t.retryAfter.compareTo(settings.maxBackoff()) <= 0
                        ? max(t.retryAfter, backoff) : backoff;
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new FetchOutcome.Failed(FetchCodes.DOWNLOAD_FAILED, t.getMessage() + " (interrupted before a retry)", attempt);
                }
                backoff = min(backoff.multipliedBy(2), settings.maxBackoff());
            }
        }
    }

    private FetchOutcome.Fetched attempt(URI start, long maxBytes, Path file, BodyTee tee, int attempt) throws Permanent, Transient {
        long deadline = System.nanoTime() + settings.totalTimeout().toNanos();
        URI url = start;
        for (int redirects = 0; ; redirects++) {
            UrlGuard.Target target;
            try {
                target = guard.check(url);
            } catch (UrlGuard.Refused r) {
                String via = redirects == 0 ? "" : "redirect to " + url + " (from " + start.getHost() + "): ";
                throw new Permanent(r.code(), via + r.getMessage());
            }
            String host = target.host();
            try (HttpConnection c = HttpConnection.get(url, target, (int) settings.connectTimeout().toMillis(), deadline, tls)) {
                int status = c.status;
                if (REDIRECTS.contains(status)) {
                    String location = c.headers.get("location");
                    if (location == null || location.isBlank()) {
                        throw new Permanent(FetchCodes.DOWNLOAD_FAILED, "HTTP " + status + " from " + host + " without a Location");
                    }
                    if (redirects >= settings.maxRedirects()) {
                        throw new Permanent(FetchCodes.DOWNLOAD_FAILED, "more than " + settings.maxRedirects()
                                + " redirects (starting at " + start.getHost() + ", the last from " + host + ")");
                    }
                    url = resolve(url, location, host);
                    continue;
                }
                if (status >= 500 || status == 429 || status == 408) {
                    throw new Transient("HTTP " + status + " from " + host, status == 429 ? retryAfter(c.headers.get("retry-after")) : null);
                }
                if (status < 200 || status >= 300) {
                    throw new Permanent(FetchCodes.DOWNLOAD_FAILED, "HTTP " + status + " from " + host);
                }
                long announced = c.contentLength();
                if (announced > maxBytes) {
                    throw new Permanent(FetchCodes.MEDIA_TOO_LARGE, "more than " + ByteSizes.describe(maxBytes)
                            + ": " + host + " announced " + announced + " bytes");
                }
                return copy(c.body(), announced, file, tee, maxBytes, host, url, c.headers.get("content-type"), attempt);
            } catch (HttpConnection.DeadlineExceeded e) {
                throw new Transient("no complete answer from " + host + " within " + seconds(settings.totalTimeout()) + " (total time-out)", null);
            } catch (SocketTimeoutException e) {
                throw new Transient("could not connect to " + host + " within " + seconds(settings.connectTimeout()), null);
            } catch (ConnectException | NoRouteToHostException e) {
                throw new Transient("could not connect to " + host + ":" + target.port() + " (" + e.getMessage() + ")", null);
            } catch (SSLException e) {
                throw new Permanent(FetchCodes.DOWNLOAD_FAILED, "TLS with " + host + " failed (" + e.getMessage() + ")");
            } catch (EOFException | SocketException e) {
                throw new Transient("connection to " + host + " broke (" + e.getMessage() + ")", null);
            } catch (IOException e) {
                throw new Permanent(FetchCodes.DOWNLOAD_FAILED, "bad HTTP answer from " + host + " (" + e.getMessage() + ")");
            }
        }
    }

    private static FetchOutcome.Fetched copy(InputStream body, long announced, Path file, BodyTee tee, long maxBytes, String host,
                                             URI url, String contentType, int attempt) throws IOException, Permanent {
        MessageDigest sha = sha256();
        long total = 0;
        BodyTee.Copy copy = null;
        boolean complete = false;
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            byte[] buf = new byte[BUFFER];
            // the head first (the tee's receiver may need the format before the rest arrives)
            int n = readHead(body, buf);
            if (n > 0) {
                copy = tee.start(announced, buf, n);
            }
            for (; n != -1; n = body.read(buf)) {
                total += n;
                if (total > maxBytes) {
                    throw new Permanent(FetchCodes.MEDIA_TOO_LARGE, "more than " + ByteSizes.describe(maxBytes)
                            + ": " + host + " sent more and the fetch stopped there");
                }
                sha.update(buf, 0, n);
                out.write(buf, 0, n);
                if (copy != null) {
                    copy.write(buf, 0, n);
                }
            }
            complete = true;
        } finally {
            if (copy != null) {
                if (complete && total > 0) {
                    copy.end();
                } else {
                    copy.abandon();
                }
            }
        }
        if (total == 0) {
            throw new Permanent(FetchCodes.MEDIA_EMPTY, host + " answered with an empty body");
        }
        return new FetchOutcome.Fetched(file, total, HexFormat.of().formatHex(sha.digest()), contentType, url, attempt);
    }

    /** Reads until the buffer holds a format's head or the body ends: the count, or -1 for an empty body. */
    private static int readHead(InputStream body, byte[] buf) throws IOException {
        int n = 0;
        while (n < HEAD) {
            int r = body.read(buf, n, buf.length - n);
            if (r == -1) {
                return n == 0 ? -1 : n;
            }
            n += r;
        }
        return n;
    }

    private static URI resolve(URI base, String location, String host) throws Permanent {
        try {
            return base.resolve(new URI(location.trim()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new Permanent(FetchCodes.DOWNLOAD_FAILED, host + " redirected to a malformed Location \"" + location + "\"");
        }
    }

    private static Duration retryAfter(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return null; // an HTTP date: the backoff decides
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Ends the fetch with this code: retrying cannot help. */
    private static final class Permanent extends Exception {
        final String code;

        Permanent(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    /** May pass if tried again (time-out, reset, 5xx, 429). */
    private static final class Transient extends Exception {
        final Duration retryAfter;

        Transient(String message, Duration retryAfter) {
            super(message, null, false, false);
            this.retryAfter = retryAfter;
        }
    }
}
