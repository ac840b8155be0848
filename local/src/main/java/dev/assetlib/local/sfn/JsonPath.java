package dev.assetlib.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSONPath subset Step Functions paths use: {@code $}, {@code .name}, {@code ['name']},
 * {@code [n]} (negative counts from the end), {@code .*}, {@code [*]}, {@code [a:b]},
 * {@code [i,j]}, {@code ['a','b']} and {@code ..name}. A path starting with {@code $$} reads
 * the context object. Filter ({@code [?(...)]}) and script ({@code [(...)]}) expressions are
 * refused when parsed. A <em>reference path</em> (ResultPath, Choice Variable, *Path fields)
 * may only use names and indexes, so it identifies a single node.
 *
 * <p>A definite path (names and indexes only) yields one node or nothing; an indefinite one
 * always yields an array of its matches, as Step Functions' Jayway JSONPath does.
 */
final class JsonPath {
    private sealed interface Segment permits Name, Index, Wildcard, Slice, Union, Descend {}

    private record Name(String name) implements Segment {}

    private record Index(int index) implements Segment {}

    private record Wildcard() implements Segment {}

    private record Slice(Integer start, Integer end) implements Segment {}

    private record Union(List<Segment> parts) implements Segment {}

    /** Applies the next segment to the node and all its descendants. */
    private record Descend() implements Segment {}

    private final String text;
    private final boolean context;
    private final List<Segment> segments;
    private final boolean definite;

    private JsonPath(String text, boolean context, List<Segment> segments) {
        this.text = text;
        this.context = context;
        this.segments = segments;
        this.definite = segments.stream().allMatch(s -> s instanceof Name || s instanceof Index);
    }

    static JsonPath parse(String text) {
        if (text == null || !text.startsWith("$")) {
            throw new DefinitionException("'" + text + "' is not a JSONPath (it must start with '$')");
        }
        boolean ctx = text.startsWith("$$");
        String rest = text.substring(ctx ? 2 : 1);
        return new JsonPath(text, ctx, new Parser(text, rest).parse());
    }

    static JsonPath parseReference(String text) {
        JsonPath path = parse(text);
        if (!path.definite) {
            throw new DefinitionException("'" + text + "' is not a reference path: only '.name', "
                    + "['name'] and [index] are allowed here, so that it identifies a single node");
        }
        return path;
    }

    /** Like {@link #parse(String)}, naming where the path is in the definition on error. */
    static JsonPath parse(String text, String where) {
        try {
            return parse(text);
        } catch (DefinitionException e) {
            throw new DefinitionException(where + ": " + e.getMessage());
        }
    }

    static JsonPath parseReference(String text, String where) {
        try {
            return parseReference(text);
        } catch (DefinitionException e) {
            throw new DefinitionException(where + ": " + e.getMessage());
        }
    }

    String text() {
        return text;
    }

    boolean isContext() {
        return context;
    }

    boolean isDefinite() {
        return definite;
    }

    /** First name segment, used to validate context-object paths. */
    List<String> leadingNames() {
        List<String> names = new ArrayList<>();
        for (Segment s : segments) {
            if (!(s instanceof Name n)) {
                break;
            }
            names.add(n.name());
        }
        return names;
    }

    /**
     * @return the single matched node (definite path), an array of matches (indefinite path),
     *     or null when a definite path matches nothing.
     */
    JsonNode evaluate(JsonNode input, JsonNode contextObject) {
        JsonNode root = context ? contextObject : input;
        List<JsonNode> current = List.of(root);
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            List<JsonNode> next = new ArrayList<>();
            if (s instanceof Descend) {
                Segment target = segments.get(++i);
                for (JsonNode n : current) {
                    descendAll(n, target, next);
                }
            } else {
                for (JsonNode n : current) {
                    apply(n, s, next);
                }
            }
            current = next;
        }
        if (definite) {
            return current.isEmpty() ? null : current.get(0);
        }
        ArrayNode out = Json.MAPPER.createArrayNode();
        current.forEach(out::add);
        return out;
    }

    private static void descendAll(JsonNode node, Segment target, List<JsonNode> out) {
        apply(node, target, out);
        for (JsonNode child : node) {
            if (child.isContainerNode()) {
                descendAll(child, target, out);
            }
        }
    }

    private static void apply(JsonNode node, Segment s, List<JsonNode> out) {
        if (s instanceof Name n) {
            if (node.isObject() && node.has(n.name())) {
                out.add(node.get(n.name()));
            }
        } else if (s instanceof Index ix) {
            if (node.isArray()) {
                int i = ix.index() < 0 ? node.size() + ix.index() : ix.index();
                if (i >= 0 && i < node.size()) {
                    out.add(node.get(i));
                }
            }
        } else if (s instanceof Wildcard) {
            if (node.isContainerNode()) {
                node.forEach(out::add);
            }
        } else if (s instanceof Slice sl) {
            if (node.isArray()) {
                int size = node.size();
                int from = clampIndex(sl.start() == null ? 0 : sl.start(), size);
                int to = clampIndex(sl.end() == null ? size : sl.end(), size);
                for (int i = from; i < to; i++) {
                    out.add(node.get(i));
                }
            }
        } else if (s instanceof Union u) {
            u.parts().forEach(p -> apply(node, p, out));
        }
    }

    private static int clampIndex(int i, int size) {
        int v = i < 0 ? size + i : i;
        return Math.max(0, Math.min(size, v));
    }

    /**
     * Writes value at this reference path inside a copy of target, creating missing objects on
     * the way, as ResultPath does. Throws States.Runtime when the path crosses a non-object.
     */
    JsonNode put(JsonNode target, JsonNode value) {
        if (segments.isEmpty()) {
            return value;
        }
        JsonNode root = target.deepCopy();
        JsonNode node = root;
        for (int i = 0; i < segments.size(); i++) {
            boolean last = i == segments.size() - 1;
            Segment s = segments.get(i);
            if (s instanceof Name n && node instanceof ObjectNode obj) {
                if (last) {
                    obj.set(n.name(), value);
                } else {
                    JsonNode child = obj.get(n.name());
                    if (child == null || child.isNull()) {
                        child = obj.putObject(n.name());
                    }
                    node = child;
                }
            } else if (s instanceof Index ix && node instanceof ArrayNode arr
                    && (ix.index() < 0 ? arr.size() + ix.index() : ix.index()) < arr.size()
                    && (ix.index() < 0 ? arr.size() + ix.index() : ix.index()) >= 0) {
                int idx = ix.index() < 0 ? arr.size() + ix.index() : ix.index();
                if (last) {
                    arr.set(idx, value);
                } else {
                    node = arr.get(idx);
                }
            } else {
                throw StatesError.runtime("Unable to apply ReplacementPath '" + text + "' to input '"
                        + Json.write(target) + "' (States.ResultPathMatchFailure)");
            }
        }
        return root;
    }

    @Override
    public String toString() {
        return text;
    }

    /** Small recursive-descent parser over the text after '$' or '$$'. */
    private static final class Parser {
        private final String whole;
        private final String s;
        private int pos;

        Parser(String whole, String s) {
            this.whole = whole;
            this.s = s;
        }

        List<Segment> parse() {
            List<Segment> out = new ArrayList<>();
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (s.startsWith("..", pos)) {
                    pos += 2;
                    out.add(new Descend());
                    if (pos < s.length() && s.charAt(pos) == '[') {
                        out.add(bracket());
                    } else {
                        out.add(dotName());
                    }
                } else if (c == '.') {
                    pos++;
                    out.add(dotName());
                } else if (c == '[') {
                    out.add(bracket());
                } else {
                    throw error("unexpected '" + c + "' at position " + (pos + 1));
                }
            }
            return List.copyOf(out);
        }

        private Segment dotName() {
            int start = pos;
            while (pos < s.length() && s.charAt(pos) != '.' && s.charAt(pos) != '[') {
                pos++;
            }
            String name = s.substring(start, pos);
            if (name.isEmpty()) {
                throw error("empty field name");
            }
            if (name.equals("*")) {
                return new Wildcard();
            }
            if (name.chars().anyMatch(ch -> ch == ']' || ch == '(' || ch == ')' || ch == '\''
                    || Character.isWhitespace(ch))) {
                throw error("unsupported character in field name '" + name + "'");
            }
            return new Name(name);
        }

        private Segment bracket() {
            pos++; // '['
            int close = s.indexOf(']', pos);
            if (close < 0) {
                throw error("missing ']'");
            }
            String body = s.substring(pos, close).trim();
            if (body.startsWith("?") || body.startsWith("(")) {
                throw new DefinitionException("JSONPath '" + whole + "' uses a filter or script "
                        + "expression ([?(...)] / [(...)]), which this interpreter does not implement");
            }
            if (body.startsWith("'") || body.startsWith("\"")) {
                pos = quotedNames(body.charAt(0));
                List<Segment> names = lastNames;
                return names.size() == 1 ? names.get(0) : new Union(names);
            }
            pos = close + 1;
            if (body.equals("*")) {
                return new Wildcard();
            }
            try {
                if (body.contains(":")) {
                    String[] p = body.split(":", -1);
                    if (p.length > 2) {
                        throw error("slice steps are not supported");
                    }
                    return new Slice(p[0].isBlank() ? null : Integer.parseInt(p[0].trim()),
                            p[1].isBlank() ? null : Integer.parseInt(p[1].trim()));
                }
                if (body.contains(",")) {
                    List<Segment> parts = new ArrayList<>();
                    for (String p : body.split(",")) {
                        parts.add(new Index(Integer.parseInt(p.trim())));
                    }
                    return new Union(List.copyOf(parts));
                }
                return new Index(Integer.parseInt(body));
            } catch (NumberFormatException e) {
                throw error("'[" + body + "]' is not an index, slice or quoted name");
            }
        }

        private List<Segment> lastNames;

        /** Parses 'a' or 'a','b' starting at pos; returns the position after ']'. */
        private int quotedNames(char quote) {
            List<Segment> names = new ArrayList<>();
            int i = pos;
            while (true) {
                while (i < s.length() && s.charAt(i) == ' ') {
                    i++;
                }
                if (i >= s.length() || (s.charAt(i) != '\'' && s.charAt(i) != '"')) {
                    throw error("expected a quoted name");
                }
                char q = s.charAt(i++);
                StringBuilder name = new StringBuilder();
                while (i < s.length() && s.charAt(i) != q) {
                    if (s.charAt(i) == '\\' && i + 1 < s.length()) {
                        i++;
                    }
                    name.append(s.charAt(i++));
                }
                if (i >= s.length()) {
                    throw error("unterminated quoted name");
                }
                i++;
                names.add(new Name(name.toString()));
                while (i < s.length() && s.charAt(i) == ' ') {
                    i++;
                }
                if (i < s.length() && s.charAt(i) == ',') {
                    i++;
                    continue;
                }
                if (i < s.length() && s.charAt(i) == ']') {
                    lastNames = List.copyOf(names);
                    return i + 1;
                }
                throw error("expected ',' or ']' after quoted name");
            }
        }

        private DefinitionException error(String what) {
            return new DefinitionException("invalid JSONPath '" + whole + "': " + what);
        }
    }
}
