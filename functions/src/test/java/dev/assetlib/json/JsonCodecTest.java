package dev.assetlib.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.app.review.ReviewState;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** JsonCodec gives the trees and text ObjectMapper gave, without building one. */
class JsonCodecTest {
    @ParameterizedTest
    @ValueSource(strings = {
        "{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"x\\\"y\\\\z\\n\\u0001\"},\"e\":-2.5e3,\"f\":9007199254740993,"
                + "\"g\":123456789012345678901234567890,\"h\":\"\u00e9\u4e2d\ud83d\ude00\",\"i\":[],\"j\":{}}",
        "[1,\"two\",3.0,{\"four\":[4]}]",
        "\"text\"", "42", "null", "{\"dup\":1,\"dup\":2}"})
    void readsAndWritesLikeObjectMapper(String json) throws Exception {
        JsonNode ours = JsonCodec.parse(json);
        JsonNode theirs = Json.MAPPER.readTree(json);

        assertThat(ours).isEqualTo(theirs);
        assertThat(JsonCodec.parse(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(theirs);
        assertThat(JsonCodec.write(ours)).isEqualTo(theirs.toString());
    }

    @Test
    void noContentIsMissingAndMalformedInputFails() throws Exception {
        assertThat(JsonCodec.parse("   ").isMissingNode()).isTrue();
        assertThatThrownBy(() -> JsonCodec.parse("{\"a\":")).isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> JsonCodec.parse("{'a':1}")).isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void reviewStateMapsItselfAsDataBindingDid() throws Exception {
        JsonNode error = Json.MAPPER.readTree("{\"Error\":\"States.Timeout\",\"Cause\":\"late\"}");
        for (ReviewState state : List.of(
                new ReviewState("acme", "asset-20260330142158-q75m8", ReviewState.BATCH, 1_774_966_918L, 3, 7, false,
                        List.of(new ReviewState.PendingAsset("asset-20260330142158-q75m8", "Image", "https://e.com/a.jpg", "sim1:1:"),
                                new ReviewState.PendingAsset("asset-20260330142158-a1b2c", "Video", "https://e.com/b.mp4", null),
                                ReviewState.PendingAsset.awaitingUpload("asset-20260330142158-u9p0d", "Audio", 1_774_970_000L)), null),
                new ReviewState("acme", "b", ReviewState.SINGLE, 5, 0, 1, true, List.of(), error),
                // a check that saw a direct upload's object arrive: the media step is owed
                new ReviewState("acme", "c", ReviewState.SINGLE, 5, 0, 2, false, List.of(new ReviewState.PendingAsset(
                        "asset-20260330142158-u9p0d", "Image", "s3://uploads/uploads/acme/asset-20260330142158-u9p0d", null)), null, true))) {
            assertThat(state.toJson()).isEqualTo(Json.MAPPER.valueToTree(state));
            assertThat(ReviewState.fromJson(Json.MAPPER.valueToTree(state))).isEqualTo(state);
            assertThat(ReviewState.fromJson(JsonCodec.parse(JsonCodec.write(state.toJson())))).isEqualTo(state);
        }
        assertThat(ReviewState.fromJson(JsonCodec.parse("{\"accountId\":\"a\",\"unknown\":1}")))
                .isEqualTo(new ReviewState("a", null, null, 0, 0, 0, false, null, null));
        assertThat(ReviewState.fromJson(JsonCodec.parse("[]"))).isNull();
    }
}
