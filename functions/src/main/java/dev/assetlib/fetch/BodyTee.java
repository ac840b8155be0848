package dev.assetlib.fetch;

/**
 * A second destination for a fetched body, written as it streams beside the file (for example an
 * upload that overlaps the fetch). {@link #start} is called once per attempt that reaches a 2xx
 * body, with its first bytes; a later retry starts again, after the earlier copy was abandoned.
 * A copy never fails the fetch: a receiver that cannot keep the bytes drops them, and whoever
 * reads the outcome falls back to the file.
 */
public interface BodyTee {
    /** No second destination. */
    BodyTee NONE = (length, head, headLength) -> null;

    /**
     * The body begins: {@code length} is the announced Content-Length (-1 when there is none),
     * {@code head} holds its first {@code headLength} bytes (at least 64 unless the body is shorter;
     * they are written to the copy next). Returns the copy to write to, or null for none.
     */
    Copy start(long length, byte[] head, int headLength);

    /** One attempt's copy of the body. */
    interface Copy {
        /** The next bytes, in order; may block while the receiver catches up. */
        void write(byte[] b, int off, int len);

        /** Every byte of the body was written. */
        void end();

        /** The attempt failed or was refused: what was written must not be kept. */
        void abandon();
    }
}
