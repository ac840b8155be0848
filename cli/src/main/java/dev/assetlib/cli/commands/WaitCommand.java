package dev.assetlib.cli.commands;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "wait", description = "Waits until every asset is Active or Failed (a live status line per asset on a terminal), "
        + "then prints the asset:// references or the reasons.",
        footerHeading = "%nExamples:%n",
        footer = {"  assetlib wait asset-20260330142158-q75m8 asset-20260330142159-k3x9a",
                "  assetlib wait asset-20260330142158-q75m8 --timeout 10m --output json",
                "",
                "Exit status: 0 all Active, 1 any Failed, unknown or still under review at --timeout, 2 usage, 3 service error."})
final class WaitCommand extends BaseCommand {
    @Parameters(arity = "1..*", paramLabel = "ID", description = "Asset ids.")
    List<String> ids;

    @Mixin
    WaitOptions waiting;

    @Override
    public Integer call() throws Exception {
        List<Outcome> start = ids.stream().map(id -> new Outcome(null, id, null, "Processing", null, null)).toList();
        List<Outcome> result = waiting.waiter(this).await(start);
        Outcomes.print(printer(), result, false);
        return Outcomes.exitCode(result, true);
    }
}
