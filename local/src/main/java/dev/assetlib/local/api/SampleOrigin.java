package dev.assetlib.local.api;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.Executors;

/**
 * One sample-media origin for the whole JVM ({@link SampleMedia} at {@code /samples/} on a free
 * port of 127.0.0.1), for programs and tests that start several stacks and need media URLs before
 * any stack runs. Every stack started in this JVM allow-lists it (besides its own API origin,
 * which serves the same samples), so URLs on it are fetched by any stack's media step.
 */
public final class SampleOrigin {
    private static HttpServer server;

    private SampleOrigin() {
    }

    /** The base URL of the JVM's sample origin, e.g. {@code http://127.0.0.1:40123/samples/}; started on first use. */
    public static synchronized String base() {
        if (server == null) {
            try {
                HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
                SampleMedia samples = new SampleMedia();
                s.createContext(SampleMedia.PATH, samples::serve);
                s.setExecutor(Executors.newFixedThreadPool(8, r -> {
                    Thread t = new Thread(r, "sample-origin");
                    t.setDaemon(true);
                    return t;
                }));
                s.start();
                server = s;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return "http://127.0.0.1:" + server.getAddress().getPort() + SampleMedia.PATH;
    }

    /** HOST:PORT of the JVM's sample origin if it was started. */
    public static synchronized Optional<String> startedOrigin() {
        return server == null ? Optional.empty() : Optional.of("127.0.0.1:" + server.getAddress().getPort());
    }
}
