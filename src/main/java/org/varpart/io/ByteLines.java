package org.varpart.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.varpart.InputException;

/**
 * Lines of UTF-8 text as ranges of bytes, as {@link LineReader} reads them as strings: numbered
 * from 1, ended by '\n' (a '\r' before it dropped), a last line without '\n' kept, and a line
 * longer than the limit (counted in UTF-16 characters, as a string's length) refused with the
 * file and the line. The bytes of the current line are {@code buf()[start() .. end())}, valid
 * until the next call of {@link #next}.
 */
final class ByteLines implements Closeable {
    private final String source;
    private final InputStream in;
    private final int max;
    private byte[] buf = new byte[1 << 16];
    /** The bytes read and not yet returned are buf[pos .. lim). */
    private int pos, lim, start, end;
    private boolean eof;
    private long number;

    ByteLines(String source, InputStream in, int max) {
        this.source = source;
        this.in = in;
        this.max = max;
    }

    /** Moves to the next line; false at the end of the input. */
    boolean next() throws IOException {
        int scan = pos;
        while (true) {
            int nl = scan;
            while (nl < lim && buf[nl] != '\n') nl++;
            if (nl < lim) {
                start = pos;
                end = nl;
                pos = nl + 1;
                break;
            }
            if (lim - pos > max) checkLength(pos, lim);
            if (eof) {
                if (lim == pos) return false;
                start = pos;
                end = lim;
                pos = lim;
                break;
            }
            int seen = lim - pos;
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, seen);
                lim = seen;
                pos = 0;
            }
            if (lim == buf.length) buf = Arrays.copyOf(buf, buf.length * 2);
            int n = in.read(buf, lim, buf.length - lim);
            if (n < 0) eof = true;
            else lim += n;
            scan = seen;
        }
        if (end - start > max) checkLength(start, end);
        number++;
        if (end > start && buf[end - 1] == '\r') end--;
        return true;
    }

    /** Refuses the line being read when its bytes make more than {@code max} UTF-16 characters. */
    private void checkLength(int from, int to) {
        long chars = 0;
        for (int i = from; i < to; i++) {
            int x = buf[i] & 0xff;
            if ((x & 0xC0) != 0x80) chars += x >= 0xF0 ? 2 : 1;
        }
        if (chars > max) {
            throw new InputException(source + " line " + (number + 1) + ": longer than " + max
                    + " characters; is this really a delimited text file?");
        }
    }

    byte[] buf() {
        return buf;
    }

    int start() {
        return start;
    }

    int end() {
        return end;
    }

    /** The number of the current line (1 for the first). */
    long number() {
        return number;
    }

    /** The current line as a string. */
    String text() {
        return new String(buf, start, end - start, StandardCharsets.UTF_8);
    }

    /**
     * {@link String#hashCode} of the string of an ASCII range of bytes (each byte one character),
     * four bytes per step so that the multiplications do not wait on each other.
     */
    static int hash(byte[] b, int from, int to) {
        int h = 0, i = from;
        for (; i + 3 < to; i += 4) {
            h = 923521 * h + 29791 * b[i] + 961 * b[i + 1] + 31 * b[i + 2] + b[i + 3];
        }
        for (; i < to; i++) h = 31 * h + b[i];
        return h;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Whether an ASCII byte is one that {@link String#strip} and {@link String#isBlank} treat as white space. */
    static boolean whitespace(byte x) {
        return x == ' ' || x >= 9 && x <= 13 || x >= 28 && x <= 31;
    }

    /** Whether the cell {@code b[from .. end)} is a missing value: empty, {@code NA} or {@code NaN}. */
    static boolean missingToken(byte[] b, int from, int end) {
        int n = end - from;
        return n == 0 || n == 2 && b[from] == 'N' && b[from + 1] == 'A'
                || n == 3 && b[from] == 'N' && b[from + 1] == 'a' && b[from + 2] == 'N';
    }
}
