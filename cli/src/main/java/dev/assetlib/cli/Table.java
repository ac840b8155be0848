package dev.assetlib.cli;

import java.util.ArrayList;
import java.util.List;

/** A plain text table: columns padded to their widest cell (colour codes not counted), the last one not padded. */
public final class Table {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... headers) {
        this.headers = List.of(headers);
    }

    public Table row(Object... cells) {
        List<String> row = new ArrayList<>();
        for (Object c : cells) {
            row.add(c == null ? "-" : c.toString());
        }
        rows.add(row);
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public String render() {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = visible(headers.get(i));
            for (List<String> r : rows) {
                widths[i] = Math.max(widths[i], visible(r.get(i)));
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, headers, widths);
        for (List<String> r : rows) {
            line(out, r, widths);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] widths) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            l.append(c);
            if (i < cells.size() - 1) {
                l.append(" ".repeat(widths[i] - visible(c) + 2));
            }
        }
        out.append(l.toString().stripTrailing()).append('\n');
    }

    static int visible(String s) {
        return s.replaceAll("\u001b\\[[0-9;]*m", "").length();
    }
}
