package dev.assetlib.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each function's S3 rights, as template.yaml grants them (Fn::ForEach loops expanded, both branches
 * of every !If), are exactly the bucket, prefix and actions it uses: UploadUrlFunction signs PUTs
 * under uploads/ (a presigned URL can do what its signer may), MediaFunction reads uploads/ and writes
 * and tags the copies under media/ of the media bucket (and deletes a streamed copy the checks refused), StatusCheckFunction and ReviewQueueFunction sign GETs
 * of the copies, ManageFunction deletes copies under media/, AssetStreamFunction tags (Failed) and deletes (deleted, removed) copies under media/; no other function holds any S3 right, none holds a wildcard action or a whole bucket.
 * A new S3 use must be added here, with its reason.
 */
class S3LeastPrivilegeTest {
    /** policy -> "action resource" lines, the whole of its S3 rights. */
    private static final Map<String, Set<String>> EXPECTED = Map.of(
            "UploadUrlPolicy", Set.of("s3:PutObject ${UploadBucket.Arn}/uploads/*"),
            "ManagePolicy", Set.of("s3:DeleteObject ${MediaBucket.Arn}/media/*"),
            "AssetStreamPolicy", Set.of("s3:DeleteObject ${MediaBucket.Arn}/media/*",
                    "s3:PutObjectTagging ${MediaBucket.Arn}/media/*"),
            // the media step reads the raw uploads (pinned to their version) and writes the copies
            "MediaPolicy", Set.of("s3:GetObject ${UploadBucket.Arn}/uploads/*", "s3:GetObjectVersion ${UploadBucket.Arn}/uploads/*",
                    "s3:PutObject ${MediaBucket.Arn}/media/*", "s3:PutObjectTagging ${MediaBucket.Arn}/media/*",
                    "s3:AbortMultipartUpload ${MediaBucket.Arn}/media/*", "s3:DeleteObject ${MediaBucket.Arn}/media/*"),
            // presigned GETs of the copies: for the upstream reviewer and the review queue's previews;
            // and the rekognition reviewer's: Rekognition reads the copy with the caller's own rights
            "StatusCheckPolicy", Set.of("s3:GetObject ${MediaBucket.Arn}/media/*"),
            "ReviewQueuePolicy", Set.of("s3:GetObject ${MediaBucket.Arn}/media/*"));

    private static JsonNode resources;

    @BeforeAll
    static void read() throws Exception {
        JsonNode template = new ObjectMapper(new YAMLFactory()).readTree(new File("../template.yaml"));
        resources = TableLeastPrivilegeTest.expandLoops((ObjectNode) template.get("Resources"));
    }

    /** Every Allow statement of the identity policies (managed policies and inline role policies). */
    private static List<TableLeastPrivilegeTest.Statement> identityStatements() {
        List<TableLeastPrivilegeTest.Statement> out = new ArrayList<>();
        resources.fields().forEachRemaining(r -> {
            String type = r.getValue().path("Type").asText();
            if (type.equals("AWS::IAM::ManagedPolicy") || type.equals("AWS::IAM::Role") || type.equals("AWS::IAM::Policy")
                    || type.equals("AWS::Serverless::Function")) {
                TableLeastPrivilegeTest.collect(r.getKey(), r.getValue(), out);
            }
        });
        return out;
    }

    private static String resource(JsonNode r) {
        if (r.has("Fn::Sub")) {
            return r.get("Fn::Sub").asText();
        }
        if (r.has("Fn::GetAtt")) {
            JsonNode g = r.get("Fn::GetAtt");
            return "${" + (g.isArray() ? g.get(0).asText() + "." + g.get(1).asText() : g.asText()) + "}";
        }
        return r.asText();
    }

    private static Map<String, Set<String>> s3Rights() {
        Map<String, Set<String>> rights = new TreeMap<>();
        for (TableLeastPrivilegeTest.Statement s : identityStatements()) {
            List<String> actions = s.list("Action").stream().filter(a -> a.startsWith("s3:") || a.equals("*")).toList();
            if (actions.isEmpty()) {
                continue;
            }
            assertThat(s.body().path("Effect").asText()).isEqualTo("Allow");
            List<String> resourcesOf = new ArrayList<>();
            JsonNode r = s.body().get("Resource");
            if (r.isArray()) {
                r.forEach(x -> resourcesOf.add(resource(x)));
            } else {
                resourcesOf.add(resource(r));
            }
            for (String a : actions) {
                for (String res : resourcesOf) {
                    rights.computeIfAbsent(s.owner(), k -> new TreeSet<>()).add(a + " " + res);
                }
            }
        }
        return rights;
    }

    @Test
    void eachFunctionHasExactlyTheS3RightsItUses() {
        assertThat(s3Rights()).isEqualTo(new TreeMap<>(EXPECTED));
    }

    @Test
    void noS3RightIsAWildcardActionOrAWholeBucket() {
        s3Rights().forEach((owner, lines) -> lines.forEach(line -> {
            String action = line.substring(0, line.indexOf(' '));
            String resource = line.substring(line.indexOf(' ') + 1);
            assertThat(action).as(owner).doesNotContain("*");
            assertThat(resource).as(owner + " " + action).matches("\\$\\{[A-Za-z]+\\.Arn}/[a-z]+/\\*");
        }));
    }

    /** The six Rekognition calls of the rekognition reviewer: StatusCheckFunction's, nothing else. */
    private static final Set<String> REKOGNITION_ACTIONS = Set.of("rekognition:DetectModerationLabels",
            "rekognition:DetectFaces", "rekognition:StartContentModeration", "rekognition:GetContentModeration",
            "rekognition:StartFaceDetection", "rekognition:GetFaceDetection");

    @Test
    void onlyStatusCheckMayCallRekognitionAndOnlyTheReviewersSixActionsOnTheWildcardTheyNeed() {
        Map<String, Set<String>> rekognition = new TreeMap<>();
        for (TableLeastPrivilegeTest.Statement s : identityStatements()) {
            List<String> actions = s.list("Action").stream().filter(a -> a.startsWith("rekognition:") || a.equals("*")).toList();
            if (!actions.isEmpty()) {
                assertThat(resource(s.body().get("Resource"))).as("Rekognition has no resource-level permissions for these")
                        .isEqualTo("*");
                rekognition.computeIfAbsent(s.owner(), k -> new TreeSet<>()).addAll(actions);
            }
        }
        assertThat(rekognition).isEqualTo(Map.of("StatusCheckPolicy", new TreeSet<>(REKOGNITION_ACTIONS)));
    }

    @Test
    void aWildcardResourceIsGrantedOnlyForRekognition() {
        for (TableLeastPrivilegeTest.Statement s : identityStatements()) {
            JsonNode r = s.body().get("Resource");
            boolean wildcard = r != null && (r.isArray() ? java.util.stream.StreamSupport.stream(r.spliterator(), false)
                    .anyMatch(x -> "*".equals(resource(x))) : "*".equals(resource(r)));
            if (wildcard) {
                assertThat(s.list("Action")).as(s.owner() + " grants a wildcard resource").isSubsetOf(REKOGNITION_ACTIONS);
            }
        }
    }

    @Test
    void theRekognitionReviewerIsTheDefaultAndTheSimulatedOneIsRefusedWithoutConsent() throws Exception {
        JsonNode template = new ObjectMapper(new YAMLFactory()).readTree(new File("../template.yaml"));
        assertThat(template.at("/Parameters/Reviewer/Default").asText()).isEqualTo("rekognition");
        JsonNode rule = template.at("/Rules/SimulatedReviewerIsNeverSilent");
        // (this reader drops the YAML tags: !Equals [!Ref A, b] reads as [A, b])
        assertThat(rule.at("/RuleCondition/0").asText()).isEqualTo("Reviewer");
        assertThat(rule.at("/RuleCondition/1").asText()).isEqualTo("simulated");
        assertThat(rule.at("/Assertions/0/Assert/0").asText()).isEqualTo("AllowSimulatedReviewer");
        assertThat(rule.at("/Assertions/0/Assert/1").asText()).isEqualTo("true");
        assertThat(template.at("/Parameters/AllowSimulatedReviewer/Default").asText()).isEqualTo("false");
        JsonNode policy = resources.at("/StatusCheckFunction/Properties/Environment/Variables/MODERATION_POLICY");
        assertThat(policy.has("Ref") ? policy.get("Ref").asText() : policy.asText()).isEqualTo("ModerationPolicy");
    }

    @Test
    void theFunctionsHaveTheBucketTheirRightsAreOn() {
        JsonNode manage = resources.at("/ManageFunction/Properties/Environment/Variables/MEDIA_BUCKET");
        assertThat(manage.has("Ref") ? manage.get("Ref").asText() : manage.asText()).as("ManageFunction deletes copies in the bucket its policy names").isEqualTo("MediaBucket");
        assertThat(resources.at("/UploadUrlFunction/Properties/Environment/Variables/UPLOAD_BUCKET").asText())
                .isEqualTo("UploadBucket");
        assertThat(resources.at("/UploadReceivedFunction/Properties/Environment/Variables/MEDIA_BUCKET").isMissingNode())
                .as("the ObjectCreated handler needs no bucket: the event names the object").isTrue();
    }
}
