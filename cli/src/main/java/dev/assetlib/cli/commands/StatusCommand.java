package dev.assetlib.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.cli.http.AssetApi;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "status", description = "Shows the status of assets (one batch status call per 100 ids), with the asset:// "
        + "reference of each Active one and the reason of each Failed one.",
        footerHeading = "%nExamples:%n",
        footer = {"  assetlib status asset-20260330142158-q75m8 asset-20260330142159-k3x9a",
                "  assetlib status asset-20260330142158-q75m8 -o json | jq -r '.assets[0].status'",
                "",
                "Exit status: 0 none Failed or unknown, 1 any Failed or unknown (NotFound), 2 usage, 3 service error."})
final class StatusCommand extends BaseCommand {
    @Parameters(arity = "1..*", paramLabel = "ID", description = "Asset ids.")
    List<String> ids;

    @Override
    public Integer call() {
        Map<String, JsonNode> found = new HashMap<>();
        Map<String, String> missing = new HashMap<>();
        for (int i = 0; i < ids.size(); i += AssetApi.STATUS_BATCH) {
            JsonNode data = api().status(ids.subList(i, Math.min(ids.size(), i + AssetApi.STATUS_BATCH)));
            data.path("items").forEach(item -> found.put(item.path("assetId").asText(), item));
            data.path("failedItems").forEach(item -> missing.put(item.path("assetId").asText(), item.path("errorMessage").asText()));
        }
        List<Outcome> result = new ArrayList<>();
        for (String id : ids) {
            Outcome o = new Outcome(null, id, null, null, null, null);
            result.add(found.containsKey(id) ? o.updatedFrom(found.get(id))
                    : o.withStatus(Outcome.NOT_FOUND, null, missing.getOrDefault(id, "asset not found")));
        }
        Outcomes.print(printer(), result, false);
        return Outcomes.exitCode(result, false);
    }
}
