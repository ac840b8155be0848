package dev.assetlib.cli.commands;

import dev.assetlib.cli.CliContext;
import dev.assetlib.cli.Printer;
import dev.assetlib.cli.http.AssetApi;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command: reaches the root for the context and the global options. */
abstract class BaseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    AssetlibCommand root() {
        return (AssetlibCommand) spec.root().userObject();
    }

    CliContext context() {
        return root().context();
    }

    AssetApi api() {
        return root().api();
    }

    Printer printer() {
        return root().printer();
    }
}
