package dev.assetlib.fetch;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The guard against server-side request forgery, for every outbound fetch of a user-given URL.
 * {@link #check} resolves the host once and refuses the URL unless every address is public (or the
 * origin is on the allow-list); the caller then connects to one of the returned addresses and never
 * resolves the name again. {@link #literalProblem} is the cheap upload-time check that needs no DNS.
 */
public final class UrlGuard {
    private static final Pattern DOTTED_QUAD = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    // Hosts that are numbers in any notation the system resolver may accept (2130706433, 0x7f.1, 127.1).
    private static final Pattern NUMERIC_HOST = Pattern.compile("(0x[0-9a-f]*|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]+)){0,3}\\.?");

    private final HostResolver resolver;
    private final FetchAllowList allowList;

    public UrlGuard(HostResolver resolver, FetchAllowList allowList) {
        this.resolver = resolver;
        this.allowList = allowList;
    }

    /** The addresses to connect to, all checked. */
    public record Target(String host, int port, boolean tls, List<InetAddress> addresses) {
    }

    /** Thrown for a URL the guard refuses: {@link #code()} is a stable failure code. */
    public static final class Refused extends Exception {
        private final String code;

        Refused(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    public Target check(URI url) throws Refused {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new Refused(FetchCodes.URL_NOT_ALLOWED, "scheme \"" + url.getScheme() + "\" is not fetched: only http and https");
        }
        if (url.getRawUserInfo() != null) {
            throw new Refused(FetchCodes.URL_NOT_ALLOWED, "URL carries user credentials; they are never sent");
        }
        String host = url.getHost();
        if (host == null || host.isEmpty()) {
            throw new Refused(FetchCodes.URL_NOT_ALLOWED, "URL has no host name");
        }
        String bare = FetchAllowList.stripBrackets(host.toLowerCase(Locale.ROOT));
        boolean tls = scheme.equals("https");
        int port = url.getPort() == -1 ? (tls ? 443 : 80) : url.getPort();
        List<InetAddress> addresses;
        try {
            // an address literal is parsed here, never handed to a resolver
            addresses = isLiteral(bare) ? List.of(InetAddress.getByName(bare)) : resolver.resolve(bare);
        } catch (UnknownHostException e) {
            throw new Refused(FetchCodes.DOWNLOAD_FAILED, "host " + bare + " not found");
        }
        if (addresses == null || addresses.isEmpty()) {
            throw new Refused(FetchCodes.DOWNLOAD_FAILED, "host " + bare + " has no address");
        }
        if (!allowList.allows(bare, port)) {
            for (InetAddress a : addresses) {
                Optional<String> why = AddressPolicy.refusal(a);
                if (why.isPresent()) {
                    String shown = a.getHostAddress();
                    throw new Refused(FetchCodes.URL_NOT_PUBLIC, bare.equals(shown)
                            ? bare + " is " + why.get() + "; the URL must be publicly reachable"
                            : bare + " resolves to " + shown + ", " + why.get() + "; the URL must be publicly reachable");
                }
            }
        }
        return new Target(bare, port, tls, List.copyOf(addresses));
    }

    /**
     * Upload-time check without DNS: a URL whose host is literally a refused address, a number, or
     * {@code localhost} can never be fetched. Empty when the host may be public; a name that resolves
     * to a private address is caught by {@link #check} when it is fetched.
     */
    public static Optional<String> literalProblem(URI url) {
        String host = url.getHost() != null ? url.getHost() : authorityHost(url.getRawAuthority());
        if (host == null || host.isEmpty()) {
            return Optional.empty();
        }
        String lower = host.toLowerCase(Locale.ROOT);
        String h = lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
        if (h.equals("localhost") || h.endsWith(".localhost")) {
            return Optional.of(h + " is this machine");
        }
        try {
            if (h.startsWith("[") && h.endsWith("]")) {
                // an IPv6 literal: parsed without DNS
                return AddressPolicy.refusal(InetAddress.getByName(h.substring(1, h.length() - 1))).map(r -> h + " is " + r);
            }
            if (DOTTED_QUAD.matcher(h).matches()) {
                String[] parts = h.split("\\.");
                byte[] b = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int n = Integer.parseInt(parts[i]);
                    if (n > 255) {
                        return Optional.of(h + " is not a valid IPv4 address");
                    }
                    b[i] = (byte) n;
                }
                String shown = h;
                return AddressPolicy.refusal(InetAddress.getByAddress(b)).map(r -> shown + " is " + r);
            }
        } catch (UnknownHostException e) {
            return Optional.of(h + " is not a valid address");
        }
        if (NUMERIC_HOST.matcher(h).matches()) {
            return Optional.of(h + " is a numeric host name, not a dotted IPv4 address or a public name");
        }
        return Optional.empty();
    }

    private static boolean isLiteral(String bare) {
        return bare.indexOf(':') >= 0 || DOTTED_QUAD.matcher(bare).matches();
    }

    /** java.net.URI leaves the host null for names such as "127.1" (a registry authority): take it from the authority. */
    private static String authorityHost(String authority) {
        if (authority == null) {
            return null;
        }
        String a = authority.substring(authority.lastIndexOf('@') + 1);
        if (a.startsWith("[")) {
            int end = a.indexOf(']');
            return end > 0 ? a.substring(0, end + 1) : a;
        }
        int colon = a.indexOf(':');
        return colon >= 0 ? a.substring(0, colon) : a;
    }
}
