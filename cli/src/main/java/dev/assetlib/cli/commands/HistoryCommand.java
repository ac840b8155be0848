package dev.assetlib.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.cli.Printer;
import dev.assetlib.cli.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "history", description = "Shows every change of an asset in the order it was committed: created, status changes, "
        + "renames, its deletion; each with time, from/to status, reason and actor.",
        footerHeading = "%nExamples:%n",
        footer = {"  assetlib history asset-20260330142158-q75m8",
                "  assetlib history asset-20260330142158-q75m8 -o json | jq '.events[-1]'"})
final class HistoryCommand extends BaseCommand {
    @Parameters(paramLabel = "ID", description = "The asset id.")
    String id;

    @Override
    public Integer call() {
        JsonNode data = api().history(id);
        Printer printer = printer();
        if (printer.json()) {
            printer.document(data);
            return 0;
        }
        Table table = new Table("SEQ", "TIME", "CHANGE", "FROM", "TO", "ACTOR", "REASON");
        for (JsonNode e : data.path("events")) {
            String reason = Outcome.text(e, "reason");
            if (e.hasNonNull("errorCode")) {
                reason = e.get("errorCode").asText() + ": " + reason;
            }
            if (e.hasNonNull("toName") || e.has("fromName")) {
                reason = reason + " (" + Outcome.text(e, "fromName") + " -> " + Outcome.text(e, "toName") + ")";
            }
            table.row(e.path("seq").asText(), Outcome.text(e, "time"), Outcome.text(e, "change"), Outcome.text(e, "from"),
                    printer.style().status(Outcome.text(e, "to")), Outcome.text(e, "actor"), reason);
        }
        printer.table(table);
        return 0;
    }
}
