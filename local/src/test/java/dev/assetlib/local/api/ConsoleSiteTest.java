package dev.assetlib.local.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleSiteTest {
    @Test
    void thePolicyAllowsMediaFromTheListedOriginsOnlyAndNothingInline() {
        String csp = ConsoleSite.contentSecurityPolicy(List.of("https://media.example.com http://127.0.0.1:4569", ""));
        assertThat(csp).contains("img-src 'self' https://media.example.com http://127.0.0.1:4569;",
                "media-src 'self' https://media.example.com http://127.0.0.1:4569;", "script-src 'self';",
                "connect-src 'self';", "frame-ancestors 'none'");
        assertThat(csp).doesNotContain("unsafe");
        assertThat(ConsoleSite.contentSecurityPolicy(List.of())).contains("img-src 'self';");
    }

    @Test
    void somethingThatIsNotAnOriginCannotWidenThePolicy() {
        for (String bad : List.of("*", "https:", "'unsafe-inline'", "https://x.example.com/path", "data:", "https://a.com;script-src")) {
            assertThatThrownBy(() -> ConsoleSite.contentSecurityPolicy(List.of(bad))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ConsoleMediaOrigins");
        }
    }

    @Test
    void onlyTheConsolesPathsAreServedAsFiles() {
        assertThat(ConsoleSite.handles("/console")).isTrue();
        assertThat(ConsoleSite.handles("/console/js/app.js")).isTrue();
        assertThat(ConsoleSite.handles("/consoles")).isFalse();
        assertThat(ConsoleSite.handles("/kyyReactApiServer/review/pending")).isFalse();
    }
}
