package dev.assetlib.cli.commands;

import dev.assetlib.cli.CliContext;
import dev.assetlib.cli.Printer;
import dev.assetlib.cli.config.ConfigFile;
import dev.assetlib.cli.config.Connection;
import dev.assetlib.cli.http.ApiClient;
import dev.assetlib.cli.http.AssetApi;
import dev.assetlib.cli.term.Terminal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code assetlib}: the root command and the options every command takes (inherited, so they
 * may come before or after the command's name). Each command is one class, listed here.
 */
@Command(name = "assetlib", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, version = "assetlib 0.1.0",
        usageHelpWidth = 100, sortOptions = false,
        description = {"A command-line client of asset-library: upload media (local files with a progress bar, or URLs), "
                + "wait for their review, and manage, list and check assets; webhooks and usage of your account.", ""},
        subcommands = {UploadCommand.class, WaitCommand.class, StatusCommand.class, GetCommand.class, ListCommand.class,
                HistoryCommand.class, RenameCommand.class, DeleteCommand.class, ResolveCommand.class, ReviewCommand.class,
                WebhooksCommand.class, UsageCommand.class, ConfigureCommand.class, CompletionCommand.class},
        footerHeading = "%nConfiguration:%n",
        footer = {"  --endpoint/--key, else ASSETLIB_ENDPOINT/ASSETLIB_KEY, else the profile file",
                "  $XDG_CONFIG_HOME/assetlib/config (default ~/.config/assetlib/config), written by `assetlib configure`.",
                "  The endpoint defaults to the local stack, " + Connection.DEFAULT_ENDPOINT + ".",
                "",
                "Examples:",
                "  assetlib configure",
                "  assetlib upload ./portrait.jpg --wait",
                "  assetlib upload https://example.com/a.jpg https://example.com/b.png --wait",
                "  assetlib list --status Active --type Image --all",
                "  assetlib get asset-20260330142158-q75m8 --output json",
                "  assetlib usage",
                "  assetlib webhooks add https://hooks.example.com/asset-library",
                "",
                "Exit status: 0 success (uploads/waits: all Active), 1 an asset failed or was refused, 2 usage error,",
                "3 service error (the service refused the request, or could not be reached)."})
public final class AssetlibCommand {
    @Option(names = "--endpoint", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "The service's base URL, e.g. https://<api-id>.execute-api.<region>.amazonaws.com (env ASSETLIB_ENDPOINT).")
    String endpoint;

    @Option(names = "--key", scope = ScopeType.INHERIT, paramLabel = "KEY",
            description = "API key (env ASSETLIB_KEY). Prefer `assetlib configure` or the environment: a key on the "
                    + "command line ends up in shell history and process lists.")
    String key;

    @Option(names = "--profile", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "Profile of the config file to use (env ASSETLIB_PROFILE; default: default).")
    String profile;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "table|json", defaultValue = "table",
            description = "table (for people, the default) or json (one document on stdout, stable fields, for scripts).")
    OutputFormat output;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
            description = "Only the essentials on stdout (ids or asset:// references), no progress, no notes.")
    boolean quiet;

    @Option(names = "--no-color", scope = ScopeType.INHERIT,
            description = "No colours (they are only used on a terminal anyway, and never when NO_COLOR is set).")
    boolean noColor;

    public enum OutputFormat { table, json }

    private final CliContext context;
    private AssetApi api;

    public AssetlibCommand(CliContext context) {
        this.context = context;
    }

    public CliContext context() {
        return context;
    }

    public ConfigFile configFile() {
        return ConfigFile.locate(context.env(), context.home());
    }

    public Printer printer() {
        return new Printer(context.out(), context.err(), output == OutputFormat.json, quiet, terminal().stdoutStyle());
    }

    /** The context's terminal, without colours when --no-color is given. */
    public Terminal terminal() {
        return noColor ? context.terminal().withoutColour() : context.terminal();
    }

    /** True when live output (progress bars, status lines) may be drawn on stderr. */
    public boolean live() {
        return context.terminal().stderrTty() && !quiet;
    }

    public AssetApi api() {
        if (api == null) {
            ConfigFile file = configFile();
            Connection connection = Connection.resolve(endpoint, key, profile, context.env(), file);
            if (file.readableByOthers()) {
                context.err().println("assetlib: warning: " + file.path() + " holds API keys and is readable by others: chmod 600 it");
            }
            api = new AssetApi(new ApiClient(connection.endpoint(), connection.key(), context.http(), context.retries(),
                    context.sleeper(), context.clock(), quiet ? null : context.err()));
        }
        return api;
    }

    String endpointFlag() {
        return endpoint;
    }

    String keyFlag() {
        return key;
    }

    String profileFlag() {
        return profile;
    }
}
