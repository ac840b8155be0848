package dev.assetlib.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.assetlib.testing.RawOrigin;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS through the guard: the socket goes to the checked address, while TLS still names and
 * verifies the URL's host (SNI and certificate), so connecting by address weakens nothing.
 */
class TlsFetchTest {
    @TempDir
    static Path dir;
    private static RawOrigin origin;
    private static SSLContext client;

    @BeforeAll
    static void start() throws Exception {
        Path ks = dir.resolve("cdn.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "cdn", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=cdn.test",
                "-ext", "SAN=dns:cdn.test", "-validity", "2", "-storetype", "PKCS12", "-keystore", ks.toString(),
                "-storepass", "changeit").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
        origin = new RawOrigin(server.getServerSocketFactory());
        origin.serve("/a.bin", 200, "application/octet-stream", "over tls".getBytes(StandardCharsets.US_ASCII));
    }

    @AfterAll
    static void stop() throws Exception {
        origin.close();
    }

    private GuardedFetcher fetcher() {
        HostResolver resolver = host -> switch (host) {
            case "cdn.test", "other.test" -> List.of(InetAddress.getLoopbackAddress());
            default -> throw new UnknownHostException(host);
        };
        FetchSettings s = FetchSettings.defaults().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5))
                .withAllowList(FetchAllowList.parse("cdn.test:" + origin.port() + ",other.test:" + origin.port()));
        return new GuardedFetcher(resolver, s, d -> { }, client.getSocketFactory());
    }

    @Test
    void fetchesOverTlsVerifyingTheUrlsHostName() throws Exception {
        FetchOutcome o = fetcher().fetchTo(URI.create("https://cdn.test:" + origin.port() + "/a.bin"), 1000, dir.resolve("a"));
        assertThat(o).isInstanceOf(FetchOutcome.Fetched.class);
        assertThat(Files.readString(dir.resolve("a"))).isEqualTo("over tls");
    }

    @Test
    void aCertificateForAnotherNameIsRefusedAlthoughTheAddressIsTheSame() {
        FetchOutcome o = fetcher().fetchTo(URI.create("https://other.test:" + origin.port() + "/a.bin"), 1000, dir.resolve("b"));
        assertThat(o).isInstanceOf(FetchOutcome.Failed.class);
        FetchOutcome.Failed f = (FetchOutcome.Failed) o;
        assertThat(f.code()).isEqualTo("DOWNLOAD_FAILED");
        assertThat(f.message()).startsWith("TLS with other.test failed");
        assertThat(f.attempts()).isEqualTo(1);
    }
}
