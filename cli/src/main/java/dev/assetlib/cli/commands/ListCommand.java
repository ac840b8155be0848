package dev.assetlib.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.cli.Printer;
import dev.assetlib.cli.Table;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list", sortOptions = false, description = "Lists the account's assets, newest first, as a table; --all follows every page.",
        footerHeading = "%nExamples:%n",
        footer = {"  assetlib list",
                "  assetlib list --status Active --type Image --name Portrait --all",
                "  assetlib list --all -o json | jq -r '.items[].assetId'",
                "  assetlib list --limit 50 --next-token <nextToken>"})
final class ListCommand extends BaseCommand {
    enum Status { submitted, Processing, Active, Failed }

    @Option(names = {"-s", "--status"}, paramLabel = "submitted|Processing|Active|Failed", description = "Only assets with this status.")
    Status status;

    @Option(names = {"-t", "--type"}, paramLabel = "Image|Video|Audio|Document", description = "Only assets of this type.")
    UploadCommand.AssetType type;

    @Option(names = {"-n", "--name"}, paramLabel = "PREFIX", description = "Only names starting with PREFIX (case-sensitive).")
    String namePrefix;

    @Option(names = "--created-after", paramLabel = "INSTANT", description = "Created after this ISO-8601 instant (exclusive).")
    String createdAfter;

    @Option(names = "--created-before", paramLabel = "INSTANT", description = "Created before this ISO-8601 instant (exclusive).")
    String createdBefore;

    @Option(names = "--all", description = "Follow nextToken through every page.")
    boolean all;

    @Option(names = "--limit", paramLabel = "N", description = "Assets per page, 1 to 100 (the service's default: 20).")
    Integer limit;

    @Option(names = "--next-token", paramLabel = "TOKEN", description = "Continue from a previous page's nextToken.")
    String nextToken;

    @Override
    public Integer call() {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("status", status == null ? null : status.name());
        q.put("assetType", type == null ? null : type.name());
        q.put("namePrefix", namePrefix);
        q.put("createdAfter", createdAfter);
        q.put("createdBefore", createdBefore);
        q.put("limit", limit == null ? null : limit.toString());
        q.put("nextToken", nextToken);
        ObjectNode result = Pages.fetch(q, all, query -> api().list(query));
        Printer printer = printer();
        if (printer.json()) {
            for (JsonNode item : result.path("items")) {
                ((ObjectNode) item).setAll(AssetDetails.withReference(item));
            }
            printer.document(result);
            return 0;
        }
        if (printer.quiet()) {
            result.path("items").forEach(i -> printer.line(i.path("assetId").asText()));
            return 0;
        }
        Table table = new Table("ASSET", "TYPE", "STATUS", "CREATED", "NAME");
        for (JsonNode i : result.path("items")) {
            table.row(i.path("assetId").asText(), i.path("assetType").asText(), printer.style().status(i.path("status").asText()),
                    Outcome.text(i, "createTime"), Outcome.text(i, "name"));
        }
        printer.table(table);
        if (result.hasNonNull("nextToken")) {
            printer.note("more: assetlib list --all, or --next-token " + result.get("nextToken").asText());
        }
        return 0;
    }
}
