package dev.assetlib.cli.commands;

import dev.assetlib.cli.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rename", description = "Renames an asset (the change is in its history).",
        footerHeading = "%nExamples:%n",
        footer = {"  assetlib rename asset-20260330142158-q75m8 'Portrait, final cut'",
                "  assetlib rename asset-20260330142158-q75m8 --clear"})
final class RenameCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The asset id.")
    String id;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "The new name (at most 256 characters).")
    String name;

    @Option(names = "--clear", description = "Remove the name instead.")
    boolean clear;

    @Override
    public Integer call() {
        if (clear == (name != null)) {
            throw new UsageException("give either a NAME or --clear");
        }
        AssetDetails.print(printer(), api().rename(id, clear ? null : name));
        return 0;
    }
}
