package dev.assetlib.cli.commands;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "get", description = "Shows one asset's detail (name, status, type, url, times; for a Failed one its error code "
        + "and message; for an Active one its asset:// reference).",
        footerHeading = "%nExamples:%n",
        footer = {"  assetlib get asset-20260330142158-q75m8",
                "  assetlib get asset-20260330142158-q75m8 --output json"})
final class GetCommand extends BaseCommand {
    @Parameters(paramLabel = "ID", description = "The asset id.")
    String id;

    @Override
    public Integer call() {
        AssetDetails.print(printer(), api().detail(id));
        return 0;
    }
}
