package dev.assetlib.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.cli.Printer;
import dev.assetlib.cli.Table;
import dev.assetlib.cli.UsageException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The human reviewer's routes; they need a key with the reviewer role (e.g. a profile of its own). */
@Command(name = "review", description = {"For reviewers (a key with the reviewer role; uploader keys get 403): list what awaits a "
        + "decision, approve, reject. The decision takes effect at the review's next check."},
        subcommands = {ReviewCommand.Pending.class, ReviewCommand.Approve.class, ReviewCommand.Reject.class},
        footerHeading = "%nExamples:%n",
        footer = {"  assetlib --profile reviewer review pending --all",
                "  assetlib --profile reviewer review approve asset-20260330142158-q75m8",
                "  assetlib --profile reviewer review reject asset-20260330142158-q75m8 --reason 'real-person face without a release'"})
final class ReviewCommand {

    @Command(name = "pending", description = "Lists assets awaiting a human decision, oldest upload first.",
            footerHeading = "%nExamples:%n", footer = {"  assetlib review pending", "  assetlib review pending --all -o json"})
    static final class Pending extends BaseCommand {
        @Option(names = "--all", description = "Follow nextToken through every page.")
        boolean all;

        @Option(names = "--limit", paramLabel = "N", description = "Items per page, 1 to 100 (the service's default: 20).")
        Integer limit;

        @Option(names = "--next-token", paramLabel = "TOKEN", description = "Continue from a previous page's nextToken.")
        String nextToken;

        @Override
        public Integer call() {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("limit", limit == null ? null : limit.toString());
            q.put("nextToken", nextToken);
            ObjectNode result = Pages.fetch(q, all, query -> api().reviewPending(query));
            Printer printer = printer();
            if (printer.json()) {
                printer.document(result);
                return 0;
            }
            if (printer.quiet()) {
                result.path("items").forEach(i -> printer.line(i.path("assetId").asText()));
                return 0;
            }
            Table table = new Table("ASSET", "TYPE", "AWAITING SINCE", "NAME", "URL");
            for (JsonNode i : result.path("items")) {
                table.row(i.path("assetId").asText(), Outcome.text(i, "assetType"), Outcome.text(i, "awaitingSince"),
                        Outcome.text(i, "name"), Outcome.text(i, "url"));
            }
            printer.table(table);
            if (result.hasNonNull("nextToken")) {
                printer.note("more: assetlib review pending --all, or --next-token " + result.get("nextToken").asText());
            }
            return 0;
        }
    }

    abstract static class Decide extends BaseCommand {
        @Parameters(paramLabel = "ID", description = "The asset id.")
        String id;

        int decide(String decision, String reason) {
            JsonNode data = api().decide(id, decision, reason);
            Printer printer = printer();
            if (printer.json()) {
                printer.document(data);
            } else if (printer.quiet()) {
                printer.line(id);
            } else {
                printer.line(decision + "d " + id + " (it becomes " + (decision.equals("approve") ? "Active" : "Failed")
                        + " at the review's next check)");
            }
            return 0;
        }
    }

    @Command(name = "approve", description = "Approves an asset: it becomes Active at the review's next check.",
            footerHeading = "%nExamples:%n", footer = {"  assetlib review approve asset-20260330142158-q75m8"})
    static final class Approve extends Decide {
        @Option(names = "--reason", paramLabel = "TEXT", description = "Optional note (at most 1,000 characters).")
        String reason;

        @Override
        public Integer call() {
            return decide("approve", reason);
        }
    }

    @Command(name = "reject", description = "Rejects an asset: it becomes Failed with REVIEW_REJECTED and your reason, which the uploader sees.",
            footerHeading = "%nExamples:%n", footer = {"  assetlib review reject asset-20260330142158-q75m8 --reason 'several faces where one is allowed'"})
    static final class Reject extends Decide {
        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (required, at most 1,000 characters).")
        String reason;

        @Override
        public Integer call() {
            if (reason.isBlank()) {
                throw new UsageException("--reason must say why");
            }
            return decide("reject", reason);
        }
    }
}
