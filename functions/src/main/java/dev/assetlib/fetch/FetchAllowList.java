package dev.assetlib.fetch;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Origins (HOST:PORT, exactly as written in the URL) that may be fetched although their addresses
 * are not public: the local stack's own 127.0.0.1 origins in tests and demos. Empty by default and
 * never set in AWS; from {@code --fetch-allow HOST:PORT} (repeatable) or {@code ASSETLIB_FETCH_ALLOW}
 * (comma-separated).
 */
public final class FetchAllowList {
    public static final String ENV = "ASSETLIB_FETCH_ALLOW";
    private static final FetchAllowList NONE = new FetchAllowList(Set.of());
    private final Set<String> origins;

    private FetchAllowList(Set<String> origins) {
        this.origins = Set.copyOf(origins);
    }

    public static FetchAllowList none() {
        return NONE;
    }

    /** Each entry HOST:PORT ({@code [::1]:8080} for IPv6); a malformed entry fails at once. */
    public static FetchAllowList of(Iterable<String> entries) {
        Set<String> set = new LinkedHashSet<>();
        for (String raw : entries) {
            String e = raw.trim().toLowerCase(Locale.ROOT);
            if (e.isEmpty()) {
                continue;
            }
            int colon = e.lastIndexOf(':');
            if (colon <= 0 || colon == e.length() - 1) {
                throw new IllegalArgumentException("fetch allow-list entry \"" + raw + "\" is not HOST:PORT");
            }
            int port;
            try {
                port = Integer.parseInt(e.substring(colon + 1));
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("fetch allow-list entry \"" + raw + "\" has no numeric port");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("fetch allow-list entry \"" + raw + "\" has port out of range");
            }
            set.add(stripBrackets(e.substring(0, colon)) + ":" + port);
        }
        return set.isEmpty() ? NONE : new FetchAllowList(set);
    }

    /** From the comma-separated value of {@link #ENV}; null or blank is none. */
    public static FetchAllowList parse(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return NONE;
        }
        return of(java.util.Arrays.asList(commaSeparated.split(",")));
    }

    public boolean allows(String host, int port) {
        return !origins.isEmpty() && origins.contains(stripBrackets(host.toLowerCase(Locale.ROOT)) + ":" + port);
    }

    public boolean isEmpty() {
        return origins.isEmpty();
    }

    public Set<String> origins() {
        return origins;
    }

    static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
