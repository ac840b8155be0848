package dev.assetlib.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.cli.ExitCodes;
import dev.assetlib.cli.Printer;
import dev.assetlib.cli.Table;
import dev.assetlib.cli.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "resolve", description = "Checks a Seedance 2.0 generation request's asset:// references before you send it: "
        + "every problem named with its field, index, code and message.",
        footerHeading = "%nExamples:%n",
        footer = {"  assetlib resolve request.json",
                "  echo '{\"model\":\"seedance_2_0_pro\",\"referenceImages\":[\"asset://asset-20260330142158-q75m8\"]}' | assetlib resolve -",
                "",
                "Exit status: 0 ok, 1 problems found, 2 usage (file missing or not JSON), 3 service error."})
final class ResolveCommand extends BaseCommand {
    @Parameters(paramLabel = "REQUEST.json", description = "The generation request's JSON body, or - for stdin.")
    String request;

    @Override
    public Integer call() throws IOException {
        String text;
        if (request.equals("-")) {
            text = new String(context().in().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } else {
            Path p = Path.of(request);
            if (!Files.isRegularFile(p)) {
                throw new UsageException(request + ": no such file");
            }
            text = Files.readString(p);
        }
        JsonNode body;
        try {
            body = Printer.JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UsageException(request + " is not JSON: " + e.getOriginalMessage());
        }
        if (body == null || !body.isObject()) {
            throw new UsageException(request + " is not a JSON object (a generation request's body)");
        }
        JsonNode data = api().resolve(body);
        Printer printer = printer();
        boolean ok = data.path("ok").asBoolean(false);
        if (printer.json()) {
            printer.document(data);
        } else {
            if (!printer.quiet()) {
                Table refs = new Table("FIELD", "INDEX", "VALUE", "STATUS", "TYPE");
                for (JsonNode r : data.path("references")) {
                    refs.row(Outcome.text(r, "field"), Outcome.text(r, "index"), Outcome.text(r, "value"),
                            r.path("reviewed").asBoolean() ? printer.style().status(Outcome.text(r, "status")) : "not reviewed (plain URL)",
                            Outcome.text(r, "assetType"));
                }
                if (!refs.isEmpty()) {
                    printer.table(refs);
                }
            }
            if (data.path("problems").size() > 0) {
                Table problems = new Table("FIELD", "INDEX", "CODE", "MESSAGE");
                for (JsonNode p : data.path("problems")) {
                    problems.row(Outcome.text(p, "field"), Outcome.text(p, "index"), Outcome.text(p, "code"), Outcome.text(p, "message"));
                }
                printer.line(ok ? "" : "\nproblems:");
                printer.table(problems);
            }
            printer.line(ok ? "ok: every reference can be used" : "not ok: " + data.path("problems").size() + " problem(s)");
        }
        return ok ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
