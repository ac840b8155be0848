package dev.assetlib.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.cli.ExitCodes;
import dev.assetlib.cli.Printer;
import dev.assetlib.cli.http.ServiceException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "delete", description = {"Deletes assets, permanently for you: afterwards they answer 404 and generation requests "
        + "referencing them are refused. An asset still under review ends Failed with DELETED.",
        "On a terminal it asks first, unless --yes."},
        footerHeading = "%nExamples:%n",
        footer = {"  assetlib delete asset-20260330142158-q75m8",
                "  assetlib list --status Failed --all -q | xargs assetlib delete --yes",
                "",
                "Exit status: 0 all deleted, 1 any unknown (already deleted or not yours), 2 usage, 3 service error."})
final class DeleteCommand extends BaseCommand {
    @Parameters(arity = "1..*", paramLabel = "ID", description = "Asset ids.")
    List<String> ids;

    @Option(names = {"-y", "--yes"}, description = "Do not ask.")
    boolean yes;

    @Override
    public Integer call() throws Exception {
        var prompter = context().prompter();
        if (!yes && prompter.interactive()) {
            String answer = prompter.line("Delete " + ids.size() + (ids.size() == 1 ? " asset" : " assets") + " permanently? [y/N] ");
            if (answer == null || !answer.strip().toLowerCase(java.util.Locale.ROOT).startsWith("y")) {
                printer().warn("nothing deleted");
                return ExitCodes.FAILED;
            }
        }
        List<String> deleted = new ArrayList<>();
        List<String[]> notFound = new ArrayList<>();
        for (String id : ids) {
            try {
                api().delete(id);
                deleted.add(id);
            } catch (ServiceException e) {
                if (e.httpStatus() != 404) {
                    throw e;
                }
                notFound.add(new String[] {id, e.serviceMessage()});
            }
        }
        Printer printer = printer();
        if (printer.json()) {
            ObjectNode doc = Printer.object();
            ArrayNode d = doc.putArray("deleted");
            deleted.forEach(d::add);
            ArrayNode n = doc.putArray("notFound");
            notFound.forEach(x -> n.addObject().put("assetId", x[0]).put("errorMessage", x[1]));
            printer.document(doc);
        } else {
            deleted.forEach(id -> printer.line(printer.quiet() ? id : "deleted " + id));
            notFound.forEach(x -> printer.warn("not found: " + x[0] + " (" + x[1] + ")"));
        }
        return notFound.isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
