package dev.assetlib.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FailureCodeMediaTest {
    @Test
    void theMediaCodesAreKnownAndNoCodeIsNotACode() {
        assertThat(FailureCode.isKnown(FailureCode.IMAGE_DIMENSIONS)).isTrue();
        assertThat(FailureCode.isKnown(FailureCode.URL_NOT_PUBLIC)).isTrue();
        assertThat(FailureCode.isKnown(FailureCode.UPLOAD_REPLACED)).isTrue();
        assertThat(FailureCode.isKnown(FailureCode.REVIEW_REJECTED)).isTrue();
        assertThat(FailureCode.isKnown(null)).isFalse(); // an upstream answer may carry no code
        assertThat(FailureCode.isKnown("image_dimensions")).isFalse();
    }

    @Test
    void byteSizesReadAsPeopleWriteThem() {
        assertThat(ByteSizes.describe(50L * 1024 * 1024)).isEqualTo("50 MB");
        assertThat(ByteSizes.describe(15L * 1024 * 1024 + 1)).isEqualTo("15.0 MB");
        assertThat(ByteSizes.describe(2048)).isEqualTo("2 KB");
        assertThat(ByteSizes.describe(200_000)).isEqualTo("200000 bytes");
        assertThat(ByteSizes.describe(1)).isEqualTo("1 byte");
    }
}
