package dev.assetlib.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.cli.CliRunner.Result;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * webhooks list/add/delete/test/deliveries/retry/rotate-secret against the real local stack, in
 * both outputs: a secret appears only in the answers of add and rotate-secret, never in a list.
 * The endpoints point at the stack's own API origin (allow-listed locally, plain http), which
 * answers the deliveries with a non-2xx status: each delivery gets recorded attempts.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class WebhooksCommandTest {
    @RegisterExtension
    static final LocalStackExtension STACK = LocalStackExtension.simulated();

    static CliRunner cli() {
        return CliRunner.against(STACK.endpoint(), LocalStackExtension.UPLOADER_KEY);
    }

    static CliRunner otherAccount() {
        return CliRunner.against(STACK.endpoint(), LocalStackExtension.OTHER_KEY);
    }

    static String hook(String run) {
        return STACK.endpoint() + "/hooks/cli-" + run;
    }

    @Test
    void addListTestDeliveriesRetryRotateAndDeleteInBothOutputsShowingSecretsOnlyWhenTheServiceGivesThem() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);

        Result addedJson = cli().run("webhooks", "add", hook(run) + "/all", "-o", "json");
        assertThat(addedJson.exit()).as(addedJson.toString()).isEqualTo(ExitCodes.OK);
        JsonNode all = addedJson.json();
        String first = all.path("id").asText();
        String firstSecret = all.path("secret").asText();
        assertThat(first).matches("wh_[0-9a-f]{24}");
        assertThat(firstSecret).startsWith("whsec_");
        assertThat(all.path("events").toString()).contains("asset.active", "asset.failed", "asset.deleted");

        Result added = cli().run("webhooks", "add", hook(run) + "/failures", "--events", "asset.failed,asset.deleted");
        assertThat(added.exit()).as(added.toString()).isEqualTo(ExitCodes.OK);
        assertThat(added.out()).contains("(asset.failed,asset.deleted) -> " + hook(run) + "/failures").containsPattern("secret: whsec_\\S+");
        assertThat(added.err()).contains("shown only now");
        String second = added.out().replaceAll("(?s).*added (wh_[0-9a-f]{24}).*", "$1");
        assertThat(second).matches("wh_[0-9a-f]{24}").isNotEqualTo(first);

        Result list = cli().run("webhooks", "list");
        assertThat(list.exit()).isEqualTo(ExitCodes.OK);
        assertThat(list.out()).startsWith("ID").contains(first, second, hook(run) + "/failures", "asset.failed,asset.deleted", "enabled")
                .doesNotContain("whsec_");
        JsonNode listed = cli().run("webhooks", "list", "-o", "json").json();
        assertThat(listed.path("items").findValuesAsText("id")).contains(first, second);
        assertThat(listed.toString()).doesNotContain("whsec_").doesNotContain("\"secret\"");
        assertThat(cli().run("webhooks", "list", "-q").out().lines()).contains(first, second);
        assertThat(otherAccount().run("webhooks", "list", "-o", "json").json().path("items").findValuesAsText("id"))
                .doesNotContain(first, second);

        Result tested = cli().run("webhooks", "test", first);
        assertThat(tested.exit()).as(tested.toString()).isEqualTo(ExitCodes.OK);
        assertThat(tested.out()).contains("queued webhook.test delivery msg_", " to " + first);
        String delivery = tested.out().replaceAll("(?s).*delivery (msg_[0-9]{13}_[0-9a-f]{20}).*", "$1");
        JsonNode testedJson = cli().run("webhooks", "test", first, "-o", "json").json();
        assertThat(testedJson.path("type").asText()).isEqualTo("webhook.test");
        assertThat(testedJson.path("deliveryId").asText()).matches("msg_[0-9]{13}_[0-9a-f]{20}");

        // the first attempt is made by the delivery function (the API origin answers it with a non-2xx status)
        JsonNode attempted = null;
        for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); System.nanoTime() < end; Thread.sleep(100)) {
            JsonNode items = cli().run("webhooks", "deliveries", first, "-o", "json").json().path("items");
            for (JsonNode d : items) {
                if (d.path("deliveryId").asText().equals(delivery) && d.path("attempts").size() > 0) {
                    attempted = d;
                }
            }
            if (attempted != null) {
                break;
            }
        }
        assertThat(attempted).as("an attempt of " + delivery).isNotNull();
        assertThat(attempted.path("type").asText()).isEqualTo("webhook.test");
        int statusCode = attempted.path("attempts").get(0).path("statusCode").asInt();
        assertThat(statusCode).isBetween(300, 599);
        Result deliveries = cli().run("webhooks", "deliveries", first);
        assertThat(deliveries.exit()).isEqualTo(ExitCodes.OK);
        assertThat(deliveries.out()).startsWith("DELIVERY").contains(delivery, "webhook.test", "HTTP " + statusCode);

        Result retried = null;
        for (int i = 0; i < 20; i++) { // 409 while an attempt is being made right now
            retried = cli().run("webhooks", "retry", first, delivery);
            if (retried.exit() == ExitCodes.OK) {
                break;
            }
            assertThat(retried.err()).as(retried.toString()).contains("HTTP 409");
            Thread.sleep(200);
        }
        assertThat(retried.exit()).as(retried.toString()).isEqualTo(ExitCodes.OK);
        assertThat(retried.out()).contains("retrying " + delivery + " (pending)");

        Result rotated = cli().run("webhooks", "rotate-secret", first);
        assertThat(rotated.exit()).as(rotated.toString()).isEqualTo(ExitCodes.OK);
        assertThat(rotated.out()).contains("rotated " + first, "previous secret keeps signing until").containsPattern("secret: whsec_\\S+")
                .doesNotContain(firstSecret);
        assertThat(rotated.err()).contains("shown only now");
        JsonNode rotatedJson = cli().run("webhooks", "rotate-secret", first, "-o", "json").json();
        assertThat(rotatedJson.path("secret").asText()).startsWith("whsec_").isNotEqualTo(firstSecret);
        assertThat(rotatedJson.path("previousSecretExpiresAt").asText()).isNotEmpty();

        Result foreign = otherAccount().run("webhooks", "delete", first, "--yes");
        assertThat(foreign.exit()).isEqualTo(ExitCodes.SERVICE);
        assertThat(foreign.err()).contains("HTTP 404");

        Result deleted = cli().run("webhooks", "delete", first, "--yes");
        assertThat(deleted.exit()).as(deleted.toString()).isEqualTo(ExitCodes.OK);
        assertThat(deleted.out()).contains("deleted " + first);
        JsonNode deletedJson = cli().run("webhooks", "delete", second, "--yes", "-o", "json").json();
        assertThat(deletedJson.path("deleted").asText()).isEqualTo(second);
        assertThat(cli().run("webhooks", "list", "-o", "json").json().path("items").findValuesAsText("id")).doesNotContain(first, second);
        Result again = cli().run("webhooks", "delete", first, "--yes");
        assertThat(again.exit()).isEqualTo(ExitCodes.SERVICE);
        assertThat(again.err()).contains("HTTP 404", "40402");
    }

    @Test
    void badArgumentsAreUsageErrorsThatSendNothingAndTheServicesRefusalsAreServiceErrors() {
        Result notUrl = cli().run("webhooks", "add", "not a url");
        assertThat(notUrl.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(notUrl.err()).contains("not a URL");
        Result relative = cli().run("webhooks", "add", "/hooks/x");
        assertThat(relative.exit()).isEqualTo(ExitCodes.USAGE);
        Result event = cli().run("webhooks", "add", "https://hooks.example.com/x", "--events", "asset.active,asset.nope");
        assertThat(event.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(event.err()).contains("asset.nope", "asset.active, asset.failed, asset.deleted");
        Result badId = cli().run("webhooks", "test", "wh_nothex");
        assertThat(badId.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(badId.err()).contains("not a webhook id");
        Result badDelivery = cli().run("webhooks", "retry", "wh_0123456789abcdef01234567", "nope");
        assertThat(badDelivery.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(badDelivery.err()).contains("not a delivery id");
        Result missing = cli().run("webhooks", "retry", "wh_0123456789abcdef01234567");
        assertThat(missing.exit()).isEqualTo(ExitCodes.USAGE);
        Result unknownSub = cli().run("webhooks", "frobnicate");
        assertThat(unknownSub.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli().run("webhooks", "list", "-o", "json").json().path("items").findValuesAsText("url"))
                .noneMatch(u -> u.contains("hooks.example.com"));

        Result metadata = cli().run("webhooks", "add", "https://169.254.169.254/latest");
        assertThat(metadata.exit()).isEqualTo(ExitCodes.SERVICE);
        assertThat(metadata.err()).contains("HTTP 400", "40080");
        Result unknown = cli().run("webhooks", "deliveries", "wh_0123456789abcdef01234567");
        assertThat(unknown.exit()).isEqualTo(ExitCodes.SERVICE);
        assertThat(unknown.err()).contains("HTTP 404");
    }

    @Test
    void helpListsEverySubcommandWithExamples() {
        Result help = cli().run("webhooks", "--help");
        assertThat(help.exit()).isEqualTo(ExitCodes.OK);
        assertThat(help.out()).contains("list", "add", "delete", "test", "deliveries", "retry", "rotate-secret", "Examples:");
        Result add = cli().run("webhooks", "add", "--help");
        assertThat(add.out()).contains("--events", "shows only this once", "assetlib webhooks add https://");
    }
}
