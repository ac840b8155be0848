package dev.assetlib.app.upload;

import dev.assetlib.fetch.FetchAllowList;
import dev.assetlib.fetch.UrlGuard;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * The upload-time part of the SSRF guard: a URL whose host is literally {@code localhost} or a
 * refused address (loopback, private, link-local/metadata, ...) can never be fetched, so it is
 * refused at once (40011), without DNS. Origins of the allow-list (the local stack's own sample
 * origin and {@code --fetch-allow}; empty in AWS) pass, as they do when fetched.
 */
public record PublicUrls(FetchAllowList allowed) {
    public static PublicUrls strict() {
        return new PublicUrls(FetchAllowList.none());
    }

    /** Empty when the URL may be public; else the message of the 40011 answer. Expects a URL MediaUrls accepted. */
    public Optional<String> problem(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.empty(); // MediaUrls reports it
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        if (uri.getHost() != null && allowed.allows(uri.getHost(), port)) {
            return Optional.empty();
        }
        return UrlGuard.literalProblem(uri).map(why -> "url must be publicly reachable: " + why
                + "; send a URL on a public host");
    }
}
