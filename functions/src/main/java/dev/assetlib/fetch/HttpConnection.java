package dev.assetlib.fetch;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 exchange (a GET of media, or a webhook's POST) over a socket connected to an address the guard checked: no name is resolved
 * here, so nothing can rebind it. TLS uses the URL's host name for SNI and certificate checks.
 * {@code Accept-Encoding: identity} (the bytes are hashed and probed as sent) and
 * {@code Connection: close} (one request per connection, so the body may end at close).
 */
final class HttpConnection implements Closeable {
    private static final int MAX_LINE = 16 * 1024;
    private static final int MAX_HEADERS = 200;

    private final Socket socket;
    private final InputStream in;
    final int status;
    final Map<String, String> headers;

    private HttpConnection(Socket socket, InputStream in, int status, Map<String, String> headers) {
        this.socket = socket;
        this.in = in;
        this.status = status;
        this.headers = headers;
    }

    /** A total time-out crossed: the whole exchange took longer than allowed. */
    static final class DeadlineExceeded extends SocketTimeoutException {
        DeadlineExceeded() {
            super("total time-out");
        }
    }

    static HttpConnection get(URI url, UrlGuard.Target target, int connectTimeoutMs, long deadlineNanos,
                              SSLSocketFactory tls) throws IOException {
        return exchange("GET", url, target, Map.of(), null, connectTimeoutMs, deadlineNanos, tls);
    }

    /**
     * One request: {@code body} null for none; {@code extraHeaders} are sent as given (the caller's
     * names and values must be plain header text). The answer's head is read before returning.
     */
    static HttpConnection exchange(String method, URI url, UrlGuard.Target target, Map<String, String> extraHeaders,
                                   byte[] body, int connectTimeoutMs, long deadlineNanos, SSLSocketFactory tls)
            throws IOException {
        Socket socket = connect(target.addresses(), target.port(), connectTimeoutMs, deadlineNanos);
        try {
            if (target.tls()) {
                SSLSocket ssl = (SSLSocket) tls.createSocket(socket, target.host(), target.port(), true);
                SSLParameters params = ssl.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                if (!isLiteral(target.host())) {
                    params.setServerNames(List.of(new SNIHostName(target.host())));
                }
                ssl.setSSLParameters(params);
                socket.setSoTimeout(remainingMs(deadlineNanos));
                ssl.startHandshake();
                socket = ssl;
            }
            OutputStream out = socket.getOutputStream();
            out.write(request(method, url, target, extraHeaders, body).getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            InputStream raw = new BufferedInputStream(new DeadlineStream(socket, socket.getInputStream(), deadlineNanos), 64 * 1024);
            while (true) {
                String statusLine = line(raw);
                int status = parseStatus(statusLine);
                Map<String, String> headers = headers(raw);
                if (status >= 100 && status < 200) {
                    continue; // interim answers carry no body
                }
                return new HttpConnection(socket, raw, status, headers);
            }
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The body as sent: de-chunked, or bounded by Content-Length, or up to the close. */
    InputStream body() throws IOException {
        String te = headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT);
        if (te.contains("chunked")) {
            return new ChunkedInputStream(in);
        }
        long length = contentLength();
        return length >= 0 ? new FixedLengthStream(in, length) : in;
    }

    /** -1 when absent (or when chunked, which wins). */
    long contentLength() throws IOException {
        String v = headers.get("content-length");
        if (v == null || headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked")) {
            return -1;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n < 0) {
                throw new IOException("negative Content-Length");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IOException("malformed Content-Length \"" + v + "\"");
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static Socket connect(List<InetAddress> addresses, int port, int connectTimeoutMs, long deadlineNanos)
            throws IOException {
        IOException last = null;
        for (InetAddress address : addresses) {
            Socket s = new Socket();
            try {
                s.setTcpNoDelay(true);
                s.connect(new InetSocketAddress(address, port), Math.min(connectTimeoutMs, remainingMs(deadlineNanos)));
                return s;
            } catch (IOException e) {
                s.close();
                last = e;
            }
        }
        throw last;
    }

    private static String request(String method, URI url, UrlGuard.Target target, Map<String, String> extraHeaders,
                                  byte[] body) {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) {
            path += "?" + url.getRawQuery();
        }
        boolean defaultPort = target.port() == (target.tls() ? 443 : 80);
        String host = target.host().contains(":") ? "[" + target.host() + "]" : target.host();
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host).append(defaultPort ? "" : ":" + target.port()).append("\r\n");
        if (!extraHeaders.containsKey("User-Agent")) {
            head.append("User-Agent: asset-library-media-fetch/1\r\n");
        }
        head.append("Accept: */*\r\nAccept-Encoding: identity\r\n");
        extraHeaders.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        return head.append("Connection: close\r\n\r\n").toString();
    }

    private static int parseStatus(String line) throws IOException {
        // HTTP/1.1 200 OK
        if (!line.startsWith("HTTP/1.") || line.length() < 12 || line.charAt(8) != ' ') {
            throw new IOException("not an HTTP/1.x answer");
        }
        try {
            return Integer.parseInt(line.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new IOException("malformed HTTP status line");
        }
    }

    private static Map<String, String> headers(InputStream in) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i <= MAX_HEADERS; i++) {
            String line = line(in);
            if (line.isEmpty()) {
                return headers;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).trim();
                headers.merge(name, value, (a, b) -> a + ", " + b);
            }
        }
        throw new IOException("more than " + MAX_HEADERS + " header lines");
    }

    static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c == -1) {
                throw new EOFException("connection closed in the middle of the answer's head");
            }
            if (c == '\n') {
                int n = sb.length();
                if (n > 0 && sb.charAt(n - 1) == '\r') {
                    sb.setLength(n - 1);
                }
                return sb.toString();
            }
            if (sb.length() >= MAX_LINE) {
                throw new IOException("header line longer than " + MAX_LINE + " bytes");
            }
            sb.append((char) c);
        }
    }

    static int remainingMs(long deadlineNanos) throws DeadlineExceeded {
        long ms = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (ms <= 0) {
            throw new DeadlineExceeded();
        }
        return (int) Math.min(ms, Integer.MAX_VALUE);
    }

    private static boolean isLiteral(String host) {
        return host.contains(":") || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    /** Every read waits at most until the exchange's deadline, so a slow drip cannot run past it. */
    private static final class DeadlineStream extends BlockInputStream {
        private final Socket socket;
        private final InputStream in;
        private final long deadlineNanos;

        DeadlineStream(Socket socket, InputStream in, long deadlineNanos) {
            this.socket = socket;
            this.in = in;
            this.deadlineNanos = deadlineNanos;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            socket.setSoTimeout(remainingMs(deadlineNanos));
            try {
                return in.read(b, off, len);
            } catch (SocketTimeoutException e) {
                throw new DeadlineExceeded();
            }
        }
    }

    /** Exactly {@code length} bytes; a close before them is an error, not a short body. */
    private static final class FixedLengthStream extends BlockInputStream {
        private final InputStream in;
        private final long length;
        private long read;

        FixedLengthStream(InputStream in, long length) {
            this.in = in;
            this.length = length;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (read >= length) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, length - read));
            if (n == -1) {
                throw new EOFException("connection closed after " + read + " of " + length + " bytes");
            }
            read += n;
            return n;
        }
    }
}
