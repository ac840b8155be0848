package dev.assetlib.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MediaUrlsTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://example.com/portrait.jpg", "http://cdn.example.com/a/b.mp4?sig=abc%20d",
            "HTTPS://EXAMPLE.COM/X.PNG", "https://example.com:8443/v.mov"})
    void acceptsAbsoluteHttpAndHttpsUrls(String url) {
        assertThat(MediaUrls.problem(url)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "/relative/path.jpg", "example.com/a.jpg", "ftp://example.com/a.jpg",
            "file:///etc/passwd", "javascript:alert(1)", "https://user:secret@example.com/a.jpg",
            "https://exa mple.com/a.jpg", "https:///nohost.jpg", "data:image/png;base64,AAAA"})
    void refusesWhatCannotBeFetchedSafely(String url) {
        assertThat(MediaUrls.problem(url)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(ints = {2048, 2049})
    void limitsTheLengthTo2048(int length) {
        String prefix = "https://example.com/";
        String url = prefix + "a".repeat(length - prefix.length());
        assertThat(MediaUrls.problem(url).isPresent()).isEqualTo(length > 2048);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com/a.jpg"})
    void theMessageSaysWhatToSendInstead(String url) {
        assertThat(MediaUrls.problem(url)).get().asString().contains("ftp").contains("https://");
    }
}
