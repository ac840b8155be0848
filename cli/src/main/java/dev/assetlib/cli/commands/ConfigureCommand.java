package dev.assetlib.cli.commands;

import dev.assetlib.cli.Printer;
import dev.assetlib.cli.UsageException;
import dev.assetlib.cli.config.ConfigFile;
import dev.assetlib.cli.config.Connection;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;

@Command(name = "configure", description = {"Saves an endpoint and API key as a profile in $XDG_CONFIG_HOME/assetlib/config "
        + "(default ~/.config/assetlib/config), written owner-only (0600).",
        "It asks for both; the key is read without echo on a terminal, or as a line from stdin otherwise. "
                + "--endpoint and --profile choose without asking."},
        footerHeading = "%nExamples:%n",
        footer = {"  assetlib configure",
                "  assetlib configure --profile reviewer",
                "  printf '%%s\\n' \"$ASSETLIB_KEY\" | assetlib configure --endpoint https://<api-id>.execute-api.eu-west-1.amazonaws.com"})
final class ConfigureCommand extends BaseCommand {
    @Override
    public Integer call() throws Exception {
        AssetlibCommand root = root();
        var ctx = context();
        ConfigFile file = root.configFile();
        String profile = root.profileFlag() != null ? root.profileFlag() : ctx.env().getOrDefault("ASSETLIB_PROFILE", "default");
        Map<String, String> current = file.profile(profile);
        String endpoint = root.endpointFlag();
        if (endpoint == null) {
            String shown = current.getOrDefault("endpoint", Connection.DEFAULT_ENDPOINT);
            String answer = ctx.prompter().line("Endpoint [" + shown + "]: ");
            endpoint = answer == null || answer.isBlank() ? shown : answer.strip();
        }
        String normalized = Connection.endpoint(endpoint).toString();
        String key = root.keyFlag();
        if (key == null) {
            String hint = current.containsKey("key") ? " [keep the current one]" : "";
            String answer = ctx.prompter().secret("API key" + hint + ": ");
            key = answer == null || answer.isBlank() ? current.get("key") : answer.strip();
        }
        if (key == null || key.isBlank()) {
            throw new UsageException("no API key given: nothing saved");
        }
        Map<String, String> values = new LinkedHashMap<>();
        values.put("endpoint", normalized);
        values.put("key", key);
        file.write(profile, values);
        Printer printer = printer();
        if (printer.json()) {
            printer.document(Printer.object().put("configFile", file.path().toString()).put("profile", profile).put("endpoint", normalized));
        } else if (!printer.quiet()) {
            printer.line("saved profile \"" + profile + "\" (endpoint " + normalized + ") to " + file.path() + " (mode 600)");
        }
        return 0;
    }
}
