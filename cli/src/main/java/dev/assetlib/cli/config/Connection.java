package dev.assetlib.cli.config;

import dev.assetlib.cli.UsageException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;

/**
 * Where to send requests and with which key, resolved in one place: the command line
 * ({@code --endpoint}, {@code --key}), then the environment ({@code ASSETLIB_ENDPOINT},
 * {@code ASSETLIB_KEY}), then the profile file ({@code --profile} / {@code ASSETLIB_PROFILE},
 * default {@code default}). The endpoint defaults to the local stack.
 */
public record Connection(URI endpoint, String key) {
    public static final String DEFAULT_ENDPOINT = "http://127.0.0.1:3000";

    public static Connection resolve(String endpointFlag, String keyFlag, String profileFlag, Map<String, String> env, ConfigFile file) {
        String profileName = first(profileFlag, env.get("ASSETLIB_PROFILE"), "default");
        Map<String, String> profile = file.profile(profileName);
        String endpoint = first(endpointFlag, env.get("ASSETLIB_ENDPOINT"), profile.get("endpoint"), DEFAULT_ENDPOINT);
        String key = first(keyFlag, env.get("ASSETLIB_KEY"), profile.get("key"), null);
        if (key == null) {
            throw new UsageException("no API key: run `assetlib configure` (it stores one in " + file.path()
                    + "), or set ASSETLIB_KEY" + (profileFlag != null ? " (profile \"" + profileName + "\" has none)" : ""));
        }
        return new Connection(endpoint(endpoint), key);
    }

    /** Scheme, host and port (and a path prefix, if any) before /kyyReactApiServer; that suffix is dropped if given. */
    public static URI endpoint(String text) {
        String t = text.strip();
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        if (t.endsWith("/kyyReactApiServer")) {
            t = t.substring(0, t.length() - "/kyyReactApiServer".length());
        }
        try {
            URI uri = new URI(t);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getUserInfo() == null && uri.getQuery() == null && uri.getFragment() == null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // refused below
        }
        throw new UsageException("endpoint \"" + text + "\" is not an http(s) URL like " + DEFAULT_ENDPOINT
                + " or https://<api-id>.execute-api.<region>.amazonaws.com");
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }
}
