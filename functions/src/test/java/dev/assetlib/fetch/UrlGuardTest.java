package dev.assetlib.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UrlGuardTest {
    private static HostResolver resolving(Map<String, List<String>> table) {
        return host -> {
            List<String> literals = table.get(host);
            if (literals == null) {
                throw new UnknownHostException(host);
            }
            List<InetAddress> out = new java.util.ArrayList<>();
            for (String l : literals) {
                out.add(InetAddress.getByName(l));
            }
            return out;
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost/a.png", "http://LOCALHOST./a.png", "http://app.localhost:8080/x",
            "http://127.0.0.1/a", "http://10.0.0.5/a", "http://169.254.169.254/latest/meta-data/",
            "http://[::1]/a", "http://[fd00:ec2::254]/latest", "http://[::ffff:127.0.0.1]/a", "http://0.0.0.0/a",
            "http://2130706433/a", "http://0x7f.1/a", "http://127.1/a", "http://999.1.1.1/a"})
    void uploadTimeCheckRefusesLiteralNonPublicHosts(String url) {
        assertThat(UrlGuard.literalProblem(URI.create(url))).as(url).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://cdn.example.com/a.png", "http://8.8.8.8/a", "https://[2606:4700::1111]/x",
            "https://10.example.com/a", "https://localhost.example.com/a"})
    void uploadTimeCheckLetsPossiblyPublicHostsThrough(String url) {
        assertThat(UrlGuard.literalProblem(URI.create(url))).as(url).isEmpty();
    }

    @Test
    void aNameResolvingToAPrivateAddressIsRefusedNamingTheAddress() {
        UrlGuard guard = new UrlGuard(resolving(Map.of("evil.example.com", List.of("10.0.0.5"))), FetchAllowList.none());
        assertThatThrownBy(() -> guard.check(URI.create("https://evil.example.com/a.png")))
                .isInstanceOfSatisfying(UrlGuard.Refused.class, r -> assertThat(r.code()).isEqualTo("URL_NOT_PUBLIC"))
                .hasMessage("evil.example.com resolves to 10.0.0.5, a private address; the URL must be publicly reachable");
    }

    @Test
    void everyResolvedAddressIsCheckedNotJustTheFirst() {
        UrlGuard guard = new UrlGuard(resolving(Map.of("mixed.example.com", List.of("93.184.216.34", "169.254.169.254"))),
                FetchAllowList.none());
        assertThatThrownBy(() -> guard.check(URI.create("http://mixed.example.com/")))
                .hasMessageContaining("169.254.169.254, a link-local or metadata address");
    }

    @Test
    void aPublicNameGivesTheCheckedAddressesToConnectTo() throws Exception {
        UrlGuard guard = new UrlGuard(resolving(Map.of("cdn.example.com", List.of("93.184.216.34"))), FetchAllowList.none());
        UrlGuard.Target t = guard.check(URI.create("https://CDN.example.com/a.png"));
        assertThat(t.host()).isEqualTo("cdn.example.com");
        assertThat(t.port()).isEqualTo(443);
        assertThat(t.tls()).isTrue();
        assertThat(t.addresses()).containsExactly(InetAddress.getByName("93.184.216.34"));
    }

    @Test
    void theAllowListOpensExactlyItsOriginsAndNoOtherPort() throws Exception {
        UrlGuard guard = new UrlGuard(resolving(Map.of("127.0.0.1", List.of("127.0.0.1"))), FetchAllowList.parse("127.0.0.1:4569"));
        assertThat(guard.check(URI.create("http://127.0.0.1:4569/media/a.png")).port()).isEqualTo(4569);
        assertThatThrownBy(() -> guard.check(URI.create("http://127.0.0.1:4570/media/a.png")))
                .hasMessageContaining("127.0.0.1 is a loopback address");
    }

    @Test
    void onlyHttpAndHttpsAreFetchedAndCredentialsNeverSent() {
        UrlGuard guard = new UrlGuard(resolving(Map.of()), FetchAllowList.none());
        assertThatThrownBy(() -> guard.check(URI.create("ftp://cdn.example.com/a.png")))
                .isInstanceOfSatisfying(UrlGuard.Refused.class, r -> assertThat(r.code()).isEqualTo("URL_NOT_ALLOWED"));
        assertThatThrownBy(() -> guard.check(URI.create("file:///etc/passwd"))).hasMessageContaining("only http and https");
        assertThatThrownBy(() -> guard.check(URI.create("http://u:p@cdn.example.com/"))).hasMessageContaining("credentials");
    }

    @Test
    void anUnknownHostIsADownloadFailureNamingIt() {
        UrlGuard guard = new UrlGuard(resolving(Map.of()), FetchAllowList.none());
        assertThatThrownBy(() -> guard.check(URI.create("https://nowhere.example.com/a.png")))
                .isInstanceOfSatisfying(UrlGuard.Refused.class, r -> assertThat(r.code()).isEqualTo("DOWNLOAD_FAILED"))
                .hasMessage("host nowhere.example.com not found");
    }

    @Test
    void allowListEntriesMustBeHostAndPort() {
        assertThatThrownBy(() -> FetchAllowList.parse("127.0.0.1")).hasMessageContaining("not HOST:PORT");
        assertThatThrownBy(() -> FetchAllowList.parse("127.0.0.1:http")).hasMessageContaining("numeric port");
        assertThat(FetchAllowList.parse("[::1]:8080, localhost:3000").allows("::1", 8080)).isTrue();
        assertThat(FetchAllowList.parse(null).isEmpty()).isTrue();
    }
}
