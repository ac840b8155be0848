package dev.assetlib.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assetlib.cli.term.Style;
import java.io.PrintStream;

/** Writes a command's result: one JSON document, or a table/text for people; notes go to stderr. */
public final class Printer {
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final PrintStream out;
    private final PrintStream err;
    private final boolean json;
    private final boolean quiet;
    private final Style style;

    public Printer(PrintStream out, PrintStream err, boolean json, boolean quiet, Style style) {
        this.out = out;
        this.err = err;
        this.json = json;
        this.quiet = quiet;
        this.style = style;
    }

    public boolean json() {
        return json;
    }

    public boolean quiet() {
        return quiet;
    }

    public Style style() {
        return style;
    }

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    public void document(JsonNode doc) {
        try {
            out.println(JSON.writeValueAsString(doc));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }

    public void table(Table table) {
        out.print(table.render());
        out.flush();
    }

    public void line(String text) {
        out.println(text);
        out.flush();
    }

    /** A remark for people on stderr; dropped with --quiet. */
    public void note(String text) {
        if (!quiet) {
            err.println(text);
            err.flush();
        }
    }

    /** A problem on stderr, even with --quiet. */
    public void warn(String text) {
        err.println(text);
        err.flush();
    }
}
