package dev.assetlib.review.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.assetlib.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParameterRequest;
import software.amazon.awssdk.services.ssm.model.GetParameterResponse;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/** The key is read decrypted from its SSM parameter at start, re-read on refresh, and never shown. */
class SsmParameterApiKeyTest {
    /** A FAKE SSM client answering one SecureString parameter. */
    static final class FakeSsm implements SsmClient {
        final List<GetParameterRequest> requests = new ArrayList<>();
        volatile String value = "alk_first";

        @Override
        public GetParameterResponse getParameter(GetParameterRequest request) {
            requests.add(request);
            if (!request.name().equals("/asset-library/upstream-key")) {
                throw ParameterNotFoundException.builder().message("parameter not found").build();
            }
            return GetParameterResponse.builder().parameter(p -> p.name(request.name()).value(value).type("SecureString")).build();
        }

        @Override
        public String serviceName() {
            return "ssm";
        }

        @Override
        public void close() {
        }
    }

    @Test
    void readsTheDecryptedParameterAtStartAndAgainOnRefresh() {
        FakeSsm ssm = new FakeSsm();
        SsmParameterApiKey key = new SsmParameterApiKey(ssm, "/asset-library/upstream-key");
        assertThat(ssm.requests).hasSize(1);
        assertThat(ssm.requests.get(0).withDecryption()).isTrue();
        assertThat(key.get()).isEqualTo("alk_first");
        assertThat(key.toString()).doesNotContain("alk_first");

        ssm.value = "alk_rotated";
        key.refresh();
        assertThat(key.get()).isEqualTo("alk_rotated");
    }

    @Test
    void aMissingParameterFailsTheStartWithItsName() {
        assertThatThrownBy(() -> new SsmParameterApiKey(new FakeSsm(), "/nope"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("/nope")
                .hasMessageContaining("UPSTREAM_API_KEY_PARAMETER");
    }

    @Test
    void configRefusesUnknownReviewersAndBadBaseUrls() {
        assertThatThrownBy(() -> new Config(Map.of("REVIEWER", "rekognition")))
                .hasMessageContaining("simulated, upstream or human");
        assertThatThrownBy(() -> new Config(Map.of("REVIEWER", "upstream", "UPSTREAM_BASE_URL", "ftp://x")))
                .hasMessageContaining("UPSTREAM_BASE_URL");
        assertThatThrownBy(() -> new Config(Map.of("UPSTREAM_BASE_URL", "https://user:pw@api.example.com")))
                .hasMessageContaining("without credentials");
        Config ok = new Config(Map.of("REVIEWER", "upstream", "UPSTREAM_BASE_URL", "https://api.example.com/"));
        assertThat(ok.upstreamBaseUrl().getHost()).isEqualTo("api.example.com");
        assertThat(ok.upstreamBatchSize()).isEqualTo(20);
    }
}
