package dev.assetlib.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No function can touch API key items (pk {@code APIKEY#...}, and the known-account markers
 * {@code KEYACCOUNT#...}) except to read them where it must: every IAM statement of template.yaml on
 * the assets table, after the Fn::ForEach loops are expanded, carries a {@code dynamodb:LeadingKeys}
 * condition, and only the authorizer's may match a key item, only the ingest consumer's a marker,
 * both read-only. Statements on the table's indexes may only Query (no key item has index keys).
 */
class TableLeastPrivilegeTest {
    private static final String TABLE = "AssetsTable.Arn";
    private static final String KEY_ITEM = "APIKEY#0f3a9c";
    private static final String ACCOUNT_MARKER = "KEYACCOUNT#acme";
    private static final Set<String> READS = Set.of("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query");
    /** Who may read what of the key items: the authorizer its keys, the ingest consumer the account markers. */
    private static final Map<String, String> KEY_READERS = Map.of("ApiKeyAuthorizerPolicy", KEY_ITEM, "IngestPolicy", ACCOUNT_MARKER);

    static JsonNode resources;

    @BeforeAll
    static void read() throws Exception {
        JsonNode template = new ObjectMapper(new YAMLFactory()).readTree(new File("../template.yaml"));
        resources = expandLoops((ObjectNode) template.get("Resources"));
    }

    /** Expands every Fn::ForEach::X: [Name, [values...], {template}] the way AWS::LanguageExtensions does. */
    static ObjectNode expandLoops(ObjectNode in) {
        ObjectNode out = in.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = in.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().startsWith("Fn::ForEach::")) {
                out.set(e.getKey(), e.getValue());
                continue;
            }
            String variable = e.getValue().get(0).asText();
            for (JsonNode value : e.getValue().get(1)) {
                e.getValue().get(2).fields().forEachRemaining(body -> out.set(
                        body.getKey().replace("${" + variable + "}", value.asText()),
                        substitute(body.getValue(), variable, value.asText())));
            }
        }
        return out;
    }

    static JsonNode substitute(JsonNode node, String variable, String value) {
        if (node.isTextual()) {
            return TextNode.valueOf(node.asText().replace("${" + variable + "}", value));
        }
        if (node.isArray()) {
            ArrayNode a = ((ArrayNode) node).arrayNode();
            node.forEach(n -> a.add(substitute(n, variable, value)));
            return a;
        }
        if (node.isObject()) {
            ObjectNode o = ((ObjectNode) node).objectNode();
            node.fields().forEachRemaining(f -> o.set(f.getKey(), substitute(f.getValue(), variable, value)));
            return o;
        }
        return node;
    }

    record Statement(String owner, JsonNode body) {
        List<String> list(String field) {
            List<String> out = new ArrayList<>();
            JsonNode v = body.get(field);
            if (v != null && v.isArray()) {
                v.forEach(x -> out.add(x.asText()));
            } else if (v != null) {
                out.add(v.asText());
            }
            return out;
        }
    }

    /** Every Allow statement of every policy document of every resource; both branches of an !If. */
    static List<Statement> statements() {
        List<Statement> out = new ArrayList<>();
        resources.fields().forEachRemaining(r -> collect(r.getKey(), r.getValue(), out));
        return out;
    }

    static void collect(String owner, JsonNode node, List<Statement> out) {
        if (node.isObject() && node.has("Effect") && node.has("Action")) {
            out.add(new Statement(owner, node));
            return;
        }
        node.forEach(child -> collect(owner, child, out));
    }

    static boolean matches(String iamPattern, String value) {
        String regex = Pattern.quote(iamPattern).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q");
        return Pattern.matches(regex, value);
    }

    @Test
    void everyStatementOnTheTableNamesItsPartitionsAndOnlyTheKeyReadersReachKeyItemsReadOnly() {
        List<Statement> onTable = statements().stream()
                .filter(s -> s.list("Action").stream().anyMatch(a -> a.startsWith("dynamodb:")))
                .filter(s -> s.list("Resource").contains(TABLE)).toList();
        assertThat(onTable).extracting(Statement::owner).contains("ApiKeyAuthorizerPolicy", "UploadPolicy",
                "AssetQueryPolicy", "ManagePolicy", "StatusCheckPolicy", "ReviewQueuePolicy", "UploadUrlPolicy",
                "UploadReceivedPolicy", "IngestPolicy", "WebhookPolicy", "WebhookDeliveryPolicy");

        for (Statement s : onTable) {
            assertThat(s.body().path("Effect").asText()).isEqualTo("Allow");
            JsonNode keys = s.body().at("/Condition/ForAllValues:StringLike/dynamodb:LeadingKeys");
            assertThat(keys.isArray() && !keys.isEmpty()).as(s.owner() + " " + s.list("Action") + " has LeadingKeys").isTrue();
            List<String> patterns = new ArrayList<>();
            keys.forEach(k -> patterns.add(k.asText()));
            for (String keyItem : List.of(KEY_ITEM, ACCOUNT_MARKER)) {
                boolean reaches = patterns.stream().anyMatch(p -> matches(p, keyItem));
                if (keyItem.equals(KEY_READERS.get(s.owner()))) {
                    continue; // checked below: read-only
                }
                assertThat(reaches).as(s.owner() + " " + patterns + " reaches " + keyItem).isFalse();
            }
            if (KEY_READERS.containsKey(s.owner()) && patterns.stream().anyMatch(p -> matches(p, KEY_READERS.get(s.owner())))) {
                assertThat(READS).as(s.owner() + " on key items").containsAll(s.list("Action"));
            }
        }
    }

    @Test
    void rateLimitBucketsAreReachedOnlyByTheApiFunctionsAndOnlyByUpdateItem() {
        String bucket = "RATE#acme";
        List<String> reaching = new ArrayList<>();
        for (Statement s : statements()) {
            JsonNode keys = s.body().at("/Condition/ForAllValues:StringLike/dynamodb:LeadingKeys");
            List<String> patterns = new ArrayList<>();
            keys.forEach(k -> patterns.add(k.asText()));
            if (s.list("Resource").contains(TABLE) && patterns.stream().anyMatch(p -> matches(p, bucket))) {
                reaching.add(s.owner());
                assertThat(s.list("Action")).as(s.owner() + " on rate buckets").containsOnly("dynamodb:UpdateItem");
                assertThat(patterns).as(s.owner()).containsOnly("RATE#*"); // a statement of its own
            }
        }
        assertThat(reaching).containsExactlyInAnyOrder("UploadPolicy", "AssetQueryPolicy", "ManagePolicy",
                "ReviewQueuePolicy", "UploadUrlPolicy");
    }

    @Test
    void statementsOnTheIndexesOnlyQuery() {
        for (Statement s : statements()) {
            if (s.list("Resource").stream().anyMatch(r -> r.contains("AssetsTable.Arn}/index/"))) {
                assertThat(s.list("Action")).as(s.owner()).containsOnly("dynamodb:Query");
            }
        }
    }

    @Test
    void theAuthorizerReadsKeysOnlyAndNoOtherPartition() {
        Statement authorizer = statements().stream().filter(s -> s.owner().equals("ApiKeyAuthorizerPolicy")).findFirst().orElseThrow();
        assertThat(authorizer.list("Action")).containsOnly("dynamodb:GetItem");
        JsonNode keys = authorizer.body().at("/Condition/ForAllValues:StringLike/dynamodb:LeadingKeys");
        keys.forEach(k -> assertThat(matches(k.asText(), "ACCOUNT#acme")).as(k.asText()).isFalse());
    }

    @Test
    void theLoopsAreExpandedIntoOneRolePerPolicy() {
        // The roles come from Fn::ForEach: each {Name}Role attaches {Name}Policy and nothing else.
        resources.fields().forEachRemaining(r -> {
            if (r.getKey().endsWith("Policy") && r.getValue().path("Type").asText().equals("AWS::IAM::ManagedPolicy")) {
                String name = r.getKey().substring(0, r.getKey().length() - "Policy".length());
                JsonNode role = resources.get(name + "Role");
                assertThat(role).as(name + "Role").isNotNull();
                assertThat(role.at("/Properties/ManagedPolicyArns/0/Ref").asText()).isEqualTo(r.getKey());
                assertThat(role.at("/Properties/ManagedPolicyArns")).hasSize(1);
            }
        });
    }
}
