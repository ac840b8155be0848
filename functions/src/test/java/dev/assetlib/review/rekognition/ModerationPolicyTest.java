package dev.assetlib.review.rekognition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModerationPolicyTest {
    private static final ModerationPolicy POLICY = ModerationPolicy.parse("""
            {"minConfidence": 50, "categories": {"Explicit Nudity": 80, "Violence": 90}, "uncertaintyBand": 20,
             "faces": {"max": 1, "minConfidence": 90}}""");

    private static Findings labels(Findings.Label... ls) {
        return new Findings(List.of(ls), List.of(), "7.0");
    }

    private static Findings.Label top(String name, double c) {
        return new Findings.Label(name, "", 1, c, null);
    }

    private static Findings faces(double... confidences) {
        List<Findings.Face> fs = new ArrayList<>();
        for (double c : confidences) {
            fs.add(new Findings.Face(c, 0.1, 0.1, 0.2, 0.2, null));
        }
        return new Findings(List.of(), fs, null);
    }

    @ParameterizedTest(name = "Explicit Nudity at {0} % -> {1}")
    @CsvSource({"80.0, Reject", "79.99, ToPerson", "60.0, ToPerson", "59.99, Approve", "97.1, Reject"})
    void aCategoryRejectsAtItsThresholdAndGoesToAPersonWithinTheBandBelow(double confidence, String expected) {
        Verdict v = POLICY.decide(labels(top("Explicit Nudity", confidence)));
        assertThat(v.getClass().getSimpleName()).isEqualTo(expected);
    }

    @Test
    void theRejectionNamesTheCategoryItsConfidenceAndTheThreshold() {
        Verdict v = POLICY.decide(labels(top("Explicit Nudity", 97.14)));
        assertThat(v).isEqualTo(new Verdict.Reject("Explicit Nudity 97.1 % (rejects at 80 %)"));
    }

    @Test
    void aConfidenceJustBelowTheThresholdIsNeverShownAsTheThresholdItself() {
        Verdict v = POLICY.decide(labels(top("Explicit Nudity", 79.96)));
        assertThat(v.rule()).startsWith("Explicit Nudity 79.9 %");
    }

    @Test
    void aLeafLabelCountsForItsTopLevelCategoryThroughItsParents() {
        // level 3 -> level 2 -> level 1, only the leaf is confident enough
        Verdict v = POLICY.decide(labels(
                new Findings.Label("Explicit Nudity", "", 1, 55, null),
                new Findings.Label("Nudity", "Explicit Nudity", 2, 70, null),
                new Findings.Label("Exposed Buttocks", "Nudity", 3, 93.5, null)));
        assertThat(v).isEqualTo(new Verdict.Reject("Explicit Nudity 93.5 % (rejects at 80 %)"));
    }

    @Test
    void aLeafWhoseParentWasNotReturnedCountsForTheParentItNames() {
        Verdict v = POLICY.decide(labels(new Findings.Label("Graphic Violence", "Violence", 2, 95, null)));
        assertThat(v).isEqualTo(new Verdict.Reject("Violence 95.0 % (rejects at 90 %)"));
    }

    @Test
    void withMatchLevelAnyOnlyTheNamedLabelCounts() {
        ModerationPolicy any = ModerationPolicy.parse("{\"matchLevel\": \"any\", \"categories\": {\"Nudity\": 80}}");
        assertThat(any.decide(labels(new Findings.Label("Exposed Buttocks", "Nudity", 3, 99, null))))
                .isInstanceOf(Verdict.Approve.class);
        assertThat(any.decide(labels(new Findings.Label("Nudity", "Explicit Nudity", 2, 85, null))))
                .isEqualTo(new Verdict.Reject("Nudity 85.0 % (rejects at 80 %)"));
    }

    @Test
    void aCategoryNotInThePolicyNeverDecides() {
        assertThat(POLICY.decide(labels(top("Alcohol", 99.9)))).isInstanceOf(Verdict.Approve.class);
    }

    @Test
    void moreConfidentFacesThanAllowedReject() {
        assertThat(POLICY.decide(faces(99, 95, 90))).isEqualTo(new Verdict.Reject("3 faces found; at most 1 allowed"));
        assertThat(POLICY.decide(faces(99))).isInstanceOf(Verdict.Approve.class);
    }

    @Test
    void aFaceBelowTheFaceConfidenceIsNotCountedButWithinTheBandSendsToAPerson() {
        assertThat(POLICY.decide(faces(99, 89.9))).isEqualTo(new Verdict.ToPerson(
                "2 faces found, 1 of them below 90 % confidence; at most 1 allowed"));
        assertThat(POLICY.decide(faces(99, 69.9))).isInstanceOf(Verdict.Approve.class);
        assertThat(POLICY.decide(faces(99, 70))).isInstanceOf(Verdict.ToPerson.class);
    }

    @Test
    void facesAreCountedPerFrameInAVideo() {
        Findings f = new Findings(List.of(), List.of(
                new Findings.Face(99, 0, 0, .1, .1, 0L), new Findings.Face(99, .5, 0, .1, .1, 1000L),
                new Findings.Face(99, .5, 0, .1, .1, 2000L)), null);
        assertThat(POLICY.decide(f)).isInstanceOf(Verdict.Approve.class);
        Findings two = new Findings(List.of(), List.of(
                new Findings.Face(99, 0, 0, .1, .1, 1000L), new Findings.Face(99, .5, 0, .1, .1, 1000L)), null);
        assertThat(POLICY.decide(two)).isEqualTo(new Verdict.Reject("2 faces found; at most 1 allowed"));
    }

    @Test
    void noFacesAllowedSaysSo() {
        ModerationPolicy none = ModerationPolicy.parse("{\"faces\": {\"max\": 0}}");
        assertThat(none.decide(faces(95))).isEqualTo(new Verdict.Reject("1 face found; no faces allowed"));
    }

    @Test
    void labelsAndFacesThatBothRejectAreBothNamed() {
        Findings f = new Findings(List.of(top("Explicit Nudity", 90)), faces(99, 99).faces(), null);
        assertThat(POLICY.decide(f)).isEqualTo(new Verdict.Reject(
                "Explicit Nudity 90.0 % (rejects at 80 %); 2 faces found; at most 1 allowed"));
    }

    @Test
    void theDefaultPolicyRejectsExplicitNudityAt80AndAllowsOneFaceAndSendsAudioAndDocumentsToPeople() {
        ModerationPolicy d = ModerationPolicy.DEFAULT;
        assertThat(d.categories()).containsEntry("Explicit Nudity", 80.0).containsEntry("Violence", 80.0);
        assertThat(d.maxFaces()).isEqualTo(1);
        assertThat(d.minFaceConfidence()).isEqualTo(90.0);
        assertThat(d.audio()).isEqualTo(ModerationPolicy.Action.person);
        assertThat(d.document()).isEqualTo(ModerationPolicy.Action.person);
        assertThat(d.minConfidence()).isEqualTo(50.0);
        assertThat(ModerationPolicy.parse("{}")).isEqualTo(d);
    }

    @ParameterizedTest(name = "{0} -> names {1}")
    @CsvSource(delimiter = '|', value = {
            "not json|not JSON",
            "[1]|must be a JSON object",
            "{\"minConfidence\": 101}|minConfidence must be a number from 0 to 100",
            "{\"minConfidence\": \"50\"}|minConfidence must be a number",
            "{\"categories\": {\"Violence\": -1}}|categories.Violence must be a number from 0 to 100",
            "{\"categories\": [\"Violence\"]}|categories must be an object",
            "{\"categories\": {\"\": 80}}|a category name is empty",
            "{\"faces\": {\"max\": 1.5}}|faces.max must be a whole number",
            "{\"faces\": {\"max\": -1}}|faces.max must be a whole number",
            "{\"faces\": {\"minConfidence\": 200}}|faces.minConfidence must be a number from 0 to 100",
            "{\"faces\": {\"maximum\": 1}}|unknown field faces.maximum",
            "{\"faces\": 1}|faces must be an object",
            "{\"audio\": \"maybe\"}|audio must be \"approve\", \"reject\" or \"person\"",
            "{\"document\": 1}|document must be a string",
            "{\"matchLevel\": \"leaf\"}|matchLevel must be \"top\"",
            "{\"rejectAt\": 80}|unknown field rejectAt",
            "{\"minConfidence\": 70, \"categories\": {\"Violence\": 80}, \"uncertaintyBand\": 20}|categories.Violence (80) less uncertaintyBand (20) is below minConfidence (70)",
    })
    void anInvalidPolicyIsRefusedNamingTheField(String json, String message) {
        assertThatThrownBy(() -> ModerationPolicy.parse(json)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("moderation policy: ").hasMessageContaining(message);
    }

    @Test
    void configRefusesAnInvalidPolicyAtStartWithTheVariableAndTheField() {
        assertThatThrownBy(() -> new dev.assetlib.config.Config(java.util.Map.of("MODERATION_POLICY", "{\"faces\":{\"max\":\"two\"}}")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("MODERATION_POLICY").hasMessageContaining("faces.max");
        assertThat(new dev.assetlib.config.Config(java.util.Map.of("MODERATION_POLICY", "{\"faces\":{\"max\":3}}"))
                .moderationPolicy().maxFaces()).isEqualTo(3);
    }
}
