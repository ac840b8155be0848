package dev.assetlib.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.cli.ExitCodes;
import dev.assetlib.cli.Printer;
import dev.assetlib.cli.Table;
import java.util.List;

/** How upload, wait and status print their assets, and the exit status they imply. */
final class Outcomes {
    private Outcomes() {
    }

    /** 0 when every asset is Active (or, unless {@code requireActive}, still under review), 1 otherwise. */
    static int exitCode(List<Outcome> outcomes, boolean requireActive) {
        for (Outcome o : outcomes) {
            boolean bad = requireActive ? !o.active() : o.terminal() && !o.active();
            if (bad) {
                return ExitCodes.FAILED;
            }
        }
        return ExitCodes.OK;
    }

    static void print(Printer printer, List<Outcome> outcomes, boolean withSource) {
        if (printer.json()) {
            ObjectNode doc = Printer.object();
            ArrayNode assets = doc.putArray("assets");
            outcomes.forEach(o -> assets.add(o.toJson()));
            printer.document(doc);
            return;
        }
        if (printer.quiet()) {
            // stdout: one line per asset for scripts (its reference when Active, else its id); reasons on stderr
            for (Outcome o : outcomes) {
                if (o.active()) {
                    printer.line(o.reference());
                } else if (o.terminal()) {
                    printer.warn((o.assetId() != null ? o.assetId() : o.source()) + " " + o.status() + ": " + o.result());
                } else {
                    printer.line(o.assetId());
                }
            }
            return;
        }
        Table table = withSource ? new Table("SOURCE", "ASSET", "TYPE", "STATUS", "REFERENCE / REASON")
                : new Table("ASSET", "TYPE", "STATUS", "REFERENCE / REASON");
        for (Outcome o : outcomes) {
            String status = printer.style().status(o.status());
            if (withSource) {
                table.row(o.source(), o.assetId(), o.assetType(), status, o.result());
            } else {
                table.row(o.assetId(), o.assetType(), status, o.result());
            }
        }
        printer.table(table);
    }
}
