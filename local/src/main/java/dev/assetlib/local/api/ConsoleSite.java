package dev.assetlib.local.api;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The review console's static files (the repository's {@code console/}) at {@code /console/}, with
 * the same strict headers as the CloudFront ResponseHeadersPolicy gives them in AWS. The console
 * and the API share this origin, so the console's calls are same-origin and need no CORS.
 * Files are read on every request (an edit shows on reload); only known file types are served,
 * never a directory listing, never a path outside the folder.
 */
public final class ConsoleSite {
    /** The template's bucket for the console's files in AWS: locally served from console/ instead. */
    public static final String BUCKET_ID = "ConsoleBucket";
    /** The template parameter naming extra origins previews may come from (space-separated). */
    public static final String MEDIA_ORIGINS_PARAMETER = "ConsoleMediaOrigins";
    public static final String PREFIX = "/console";

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "json", "application/json; charset=utf-8");
    private static final Pattern SAFE_PATH = Pattern.compile("(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*/?");
    private static final Pattern ORIGIN = Pattern.compile("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?|https://\\*\\.[A-Za-z0-9.-]+");

    private final Path root;
    private final String contentSecurityPolicy;

    /**
     * @param root         the console/ folder
     * @param mediaOrigins origins the previews may load from (the stored copies' presigned URLs, and
     *                     whatever the operator allows for the client URLs they fall back to)
     */
    public ConsoleSite(Path root, Collection<String> mediaOrigins) {
        this.root = root.toAbsolutePath().normalize();
        this.contentSecurityPolicy = contentSecurityPolicy(mediaOrigins);
    }

    /** The console's policy: everything from this origin only, media also from the preview origins. */
    public static String contentSecurityPolicy(Collection<String> mediaOrigins) {
        Set<String> media = new LinkedHashSet<>();
        media.add("'self'");
        for (String origin : mediaOrigins) {
            for (String o : origin.trim().split("\\s+")) {
                if (o.isEmpty()) {
                    continue;
                }
                if (!ORIGIN.matcher(o).matches()) {
                    throw new IllegalArgumentException(MEDIA_ORIGINS_PARAMETER + ": \"" + o + "\" is not an origin "
                            + "(scheme://host[:port], e.g. https://media.example.com)");
                }
                media.add(o);
            }
        }
        String sources = String.join(" ", media);
        return "default-src 'self'; script-src 'self'; style-src 'self'; img-src " + sources + "; media-src " + sources
                + "; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    public String contentSecurityPolicy() {
        return contentSecurityPolicy;
    }

    /** True if the request path is the console's, false if it belongs to the API. */
    public static boolean handles(String rawPath) {
        return rawPath.equals(PREFIX) || rawPath.startsWith(PREFIX + "/");
    }

    public void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            URI uri = exchange.getRequestURI();
            String rest = uri.getRawPath().substring(PREFIX.length());
            var headers = exchange.getResponseHeaders();
            headers.set("Content-Security-Policy", contentSecurityPolicy);
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("Referrer-Policy", "no-referrer");
            headers.set("X-Frame-Options", "DENY");
            headers.set("Cache-Control", "no-cache");
            if (!method.equals("GET") && !method.equals("HEAD")) {
                headers.set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n".getBytes());
                return;
            }
            if (rest.isEmpty()) {
                headers.set("Location", PREFIX + "/");
                send(exchange, 308, "text/plain; charset=utf-8", new byte[0]);
                return;
            }
            if (rest.endsWith("/")) {
                rest = rest + "index.html";
            }
            String type = TYPES.get(extension(rest));
            Path file = root.resolve(rest.substring(1)).normalize();
            if (!SAFE_PATH.matcher(rest).matches() || type == null || !file.startsWith(root) || !Files.isRegularFile(file)) {
                send(exchange, 404, "text/plain; charset=utf-8", "not found\n".getBytes());
                return;
            }
            byte[] body;
            try {
                body = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                send(exchange, 404, "text/plain; charset=utf-8", "not found\n".getBytes());
                return;
            }
            send(exchange, 200, type, body);
        }
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean noBody = body.length == 0 || exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static String extension(String path) {
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        return dot > slash ? path.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
    }
}
