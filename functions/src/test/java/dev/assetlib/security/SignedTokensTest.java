package dev.assetlib.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SignedTokensTest {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private final SignedTokens tokens = new SignedTokens(KEY);

    @Test
    void aTokenOpensOnlyForItsPurposeAccountAndScope() {
        String token = tokens.issue("list-v1", "acme", "status=Active", "0001774880518000#asset-20260330142158-q75m8");

        assertThat(tokens.open(token, "list-v1", "acme", "status=Active", 512)).contains("0001774880518000#asset-20260330142158-q75m8");
        assertThat(tokens.open(token, "review-v1", "acme", "status=Active", 512)).isEmpty();
        assertThat(tokens.open(token, "list-v1", "other", "status=Active", 512)).isEmpty();
        assertThat(tokens.open(token, "list-v1", "acme", "status=Failed", 512)).isEmpty();
        assertThat(tokens.open(token, "list-v1", "acme", "status=Active", token.length() - 1)).isEmpty();
        assertThat(new SignedTokens("another key, also 32 bytes long!".getBytes(StandardCharsets.UTF_8))
                .open(token, "list-v1", "acme", "status=Active", 512)).isEmpty();
    }

    @Test
    void everyOtherSpellingOfTheLastCharacterIsRefused() {
        // The MAC's last base64 character carries 4 data bits and 2 unused ones: the three other
        // characters with the same data bits decode to the same MAC and must still be refused.
        String token = tokens.issue("p", "a", "", "payload");
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int last = alphabet.indexOf(token.charAt(token.length() - 1));
        int opened = 0;
        for (int i = 0; i < 64; i++) {
            String variant = token.substring(0, token.length() - 1) + alphabet.charAt(i);
            opened += tokens.open(variant, "p", "a", "", 512).isPresent() ? 1 : 0;
            assertThat(tokens.open(variant, "p", "a", "", 512).isPresent()).as(variant).isEqualTo(i == last);
        }
        assertThat(opened).isEqualTo(1);
    }

    @Test
    void malformedTokensAndShortKeysAreRefused() {
        for (String bad : new String[] {null, "", ".", "abc", "a.b.c", "!!!.???", "YQ"}) {
            assertThat(tokens.open(bad, "p", "a", "", 512)).as(String.valueOf(bad)).isEmpty();
        }
        assertThatThrownBy(() -> new SignedTokens(new byte[31])).isInstanceOf(IllegalArgumentException.class);
    }
}
