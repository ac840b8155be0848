package dev.assetlib.objects;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The buckets' lifecycle rules in template.yaml keep media exactly as long as its asset: raw
 * uploads (uploads/) expire after UploadRetentionDays, the copies of Failed assets (media/, tagged
 * asset-status=failed) after FailedMediaRetentionDays, and no rule expires anything else - in
 * particular no untagged copy under media/, which is what an Active or Processing asset has.
 */
class MediaLifecycleTemplateTest {
    private static JsonNode template;

    @BeforeAll
    static void read() throws Exception {
        template = new ObjectMapper(new YAMLFactory()).readTree(new File("../template.yaml"));
    }

    private record Rule(String bucket, JsonNode body) {
        String prefix() {
            JsonNode p = body.has("Prefix") ? body.get("Prefix") : body.at("/Filter/Prefix");
            return p.isMissingNode() ? "" : p.asText();
        }

        boolean expiresCurrentObjects() {
            return body.has("ExpirationInDays") || body.has("ExpirationDate");
        }

        boolean onlyTagged(String key, String value) {
            JsonNode tags = body.has("TagFilters") ? body.get("TagFilters") : body.at("/Filter/TagFilters");
            if (!tags.isArray() || tags.isEmpty()) {
                return false;
            }
            for (JsonNode t : tags) {
                if (t.path("Key").asText().equals(key) && t.path("Value").asText().equals(value)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** {@code !Ref X} (the YAML reader drops the tag, leaving X) or {@code Ref: X}. */
    private static String ref(JsonNode node) {
        return node.has("Ref") ? node.get("Ref").asText() : node.asText();
    }

    private static List<Rule> rules() {
        List<Rule> out = new ArrayList<>();
        template.get("Resources").fields().forEachRemaining(r -> {
            if (r.getValue().path("Type").asText().equals("AWS::S3::Bucket")) {
                r.getValue().at("/Properties/LifecycleConfiguration/Rules").forEach(rule -> out.add(new Rule(r.getKey(), rule)));
            }
        });
        return out;
    }

    private static Rule rule(String id) {
        return rules().stream().filter(r -> r.body().path("Id").asText().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void rawUploadsExpireAfterUploadRetentionDays() {
        Rule uploads = rule("expire-uploads");
        assertThat(uploads.prefix()).isEqualTo("uploads/");
        assertThat(ref(uploads.body().get("ExpirationInDays"))).isEqualTo("UploadRetentionDays");
        assertThat(uploads.body().path("Status").asText()).isEqualTo("Enabled");
    }

    @Test
    void copiesOfFailedAssetsExpireAfterFailedMediaRetentionDaysByTheirTag() {
        Rule failed = rule("expire-failed-media");
        assertThat(failed.prefix()).isEqualTo("media/");
        assertThat(failed.onlyTagged(S3MediaCopies.STATUS_TAG, S3MediaCopies.FAILED)).isTrue();
        assertThat(ref(failed.body().get("ExpirationInDays"))).isEqualTo("FailedMediaRetentionDays");
        assertThat(failed.body().path("Status").asText()).isEqualTo("Enabled");
        JsonNode parameter = template.at("/Parameters/FailedMediaRetentionDays");
        assertThat(parameter.path("Type").asText()).isEqualTo("Number");
        assertThat(parameter.path("MinValue").asInt()).isPositive();
    }

    @Test
    void noRuleExpiresTheCopyOfALiveAsset() {
        for (Rule r : rules()) {
            if (!r.expiresCurrentObjects()) {
                continue;
            }
            boolean rawUploads = r.prefix().startsWith("uploads/");
            boolean failedCopies = r.onlyTagged(S3MediaCopies.STATUS_TAG, S3MediaCopies.FAILED);
            assertThat(rawUploads || failedCopies)
                    .as(r.bucket() + " rule " + r.body().path("Id").asText() + " (prefix '" + r.prefix()
                            + "') would expire media of Active or Processing assets")
                    .isTrue();
        }
    }

    @Test
    void theMediaCopiesLiveInTheBucketTheDeletingFunctionIsGiven() {
        JsonNode resources = template.get("Resources");
        String bucket = resources.has("MediaBucket") ? "MediaBucket" : "UploadBucket";
        assertThat(rules()).filteredOn(r -> r.body().path("Id").asText().equals("expire-failed-media"))
                .extracting(Rule::bucket).containsExactly(bucket);
        assertThat(ref(resources.at("/ManageFunction/Properties/Environment/Variables/MEDIA_BUCKET"))).isEqualTo(bucket);
        assertThat(Map.of("key", S3MediaStore.key("a", "b"))).containsEntry("key", "media/a/b");
    }
}
