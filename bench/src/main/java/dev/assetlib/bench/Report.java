package dev.assetlib.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark's result: the same figures as plain-text tables (for people) and as JSON (for
 * bench/results/), each target with a boolean {@code met} beside it.
 */
final class Report {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    final ObjectNode json = MAPPER.createObjectNode();
    private final List<Table> tables = new ArrayList<>();
    private final Table targets;
    private final ArrayNode targetsJson;

    Report() {
        targets = new Table("Targets", "target", "value", "limit", "met");
        targetsJson = MAPPER.createArrayNode();
    }

    Table table(String title, String... columns) {
        Table t = new Table(title, columns);
        tables.add(t);
        return t;
    }

    /** A target: value compared with limit ("<=" or ">="); recorded in the Targets table and JSON. */
    boolean target(String name, double value, String comparison, double limit, String unit) {
        boolean met = met(value, comparison, limit);
        targets.row(name, num(value) + unit, comparison + " " + num(limit) + unit, met ? "yes" : "NO (missed)");
        ObjectNode t = targetsJson.addObject();
        t.put("target", name).put("value", value).put("comparison", comparison).put("limit", limit).put("unit", unit.trim()).put("met", met);
        return met;
    }

    static boolean met(double value, String comparison, double limit) {
        return switch (comparison) {
            case "<=" -> value <= limit;
            case ">=" -> value >= limit;
            default -> throw new IllegalArgumentException("comparison " + comparison);
        };
    }

    String render() {
        StringBuilder out = new StringBuilder();
        for (Table t : tables) {
            out.append(t.render()).append('\n');
        }
        out.append(targets.render());
        return out.toString();
    }

    ObjectNode finish() {
        json.set("targets", targetsJson);
        boolean all = true;
        for (var t : targetsJson) {
            all &= t.path("met").asBoolean();
        }
        json.put("allTargetsMet", all);
        return json;
    }

    void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, MAPPER.writeValueAsString(finish()) + "\n");
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        String f = a >= 100 || v == Math.rint(v) ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, f, v);
    }

    static final class Table {
        private final String title;
        private final String[] columns;
        private final List<String[]> rows = new ArrayList<>();

        Table(String title, String... columns) {
            this.title = title;
            this.columns = columns;
        }

        Table row(Object... cells) {
            if (cells.length != columns.length) {
                throw new IllegalArgumentException(title + ": " + cells.length + " cells for " + columns.length + " columns");
            }
            String[] text = new String[cells.length];
            for (int i = 0; i < cells.length; i++) {
                text[i] = cells[i] instanceof Double d ? num(d) : String.valueOf(cells[i]);
            }
            rows.add(text);
            return this;
        }

        String render() {
            int[] width = new int[columns.length];
            for (int i = 0; i < columns.length; i++) {
                width[i] = columns[i].length();
                for (String[] r : rows) {
                    width[i] = Math.max(width[i], r[i].length());
                }
            }
            StringBuilder out = new StringBuilder("## ").append(title).append('\n');
            line(out, columns, width);
            StringBuilder rule = new StringBuilder("|");
            for (int w : width) {
                rule.append("-".repeat(w + 2)).append('|');
            }
            out.append(rule).append('\n');
            for (String[] r : rows) {
                line(out, r, width);
            }
            return out.toString();
        }

        private static void line(StringBuilder out, String[] cells, int[] width) {
            out.append('|');
            for (int i = 0; i < cells.length; i++) {
                out.append(' ').append(cells[i]).append(" ".repeat(width[i] - cells[i].length())).append(" |");
            }
            out.append('\n');
        }
    }
}
