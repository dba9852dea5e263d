package org.varpart.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import org.varpart.InputException;

/**
 * Reads lines of text, numbering them from 1, and refuses a line longer than
 * {@link #MAX_LINE_CHARS}: one bad line (a binary file, a file without newlines) costs at most
 * that much memory, and the message names the file and the line. A line ends at '\n'; a '\r'
 * before it is dropped.
 */
public final class LineReader implements Closeable {
    /** The longest line a reader accepts (16 Mi characters, about two million numbers). */
    public static final int MAX_LINE_CHARS = 16 * 1024 * 1024;

    private final String source;
    private final Reader in;
    private final int max;
    private final char[] buf = new char[1 << 16];
    private final StringBuilder line = new StringBuilder();
    private int pos, end;
    private long number;

    public LineReader(String source, Reader in) {
        this(source, in, MAX_LINE_CHARS);
    }

    LineReader(String source, Reader in, int max) {
        this.source = source;
        this.in = in;
        this.max = max;
    }

    /** The next line, or null at the end of the input. */
    public String next() throws IOException {
        line.setLength(0);
        boolean any = false;
        while (true) {
            if (pos == end) {
                int n = in.read(buf, 0, buf.length);
                pos = 0;
                end = Math.max(n, 0);
                if (n <= 0) break;
            }
            any = true;
            int start = pos;
            while (pos < end && buf[pos] != '\n') pos++;
            if (line.length() + (pos - start) > max) {
                throw new InputException(source + " line " + (number + 1) + ": longer than " + max
                        + " characters; is this really a delimited text file?");
            }
            line.append(buf, start, pos - start);
            if (pos < end) {
                pos++;
                break;
            }
        }
        if (!any) return null;
        number++;
        int len = line.length();
        if (len > 0 && line.charAt(len - 1) == '\r') line.setLength(len - 1);
        return line.toString();
    }

    /** The number of the line last returned (1 for the first). */
    public long number() {
        return number;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
