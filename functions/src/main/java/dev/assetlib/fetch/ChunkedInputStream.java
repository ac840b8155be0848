package dev.assetlib.fetch;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** The body of a {@code Transfer-Encoding: chunked} answer, de-chunked as it is read (trailers skipped). */
final class ChunkedInputStream extends BlockInputStream {
    private final InputStream in;
    private long left; // bytes left in the current chunk
    private boolean done;

    ChunkedInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (done) {
            return -1;
        }
        if (left == 0) {
            left = nextChunkSize();
            if (left == 0) {
                while (!HttpConnection.line(in).isEmpty()) {
                    // trailer fields: not used
                }
                done = true;
                return -1;
            }
        }
        int n = in.read(b, off, (int) Math.min(len, left));
        if (n == -1) {
            throw new EOFException("connection closed in the middle of a chunk");
        }
        left -= n;
        if (left == 0 && !HttpConnection.line(in).isEmpty()) {
            throw new IOException("chunk not followed by CRLF");
        }
        return n;
    }

    private long nextChunkSize() throws IOException {
        String line = HttpConnection.line(in);
        int semi = line.indexOf(';');
        String hex = (semi >= 0 ? line.substring(0, semi) : line).trim();
        if (hex.isEmpty() || hex.length() > 15) {
            throw new IOException("malformed chunk size \"" + line + "\"");
        }
        try {
            return Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new IOException("malformed chunk size \"" + line + "\"");
        }
    }
}
