package dev.assetlib.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP origin on 127.0.0.1 written on a raw socket, so a test can send exactly the bytes it
 * means (lying headers, drips, early closes, chunking) for a path. Not a fake of anything: the
 * fetcher speaks real HTTP/1.1 to it over TCP.
 */
public final class RawOrigin implements AutoCloseable {
    /** Writes the whole answer (status line, headers, body) for one request. */
    @FunctionalInterface
    public interface Responder {
        void respond(OutputStream out, int hit) throws IOException, InterruptedException;
    }

    private final ServerSocket server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "raw-origin");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Responder> routes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final Map<String, String> lastRequestHeads = new ConcurrentHashMap<>();

    public RawOrigin() throws IOException {
        this(javax.net.ServerSocketFactory.getDefault());
    }

    /** With an {@code SSLServerSocketFactory}: an HTTPS origin. */
    public RawOrigin(javax.net.ServerSocketFactory sockets) throws IOException {
        server = sockets.createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        pool.execute(this::accept);
    }

    public int port() {
        return server.getLocalPort();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    public RawOrigin route(String path, Responder responder) {
        routes.put(path, responder);
        return this;
    }

    /** A plain answer with Content-Length. */
    public RawOrigin serve(String path, int status, String contentType, byte[] body) {
        return route(path, (out, hit) -> {
            out.write(head(status, "Content-Type: " + contentType + "\r\nContent-Length: " + body.length).getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
        });
    }

    public RawOrigin redirect(String path, int status, String location) {
        return route(path, (out, hit) -> out.write(head(status, "Location: " + location + "\r\nContent-Length: 0")
                .getBytes(StandardCharsets.ISO_8859_1)));
    }

    public int hits(String path) {
        AtomicInteger n = hits.get(path);
        return n == null ? 0 : n.get();
    }

    public String lastRequestHead(String path) {
        return lastRequestHeads.get(path);
    }

    public static String head(int status, String headers) {
        return "HTTP/1.1 " + status + " X\r\n" + (headers.isEmpty() ? "" : headers + "\r\n") + "Connection: close\r\n\r\n";
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                pool.execute(() -> handle(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket s) {
        try (s) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            String requestLine = in.readLine();
            if (requestLine == null) {
                return;
            }
            StringBuilder head = new StringBuilder(requestLine).append('\n');
            for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
                head.append(line).append('\n');
            }
            String path = requestLine.split(" ")[1];
            lastRequestHeads.put(path, head.toString());
            int hit = hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            Responder r = routes.get(path);
            OutputStream out = s.getOutputStream();
            if (r == null) {
                out.write((head(404, "Content-Length: 0")).getBytes(StandardCharsets.ISO_8859_1));
            } else {
                r.respond(out, hit);
            }
            out.flush();
        } catch (IOException | InterruptedException e) {
            // the client went away (a size stop or a time-out): what the test is about
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        pool.shutdownNow();
    }
}
