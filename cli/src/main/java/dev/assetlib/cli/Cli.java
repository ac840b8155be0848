package dev.assetlib.cli;

import dev.assetlib.cli.commands.AssetlibCommand;
import dev.assetlib.cli.http.ServiceException;
import dev.assetlib.cli.http.UnreachableException;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Builds the command line over a context and runs it, mapping every failure to its exit status. */
public final class Cli {
    private Cli() {
    }

    public static CommandLine commandLine(CliContext context) {
        CommandLine cli = new CommandLine(new AssetlibCommand(context));
        cli.setOut(new PrintWriter(context.out(), true));
        cli.setErr(new PrintWriter(context.err(), true));
        cli.setCaseInsensitiveEnumValuesAllowed(false);
        cli.setUsageHelpWidth(100);
        // A usage error: the message and where to read more, not the whole help page.
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine cmd = e.getCommandLine();
            PrintWriter err = cmd.getErr();
            err.println("assetlib: " + e.getMessage());
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
                err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
            }
            return ExitCodes.USAGE;
        });
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            if (e instanceof UsageException) {
                err.println("assetlib: " + e.getMessage());
                err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
                return ExitCodes.USAGE;
            }
            if (e instanceof ServiceException || e instanceof UnreachableException) {
                err.println("assetlib: " + e.getMessage());
                return ExitCodes.SERVICE;
            }
            if (e instanceof InterruptedException) {
                err.println("assetlib: interrupted");
                return ExitCodes.SERVICE;
            }
            err.println("assetlib: " + e);
            return ExitCodes.SERVICE;
        });
        return cli;
    }

    public static int run(CliContext context, String... args) {
        return commandLine(context).execute(args);
    }
}
