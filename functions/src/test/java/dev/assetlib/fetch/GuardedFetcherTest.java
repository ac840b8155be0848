package dev.assetlib.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assetlib.testing.RawOrigin;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fetcher against a real origin on 127.0.0.1, reached as media.test (allowed) or 127.0.0.1 (not). */
class GuardedFetcherTest {
    private static final byte[] BODY = "0123456789abcdef".repeat(1000).getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;
    private RawOrigin origin;
    private final List<Duration> sleeps = new ArrayList<>();
    private Path file;

    @BeforeEach
    void start() throws IOException {
        origin = new RawOrigin();
        file = dir.resolve("body");
    }

    @AfterEach
    void stop() throws IOException {
        origin.close();
    }

    /** media.test -> 127.0.0.1 and allowed on the origin's port; evil.test -> 10.0.0.5; 127.0.0.1 itself not allowed. */
    private GuardedFetcher fetcher(FetchSettings base) {
        HostResolver resolver = host -> switch (host) {
            case "media.test" -> List.of(InetAddress.getLoopbackAddress());
            case "evil.test" -> List.of(InetAddress.getByName("10.0.0.5"));
            default -> {
                if (host.matches("[0-9.]+")) {
                    yield List.of(InetAddress.getByName(host));
                }
                throw new UnknownHostException(host);
            }
        };
        FetchSettings s = base.withAllowList(FetchAllowList.parse("media.test:" + origin.port()));
        return new GuardedFetcher(resolver, s, sleeps::add, (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    private GuardedFetcher fetcher() {
        return fetcher(FetchSettings.defaults().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5)));
    }

    private URI at(String path) {
        return URI.create("http://media.test:" + origin.port() + path);
    }

    private static FetchOutcome.Failed failed(FetchOutcome o) {
        assertThat(o).isInstanceOf(FetchOutcome.Failed.class);
        return (FetchOutcome.Failed) o;
    }

    @Test
    void streamsTheBodyIntoTheFileWithItsSha256AndSendsNoCompressionRequest() throws Exception {
        origin.serve("/a.bin", 200, "application/octet-stream", BODY);
        FetchOutcome o = fetcher().fetchTo(at("/a.bin"), 1_000_000, file);
        assertThat(o).isInstanceOf(FetchOutcome.Fetched.class);
        FetchOutcome.Fetched f = (FetchOutcome.Fetched) o;
        assertThat(f.bytes()).isEqualTo(BODY.length);
        assertThat(Files.readAllBytes(file)).isEqualTo(BODY);
        assertThat(f.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(BODY)));
        assertThat(f.contentType()).isEqualTo("application/octet-stream");
        assertThat(origin.lastRequestHead("/a.bin")).contains("Accept-Encoding: identity")
                .contains("Host: media.test:" + origin.port());
    }

    @Test
    void dechunksAChunkedBody() throws Exception {
        origin.route("/chunked", (out, hit) -> {
            out.write(RawOrigin.head(200, "Transfer-Encoding: chunked").getBytes(StandardCharsets.ISO_8859_1));
            for (int i = 0; i < BODY.length; i += 3000) {
                int n = Math.min(3000, BODY.length - i);
                out.write((Integer.toHexString(n) + ";ext=1\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(BODY, i, n);
                out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            out.write("0\r\nX-Trailer: y\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        });
        FetchOutcome o = fetcher().fetchTo(at("/chunked"), 1_000_000, file);
        assertThat(((FetchOutcome.Fetched) o).bytes()).isEqualTo(BODY.length);
        assertThat(Files.readAllBytes(file)).isEqualTo(BODY);
    }

    @Test
    void a404FailsAtOnceNamingTheHost() {
        FetchOutcome.Failed f = failed(fetcher().fetchTo(at("/missing.png"), 1000, file));
        assertThat(f.describe()).isEqualTo("DOWNLOAD_FAILED: HTTP 404 from media.test");
        assertThat(f.attempts()).isEqualTo(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void a500ThenA200IsRetriedAfterABackoffAndSucceeds() {
        origin.route("/flaky", (out, hit) -> {
            if (hit == 1) {
                out.write(RawOrigin.head(500, "Content-Length: 0").getBytes(StandardCharsets.ISO_8859_1));
            } else {
                out.write(RawOrigin.head(200, "Content-Length: " + BODY.length).getBytes(StandardCharsets.ISO_8859_1));
                out.write(BODY);
            }
        });
        FetchOutcome o = fetcher().fetchTo(at("/flaky"), 1_000_000, file);
        assertThat(o).isInstanceOf(FetchOutcome.Fetched.class);
        assertThat(((FetchOutcome.Fetched) o).attempts()).isEqualTo(2);
        assertThat(sleeps).containsExactly(Duration.ofMillis(500));
        assertThat(origin.hits("/flaky")).isEqualTo(2);
    }

    @Test
    void persistent503sAndA429AreRetriedWithDoublingBackoffThenFail() {
        origin.route("/down", (out, hit) -> out.write(RawOrigin.head(503, "Content-Length: 0").getBytes(StandardCharsets.ISO_8859_1)));
        FetchOutcome.Failed f = failed(fetcher().fetchTo(at("/down"), 1000, file));
        assertThat(f.describe()).isEqualTo("DOWNLOAD_FAILED: HTTP 503 from media.test (3 attempts)");
        assertThat(sleeps).containsExactly(Duration.ofMillis(500), Duration.ofMillis(1000));

        sleeps.clear();
        origin.route("/busy", (out, hit) -> out.write(RawOrigin.head(429, "Retry-After: 2\r\nContent-Length: 0").getBytes(StandardCharsets.ISO_8859_1)));
        assertThat(failed(fetcher().fetchTo(at("/busy"), 1000, file)).message()).startsWith("HTTP 429 from media.test");
        assertThat(sleeps).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    @Test
    void aSlowDripIsCutAtTheTotalTimeOut() {
        origin.route("/drip", (out, hit) -> {
            out.write(RawOrigin.head(200, "Content-Length: 100000").getBytes(StandardCharsets.ISO_8859_1));
            for (int i = 0; i < 100000; i++) {
                out.write('x');
                out.flush();
                Thread.sleep(50);
            }
        });
        FetchSettings s = FetchSettings.defaults().withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(800)).withAttempts(1, Duration.ZERO);
        long t0 = System.nanoTime();
        FetchOutcome.Failed f = failed(fetcher(s).fetchTo(at("/drip"), 1_000_000, file));
        assertThat(f.describe()).isEqualTo("DOWNLOAD_FAILED: no complete answer from media.test within 800 ms (total time-out)");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void followsFiveRedirectsButNotSix() {
        for (int i = 0; i < 6; i++) {
            origin.redirect("/r" + i, i % 2 == 0 ? 302 : 301, "/r" + (i + 1));
        }
        origin.serve("/r6", 200, "image/png", BODY);
        origin.serve("/r5b", 200, "image/png", BODY);
        FetchOutcome.Failed f = failed(fetcher().fetchTo(at("/r0"), 1_000_000, file));
        assertThat(f.describe()).isEqualTo("DOWNLOAD_FAILED: more than 5 redirects (starting at media.test, the last from media.test)");
        assertThat(origin.hits("/r6")).isZero();

        FetchOutcome ok = fetcher().fetchTo(at("/r1"), 1_000_000, file);
        assertThat(ok).isInstanceOf(FetchOutcome.Fetched.class);
        assertThat(((FetchOutcome.Fetched) ok).finalUrl()).isEqualTo(at("/r6"));
    }

    @Test
    void aRedirectToLoopbackOrMetadataIsRefusedBeforeAnyConnection() {
        origin.redirect("/to-loopback", 302, origin.url("/secret"));
        origin.redirect("/to-metadata", 307, "http://169.254.169.254/latest/meta-data/");
        origin.serve("/secret", 200, "text/plain", BODY);

        FetchOutcome.Failed loop = failed(fetcher().fetchTo(at("/to-loopback"), 1000, file));
        assertThat(loop.code()).isEqualTo("URL_NOT_PUBLIC");
        assertThat(loop.message()).isEqualTo("redirect to " + origin.url("/secret")
                + " (from media.test): 127.0.0.1 is a loopback address; the URL must be publicly reachable");
        assertThat(origin.hits("/secret")).isZero();

        FetchOutcome.Failed meta = failed(fetcher().fetchTo(at("/to-metadata"), 1000, file));
        assertThat(meta.describe()).isEqualTo("URL_NOT_PUBLIC: redirect to http://169.254.169.254/latest/meta-data/"
                + " (from media.test): 169.254.169.254 is a link-local or metadata address; the URL must be publicly reachable");
    }

    @Test
    void aRedirectToAnotherSchemeIsRefused() {
        origin.redirect("/to-file", 302, "file:///etc/passwd");
        assertThat(failed(fetcher().fetchTo(at("/to-file"), 1000, file)).code()).isEqualTo("URL_NOT_ALLOWED");
    }

    @Test
    void aHostResolvingToAPrivateAddressIsNeverConnected() {
        FetchOutcome.Failed f = failed(fetcher().fetchTo(URI.create("http://evil.test/a.png"), 1000, file));
        assertThat(f.describe()).isEqualTo("URL_NOT_PUBLIC: evil.test resolves to 10.0.0.5, a private address; the URL must be publicly reachable");
        assertThat(f.attempts()).isEqualTo(1);
    }

    @Test
    void aBodyPastTheLimitWithoutContentLengthStopsAtTheLimit() {
        AtomicLong written = new AtomicLong();
        origin.route("/endless", (out, hit) -> {
            out.write(RawOrigin.head(200, "Content-Type: video/mp4").getBytes(StandardCharsets.ISO_8859_1));
            byte[] chunk = new byte[16 * 1024];
            for (int i = 0; i < 64 * 1024; i++) { // up to 1 GB if nobody stopped
                out.write(chunk);
                written.addAndGet(chunk.length);
            }
        });
        FetchOutcome.Failed f = failed(fetcher().fetchTo(at("/endless"), 200_000, file));
        assertThat(f.describe()).isEqualTo("MEDIA_TOO_LARGE: more than 200000 bytes: media.test sent more and the fetch stopped there");
        assertThat(written.get()).isLessThan(50L * 1024 * 1024);
    }

    @Test
    void anAnnouncedLengthPastTheLimitIsRefusedWithoutReadingTheBody() {
        origin.route("/huge", (out, hit) -> out.write(RawOrigin.head(200, "Content-Length: 62914560").getBytes(StandardCharsets.ISO_8859_1)));
        FetchOutcome.Failed f = failed(fetcher().fetchTo(at("/huge"), 50L * 1024 * 1024, file));
        assertThat(f.describe()).isEqualTo("MEDIA_TOO_LARGE: more than 50 MB: media.test announced 62914560 bytes");
    }

    @Test
    void anEmptyBodyFailsAsEmpty() {
        origin.serve("/empty", 200, "image/png", new byte[0]);
        assertThat(failed(fetcher().fetchTo(at("/empty"), 1000, file)).describe())
                .isEqualTo("MEDIA_EMPTY: media.test answered with an empty body");
    }

    @Test
    void aConnectionClosedBeforeTheAnnouncedLengthIsRetriedThenFails() {
        origin.route("/cut", (out, hit) -> {
            out.write(RawOrigin.head(200, "Content-Length: 1000").getBytes(StandardCharsets.ISO_8859_1));
            out.write(new byte[500]);
        });
        FetchOutcome.Failed f = failed(fetcher().fetchTo(at("/cut"), 10_000, file));
        assertThat(f.describe()).isEqualTo("DOWNLOAD_FAILED: connection to media.test broke (connection closed after 500 of 1000 bytes) (3 attempts)");
        assertThat(origin.hits("/cut")).isEqualTo(3);
    }

    @Test
    void aClosedPortIsRetriedThenFailsNamingHostAndPort() throws IOException {
        int port = origin.port();
        origin.close();
        FetchOutcome.Failed f = failed(fetcher().fetchTo(URI.create("http://media.test:" + port + "/a"), 1000, file));
        assertThat(f.code()).isEqualTo("DOWNLOAD_FAILED");
        assertThat(f.message()).startsWith("could not connect to media.test:" + port).endsWith("(3 attempts)");
    }

    @Test
    void theDefaultsComeFromTheEnvironmentNames() {
        FetchSettings s = FetchSettings.fromEnv(java.util.Map.of("FETCH_CONNECT_TIMEOUT_MS", "1500", "FETCH_TOTAL_TIMEOUT_SECONDS", "20",
                "FETCH_MAX_ATTEMPTS", "4", "ASSETLIB_FETCH_ALLOW", "127.0.0.1:3000"));
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(s.totalTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(s.maxAttempts()).isEqualTo(4);
        assertThat(s.maxRedirects()).isEqualTo(5);
        assertThat(s.allowList().allows("127.0.0.1", 3000)).isTrue();
        assertThat(FetchSettings.fromEnv(java.util.Map.of()).allowList().isEmpty()).isTrue();
    }
}
