package dev.assetlib.app.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.domain.DomainException;
import dev.assetlib.domain.ErrorCode;
import dev.assetlib.fetch.FetchAllowList;
import dev.assetlib.json.JsonCodec;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PublicUrlsTest {
    @ParameterizedTest
    @ValueSource(strings = {"http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:8080/x.jpg", "http://localhost/x.jpg",
            "https://10.0.0.7/a.png", "http://[::1]/a.png", "http://[fd00:ec2::254]/latest", "http://192.168.1.2/a.jpg"})
    void aHostThatCanNeverBePublicIsRefusedWithTheReason(String url) {
        assertThat(PublicUrls.strict().problem(url)).hasValueSatisfying(p -> assertThat(p).startsWith("url must be publicly reachable"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://cdn.example.com/a.jpg", "http://8.8.8.8/a.jpg", "https://example.com:8443/v.mp4"})
    void aHostThatMayBePublicPasses(String url) {
        assertThat(PublicUrls.strict().problem(url)).isEmpty();
    }

    @Test
    void anAllowListedOriginPassesButOnlyOnItsPort() {
        PublicUrls local = new PublicUrls(FetchAllowList.parse("127.0.0.1:3000"));
        assertThat(local.problem("http://127.0.0.1:3000/samples/a.jpg")).isEmpty();
        assertThat(local.problem("http://127.0.0.1:3001/samples/a.jpg")).isPresent();
    }

    @Test
    void aSingleUploadIsRefusedWith40011AndABatchItemGoesToFailedItems() {
        ObjectNode single = JsonCodec.object().put("assetType", "Image").put("url", "http://169.254.169.254/latest/meta-data/");
        Assertions.assertThatThrownBy(() -> UploadRequests.single(single, PublicUrls.strict()))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.error()).isEqualTo(ErrorCode.URL_INVALID);
                    assertThat(e.getMessage()).contains("url must be publicly reachable");
                });
        ObjectNode batch = JsonCodec.object();
        batch.putArray("imageUrls").add("https://cdn.example.com/a.jpg").add("http://10.1.2.3/b.jpg");
        UploadRequests.BatchUpload parsed = UploadRequests.batch(batch, 20, PublicUrls.strict());
        assertThat(parsed.accepted()).extracting(UploadRequests.BatchItem::url).isEqualTo(List.of("https://cdn.example.com/a.jpg"));
        assertThat(parsed.refused()).singleElement().satisfies(r -> {
            assertThat(r.originalUrl()).isEqualTo("http://10.1.2.3/b.jpg");
            assertThat(r.errorMessage()).contains("url must be publicly reachable");
        });
    }
}
