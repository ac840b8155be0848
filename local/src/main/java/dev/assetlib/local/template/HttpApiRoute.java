package dev.assetlib.local.template;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code Type: HttpApi} event of a function: its method and path ({@code {name}} matches one
 * segment, {@code {name+}} the rest), the function it invokes and whether the API's authorizer runs.
 */
public record HttpApiRoute(String method, String path, String functionId, String handler, boolean authorized) {
    private static final Pattern PARAM = Pattern.compile("\\{([A-Za-z0-9_.-]+)(\\+)?}");
    /** The path (and route key) of the $default route: any request no other route matches. */
    public static final String DEFAULT = "$default";

    /** The route key API Gateway puts in the event, e.g. {@code GET /assets/{assetId}}. */
    public String routeKey() {
        return path.equals(DEFAULT) ? DEFAULT : method + " " + path;
    }

    /** The handler's class, from {@code Handler: package.Class::method}. */
    public String handlerClass() {
        int colons = handler.indexOf("::");
        return colons < 0 ? handler : handler.substring(0, colons);
    }

    /** The path parameters if this route matches, decoded; empty if it does not. */
    public Optional<Map<String, String>> match(String requestMethod, String rawPath) {
        if (path.equals(DEFAULT)) {
            return Optional.of(Map.of());
        }
        if (!method.equals("ANY") && !method.equalsIgnoreCase(requestMethod)) {
            return Optional.empty();
        }
        List<String> names = new ArrayList<>();
        Matcher m = compile(names).matcher(rawPath);
        if (!m.matches()) {
            return Optional.empty();
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            params.put(names.get(i), URLDecoder.decode(m.group(i + 1).replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        return Optional.of(params);
    }

    /**
     * How specific the route is, for API Gateway's "most specific route wins": fewer greedy and
     * fewer ordinary parameters first, then an exact method before ANY.
     */
    public int generality() {
        if (path.equals(DEFAULT)) {
            return Integer.MAX_VALUE; // chosen only when nothing else matches
        }
        int greedy = 0;
        int params = 0;
        Matcher m = PARAM.matcher(path);
        while (m.find()) {
            if (m.group(2) != null) {
                greedy++;
            } else {
                params++;
            }
        }
        return greedy * 10_000 + params * 10 + (method.equals("ANY") ? 1 : 0);
    }

    private Pattern compile(List<String> names) {
        StringBuilder regex = new StringBuilder();
        Matcher m = PARAM.matcher(path);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(path.substring(last, m.start())));
            regex.append(m.group(2) != null ? "(.+)" : "([^/]+)");
            names.add(m.group(1));
            last = m.end();
        }
        regex.append(Pattern.quote(path.substring(last)));
        return Pattern.compile(regex.toString());
    }
}
