package dev.assetlib.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.cli.ExitCodes;
import dev.assetlib.cli.Printer;
import dev.assetlib.cli.Table;
import dev.assetlib.cli.term.Units;
import picocli.CommandLine.Command;

/** The account's plan and what it uses now ({@code GET .../kyyVideo2/usage}, docs/quotas.md). */
@Command(name = "usage", description = {"Shows your account's limits (rate limits per second and quotas) and what it uses now: "
        + "assets in review, stored assets, stored bytes, uploads today (UTC)."},
        footerHeading = "%nExamples:%n",
        footer = {"  assetlib usage",
                "  assetlib usage -o json | jq '.usage.inReview'",
                "",
                "An upload over a quota is refused whole with HTTP 403 (code 40302); over a rate, 429 (retried by assetlib).",
                "Exit status: 0 ok, 2 usage error, 3 service error."})
final class UsageCommand extends BaseCommand {
    /** Quota rows: the usage field, the limit field, and whether the values are bytes. */
    private static final String[][] QUOTAS = {
            {"inReview", "inReview", "assets submitted or Processing at once"},
            {"storedAssets", "storedAssets", "assets kept (not deleted, not Failed)"},
            {"storedBytes", "storedBytes", "bytes of stored media"},
            {"uploadsToday", "uploadsPerDay", "assets created this UTC day"}};
    private static final String[][] RATES = {
            {"uploadsPerSecond", "uploads and upload URLs"},
            {"readsPerSecond", "detail, status, list, history, resolve, usage"},
            {"managementPerSecond", "rename and delete"},
            {"reviewPerSecond", "the review queue and its decisions"}};

    @Override
    public Integer call() {
        JsonNode data = api().usage();
        Printer printer = printer();
        if (printer.json()) {
            printer.document(data);
            return ExitCodes.OK;
        }
        JsonNode limits = data.path("limits");
        JsonNode usage = data.path("usage");
        if (printer.quiet()) {
            for (String[] q : QUOTAS) {
                printer.line(q[1] + " " + usage.path(q[0]).asLong() + " " + limits.path(q[1]).asLong());
            }
            return ExitCodes.OK;
        }
        printer.line("account " + data.path("accountId").asText() + ", UTC day " + data.path("day").asText() + ", limits "
                + (data.path("enforced").asBoolean() ? "enforced" : "NOT enforced (this deployment runs without account limits)"));
        printer.line("");
        Table quotas = new Table("QUOTA", "USED", "LIMIT", "LEFT", "WHAT");
        for (String[] q : QUOTAS) {
            long used = usage.path(q[0]).asLong();
            long limit = limits.path(q[1]).asLong();
            boolean bytes = q[0].equals("storedBytes");
            quotas.row(q[1], bytes ? withBytes(used) : used, bytes ? withBytes(limit) : limit,
                    bytes ? withBytes(Math.max(0, limit - used)) : Math.max(0, limit - used), q[2]);
        }
        printer.table(quotas);
        printer.line("");
        Table rates = new Table("RATE LIMIT", "PER SECOND", "WHAT");
        for (String[] r : RATES) {
            rates.row(r[0], limits.path(r[0]).asLong(), r[1]);
        }
        printer.table(rates);
        return ExitCodes.OK;
    }

    private static String withBytes(long n) {
        return n < 1024 ? Long.toString(n) : n + " (" + Units.bytes(n) + ")";
    }
}
