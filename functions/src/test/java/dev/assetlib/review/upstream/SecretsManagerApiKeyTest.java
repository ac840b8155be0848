package dev.assetlib.review.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.assetlib.config.Config;
import dev.assetlib.config.SecretSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The key is read from its secret at start, re-read on refresh, and never shown. */
class SecretsManagerApiKeyTest {
    /** A FAKE secret source (no local Secrets Manager exists) answering one secret; SecretsManagerReaderTest covers the real call. */
    static final class FakeSecretsManager implements SecretSource {
        final List<String> requests = new ArrayList<>();
        volatile String value = "alk_first";

        @Override
        public String secretString(String secretId) {
            requests.add(secretId);
            if (!secretId.equals("asset-library/upstream-key")) {
                throw new SecretSource.Unreadable("could not read secret " + secretId
                        + ": Secrets Manager answered HTTP 400 ResourceNotFoundException", null);
            }
            return value;
        }
    }

    @Test
    void readsTheSecretAtStartAndAgainOnRefresh() {
        FakeSecretsManager secrets = new FakeSecretsManager();
        SecretsManagerApiKey key = new SecretsManagerApiKey(secrets, "asset-library/upstream-key");
        assertThat(secrets.requests).hasSize(1);
        assertThat(key.get()).isEqualTo("alk_first");
        assertThat(key.toString()).doesNotContain("alk_first");

        secrets.value = "alk_rotated";
        key.refresh();
        assertThat(key.get()).isEqualTo("alk_rotated");
    }

    @Test
    void aMissingSecretFailsTheStartWithItsName() {
        assertThatThrownBy(() -> new SecretsManagerApiKey(new FakeSecretsManager(), "nope"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("nope")
                .hasMessageContaining("UPSTREAM_API_KEY_SECRET");
    }

    @Test
    void configRefusesUnknownReviewersAndBadBaseUrls() {
        assertThatThrownBy(() -> new Config(Map.of("REVIEWER", "someone")))
                .hasMessageContaining("rekognition, human, upstream or simulated");
        assertThat(new Config(Map.of("REVIEWER", "rekognition")).reviewer()).isEqualTo("rekognition");
        assertThatThrownBy(() -> new Config(Map.of("REVIEWER", "upstream", "UPSTREAM_BASE_URL", "ftp://x")))
                .hasMessageContaining("UPSTREAM_BASE_URL");
        assertThatThrownBy(() -> new Config(Map.of("UPSTREAM_BASE_URL", "https://user:pw@api.example.com")))
                .hasMessageContaining("without credentials");
        // Plain http would carry the upstream key in clear: refused, unless the local stack's explicit allowance is set.
        assertThatThrownBy(() -> new Config(Map.of("REVIEWER", "upstream", "UPSTREAM_BASE_URL", "http://api.example.com")))
                .hasMessageContaining("must be https://");
        assertThat(new Config(Map.of("REVIEWER", "upstream", "UPSTREAM_BASE_URL", "http://127.0.0.1:3001",
                "UPSTREAM_ALLOW_PLAIN_HTTP", "true")).upstreamBaseUrl().getPort()).isEqualTo(3001);
        Config ok = new Config(Map.of("REVIEWER", "upstream", "UPSTREAM_BASE_URL", "https://api.example.com/"));
        assertThat(ok.upstreamBaseUrl().getHost()).isEqualTo("api.example.com");
        assertThat(ok.upstreamBatchSize()).isEqualTo(20);
    }
}
