package dev.assetlib.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.cli.ExitCodes;
import dev.assetlib.cli.Printer;
import dev.assetlib.cli.Table;
import dev.assetlib.cli.UsageException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The account's signed completion webhooks (docs/webhooks.md): one subcommand per route. A secret
 * is printed only by the two routes that return it (add, rotate-secret), once, with a note that it
 * is not shown again; nothing else ever prints one (the other routes never return it).
 */
@Command(name = "webhooks", description = {"Signed completion webhooks of your account (uploader keys): register, list, delete, "
        + "test, inspect deliveries, retry one, rotate the signing secret."},
        subcommands = {WebhooksCommand.ListEndpoints.class, WebhooksCommand.Add.class, WebhooksCommand.Delete.class,
                WebhooksCommand.Test.class, WebhooksCommand.Deliveries.class, WebhooksCommand.Retry.class,
                WebhooksCommand.RotateSecret.class},
        footerHeading = "%nExamples:%n",
        footer = {"  assetlib webhooks add https://hooks.example.com/asset-library --events asset.active,asset.failed",
                "  assetlib webhooks list",
                "  assetlib webhooks test wh_5c0f0123456789abcdef0123",
                "  assetlib webhooks deliveries wh_5c0f0123456789abcdef0123",
                "",
                "Exit status: 0 ok, 2 usage error (nothing sent), 3 service error (HTTP status, code and msg shown)."})
final class WebhooksCommand {
    static final Set<String> EVENTS = Set.of("asset.active", "asset.failed", "asset.deleted");
    private static final Pattern WEBHOOK_ID = Pattern.compile("wh_[0-9a-f]{24}");
    private static final Pattern DELIVERY_ID = Pattern.compile("msg_[0-9]{13}_[0-9a-f]{20}");

    private WebhooksCommand() {
    }

    static String webhookId(String id) {
        if (id == null || !WEBHOOK_ID.matcher(id).matches()) {
            throw new UsageException("\"" + id + "\" is not a webhook id (wh_ followed by 24 hex digits: see assetlib webhooks list)");
        }
        return id;
    }

    static String deliveryId(String id) {
        if (id == null || !DELIVERY_ID.matcher(id).matches()) {
            throw new UsageException("\"" + id + "\" is not a delivery id (msg_<13 digits>_<20 hex digits>: see assetlib webhooks deliveries ID)");
        }
        return id;
    }

    /** An endpoint's row (never a secret: the list route does not return them). */
    static String state(JsonNode w) {
        if (w.path("enabled").asBoolean(true)) {
            return "enabled";
        }
        String reason = Outcome.text(w, "disabledReason");
        return reason == null ? "disabled" : "disabled: " + reason;
    }

    static String events(JsonNode w) {
        List<String> e = new ArrayList<>();
        w.path("events").forEach(v -> e.add(v.asText()));
        return String.join(",", e);
    }

    /** Prints a secret the service returned (add, rotate-secret): once, and says so. */
    static void printSecret(Printer printer, JsonNode data, String what) {
        String secret = data.path("secret").asText();
        if (printer.quiet()) {
            printer.line(data.path("id").asText());
            printer.line(secret);
            return;
        }
        printer.line(what);
        printer.line("secret: " + secret);
        printer.note("This secret is shown only now: store it where your receiver reads it (the service keeps it "
                + "encrypted and never returns it again; `assetlib webhooks rotate-secret ID` makes a new one).");
    }

    @Command(name = "list", description = "Lists your webhook endpoints (their secrets are never shown).",
            footerHeading = "%nExamples:%n", footer = {"  assetlib webhooks list", "  assetlib webhooks list -o json"})
    static final class ListEndpoints extends BaseCommand {
        @Override
        public Integer call() {
            JsonNode data = api().webhooks();
            Printer printer = printer();
            if (printer.json()) {
                printer.document(data);
                return ExitCodes.OK;
            }
            if (printer.quiet()) {
                data.path("items").forEach(w -> printer.line(w.path("id").asText()));
                return ExitCodes.OK;
            }
            Table table = new Table("ID", "STATE", "EVENTS", "CREATED", "URL");
            data.path("items").forEach(w -> table.row(w.path("id").asText(), state(w), events(w), Outcome.text(w, "createdAt"),
                    Outcome.text(w, "url")));
            if (table.isEmpty()) {
                printer.note("no webhooks: assetlib webhooks add URL");
            } else {
                printer.table(table);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "add", description = {"Registers an https endpoint for your assets' completions and prints its signing secret, "
            + "which the service shows only this once.",
            "The URL must be publicly reachable (the service's SSRF guard checks it now and at every delivery)."},
            footerHeading = "%nExamples:%n",
            footer = {"  assetlib webhooks add https://hooks.example.com/asset-library",
                    "  assetlib webhooks add https://hooks.example.com/failures --events asset.failed,asset.deleted",
                    "  assetlib webhooks add https://hooks.example.com/x -o json | jq -r .secret   # for a secret store"})
    static final class Add extends BaseCommand {
        @Parameters(paramLabel = "URL", description = "The endpoint, https://... (at most 2,048 characters).")
        String url;

        @Option(names = "--events", split = ",", paramLabel = "EVENT",
                description = "asset.active, asset.failed and/or asset.deleted, comma-separated (default: all three).")
        List<String> events;

        @Override
        public Integer call() {
            try {
                URI u = new URI(url);
                if (!u.isAbsolute() || u.getHost() == null
                        || !Set.of("https", "http").contains(u.getScheme().toLowerCase(Locale.ROOT))) {
                    throw new UsageException("\"" + url + "\" is not an absolute https URL");
                }
            } catch (URISyntaxException e) {
                throw new UsageException("\"" + url + "\" is not a URL: " + e.getReason());
            }
            if (events != null) {
                for (String e : events) {
                    if (!EVENTS.contains(e)) {
                        throw new UsageException("--events: \"" + e + "\" is not one of asset.active, asset.failed, asset.deleted");
                    }
                }
            }
            JsonNode data = api().addWebhook(url, events);
            Printer printer = printer();
            if (printer.json()) {
                printer.document(data); // the service's answer, secret included: the one time it exists
                return ExitCodes.OK;
            }
            printSecret(printer, data, "added " + data.path("id").asText() + " (" + events(data) + ") -> " + data.path("url").asText());
            return ExitCodes.OK;
        }
    }

    @Command(name = "delete", description = "Deletes an endpoint: no more deliveries; its pending ones end failed. "
            + "On a terminal it asks first, unless --yes.",
            footerHeading = "%nExamples:%n", footer = {"  assetlib webhooks delete wh_5c0f0123456789abcdef0123 --yes"})
    static final class Delete extends BaseCommand {
        @Parameters(paramLabel = "ID", description = "The webhook id (wh_...).")
        String id;

        @Option(names = {"-y", "--yes"}, description = "Do not ask.")
        boolean yes;

        @Override
        public Integer call() throws Exception {
            webhookId(id);
            var prompter = context().prompter();
            if (!yes && prompter.interactive()) {
                String answer = prompter.line("Delete webhook " + id + "? [y/N] ");
                if (answer == null || !answer.strip().toLowerCase(Locale.ROOT).startsWith("y")) {
                    printer().warn("nothing deleted");
                    return ExitCodes.FAILED;
                }
            }
            api().deleteWebhook(id);
            Printer printer = printer();
            if (printer.json()) {
                ObjectNode doc = Printer.object().put("deleted", id);
                printer.document(doc);
            } else {
                printer.line(printer.quiet() ? id : "deleted " + id);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "test", description = "Sends a signed webhook.test event to the endpoint now (whatever its events filter).",
            footerHeading = "%nExamples:%n", footer = {"  assetlib webhooks test wh_5c0f0123456789abcdef0123",
                    "  assetlib webhooks deliveries wh_5c0f0123456789abcdef0123   # its outcome"})
    static final class Test extends BaseCommand {
        @Parameters(paramLabel = "ID", description = "The webhook id (wh_...).")
        String id;

        @Override
        public Integer call() {
            JsonNode data = api().testWebhook(webhookId(id));
            Printer printer = printer();
            if (printer.json()) {
                printer.document(data);
            } else if (printer.quiet()) {
                printer.line(data.path("deliveryId").asText());
            } else {
                printer.line("queued " + data.path("type").asText("webhook.test") + " delivery " + data.path("deliveryId").asText()
                        + " to " + id);
                printer.note("its attempts: assetlib webhooks deliveries " + id);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "deliveries", description = "The endpoint's last 100 deliveries, newest first, with their last attempt "
            + "(-o json: every attempt).",
            footerHeading = "%nExamples:%n", footer = {"  assetlib webhooks deliveries wh_5c0f0123456789abcdef0123",
                    "  assetlib webhooks deliveries wh_5c0f0123456789abcdef0123 -o json"})
    static final class Deliveries extends BaseCommand {
        @Parameters(paramLabel = "ID", description = "The webhook id (wh_...).")
        String id;

        @Override
        public Integer call() {
            JsonNode data = api().webhookDeliveries(webhookId(id));
            Printer printer = printer();
            if (printer.json()) {
                printer.document(data);
                return ExitCodes.OK;
            }
            if (printer.quiet()) {
                data.path("items").forEach(d -> printer.line(d.path("deliveryId").asText()));
                return ExitCodes.OK;
            }
            Table table = new Table("DELIVERY", "TYPE", "STATUS", "ATTEMPTS", "CREATED", "LAST ATTEMPT", "NEXT");
            for (JsonNode d : data.path("items")) {
                JsonNode attempts = d.path("attempts");
                JsonNode last = attempts.size() == 0 ? null : attempts.get(attempts.size() - 1);
                table.row(d.path("deliveryId").asText(), Outcome.text(d, "type"), Outcome.text(d, "status"), attempts.size(),
                        Outcome.text(d, "createdAt"), last == null ? null : lastAttempt(last), Outcome.text(d, "nextAttemptAt"));
            }
            if (table.isEmpty()) {
                printer.note("no deliveries yet for " + id);
            } else {
                printer.table(table);
            }
            return ExitCodes.OK;
        }

        private static String lastAttempt(JsonNode a) {
            String result = a.hasNonNull("statusCode") ? "HTTP " + a.get("statusCode").asText() : "no answer";
            if (a.hasNonNull("error")) {
                result += " (" + a.get("error").asText() + ")";
            }
            if (a.hasNonNull("latencyMs")) {
                result += ", " + a.get("latencyMs").asText() + " ms";
            }
            return result;
        }
    }

    @Command(name = "retry", description = "Sends a delivery again now (one attempt; if it fails and the schedule is spent, "
            + "it is failed again).",
            footerHeading = "%nExamples:%n",
            footer = {"  assetlib webhooks retry wh_5c0f0123456789abcdef0123 msg_1774880551000_3f0c9a2e6c1b4b8e9d8a"})
    static final class Retry extends BaseCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The webhook id (wh_...).")
        String id;

        @Parameters(index = "1", paramLabel = "DELIVERY", description = "The delivery id (msg_..., from assetlib webhooks deliveries).")
        String delivery;

        @Override
        public Integer call() {
            webhookId(id);
            JsonNode data = api().retryWebhookDelivery(id, deliveryId(delivery));
            Printer printer = printer();
            if (printer.json()) {
                printer.document(data);
            } else if (printer.quiet()) {
                printer.line(data.path("deliveryId").asText());
            } else {
                printer.line("retrying " + data.path("deliveryId").asText() + " (" + data.path("status").asText() + ")");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "rotate-secret", description = {"Makes a new signing secret and prints it, once. The old secret keeps "
            + "signing beside it for 24 h (deliveries carry both signatures), so receivers can switch without a gap."},
            footerHeading = "%nExamples:%n", footer = {"  assetlib webhooks rotate-secret wh_5c0f0123456789abcdef0123"})
    static final class RotateSecret extends BaseCommand {
        @Parameters(paramLabel = "ID", description = "The webhook id (wh_...).")
        String id;

        @Override
        public Integer call() {
            JsonNode data = api().rotateWebhookSecret(webhookId(id));
            Printer printer = printer();
            if (printer.json()) {
                printer.document(data);
                return ExitCodes.OK;
            }
            printSecret(printer, data, "rotated " + data.path("id").asText(id) + "; the previous secret keeps signing until "
                    + data.path("previousSecretExpiresAt").asText());
            return ExitCodes.OK;
        }
    }
}
