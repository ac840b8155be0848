package dev.assetlib.domain;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/** The rule every media URL must pass before an asset is created for it. */
public final class MediaUrls {
    public static final int MAX_LENGTH = 2048;

    private MediaUrls() {
    }

    /** Empty when the URL is acceptable, otherwise what is wrong with it and what to send instead. */
    public static Optional<String> problem(String url) {
        if (url == null || url.isBlank()) {
            return Optional.of("url is empty: send the absolute http or https URL of the media");
        }
        String notUnicode = Texts.unicodeProblem("url", url);
        if (notUnicode != null) {
            return Optional.of(notUnicode);
        }
        if (url.length() > MAX_LENGTH) {
            return Optional.of("url is " + url.length() + " characters long: at most " + MAX_LENGTH + " are accepted");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("url is not a valid URL (" + e.getReason() + " at index " + e.getIndex()
                    + "): percent-encode spaces and special characters");
        }
        if (!uri.isAbsolute()) {
            return Optional.of("url must be absolute, starting with https:// or http://");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("url scheme \"" + uri.getScheme() + "\" is not accepted: use an https:// or http:// URL");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("url must not carry user credentials (user:password@): use a URL the service can fetch without them");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return Optional.of("url has no host name: send a URL such as https://example.com/media.jpg");
        }
        return Optional.empty();
    }
}
