package org.varpart.io;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.Locale;
import org.varpart.InputException;

/**
 * The checks every text input (sample sheet, delimited assay) gets on its bytes: it must be text
 * and not a compressed file or a workbook under a text file's name, and it must be valid UTF-8
 * (a byte-order mark allowed). A byte sequence that is not UTF-8 stops the read with a message
 * naming the file, line and column and saying how to convert the file; nothing is ever decoded
 * into replacement characters, which would merge distinct names such as {@code Köln} and
 * {@code Küln}.
 */
public final class TextInput {
    private TextInput() {}

    /**
     * Looks at the first bytes of a file that is read as plain text (its name names no
     * compression): a gzip stream or a ZIP archive (an Excel workbook is one) is refused with what
     * to do. Returns a stream that still yields every byte.
     */
    public static InputStream refuseBinary(String source, InputStream raw) throws IOException {
        PushbackInputStream in = new PushbackInputStream(raw, 4);
        byte[] head = new byte[4];
        int n = 0;
        while (n < head.length) {
            int r = in.read(head, n, head.length - n);
            if (r < 0) break;
            n += r;
        }
        if (n > 0) in.unread(head, 0, n);
        if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            String name = source.replaceAll(".*/", "");
            String fix = name.toLowerCase(Locale.ROOT).endsWith(".gz") ? name.substring(0, name.length() - 3) + ".gz" : name + ".gz";
            in.close();
            throw new InputException(source + " is gzip-compressed, but its name does not end in .gz (in lower case), so it would be read"
                    + " as text. Rename it to " + fix + ".");
        }
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            in.close();
            throw new InputException(source + " is a ZIP archive (an Excel workbook is one), not text. Save the sheet as CSV or TSV"
                    + " (in Excel: 'CSV UTF-8'), or unzip it.");
        }
        return in;
    }

    /**
     * The bytes of {@code in}, unchanged, with a check that they are UTF-8.
     *
     * @param delim the file's delimiter, to name the column of a bad byte; 0 when not known yet
     */
    public static InputStream utf8(String source, InputStream in, char delim) {
        return new Utf8Check(source, in, delim);
    }

    /** Validates UTF-8 byte by byte (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF). */
    private static final class Utf8Check extends FilterInputStream {
        private final String source;
        private final char delim;
        private long line = 1, offset;
        private int tabs, commas;
        /** Continuation bytes still expected, and the range the next one must be in. */
        private int pending, lo = 0x80, hi = 0xBF, lead;

        Utf8Check(String source, InputStream in, char delim) {
            super(in);
            this.source = source;
            this.delim = delim;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b < 0) {
                atEnd();
            } else {
                check(b, offset);
                offset++;
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = in.read(buf, off, len);
            if (n < 0) atEnd();
            for (int i = off; i < off + n; i++) {
                byte x = buf[i];
                // ASCII outside a multi-byte character: only line breaks and delimiters are counted
                if (x >= 0 && pending == 0) {
                    if (x <= ',') count(x);
                    continue;
                }
                check(x & 0xff, offset + i - off);
            }
            if (n > 0) offset += n;
            return n;
        }

        private void count(int b) {
            if (b == '\n') {
                line++;
                tabs = 0;
                commas = 0;
            } else if (b == '\t') {
                tabs++;
            } else if (b == ',') {
                commas++;
            }
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] scratch = new byte[(int) Math.min(n, 8192)];
            int r = read(scratch, 0, scratch.length);
            return Math.max(r, 0);
        }

        private void atEnd() {
            if (pending > 0) fail(lead, offset);
        }

        /** Checks byte {@code b}, at byte {@code at} of the stream. */
        private void check(int b, long at) {
            if (pending == 0) {
                lead = b;
                if (b < 0x80) {
                    count(b);
                } else if (b >= 0xC2 && b <= 0xDF) {
                    expect(1, 0x80, 0xBF);
                } else if (b == 0xE0) {
                    expect(2, 0xA0, 0xBF);
                } else if (b == 0xED) {
                    expect(2, 0x80, 0x9F);
                } else if (b >= 0xE1 && b <= 0xEF) {
                    expect(2, 0x80, 0xBF);
                } else if (b == 0xF0) {
                    expect(3, 0x90, 0xBF);
                } else if (b >= 0xF1 && b <= 0xF3) {
                    expect(3, 0x80, 0xBF);
                } else if (b == 0xF4) {
                    expect(3, 0x80, 0x8F);
                } else {
                    fail(b, at);
                }
            } else {
                if (b < lo || b > hi) fail(lead, at);
                pending--;
                lo = 0x80;
                hi = 0xBF;
            }
        }

        private void expect(int n, int low, int high) {
            pending = n;
            lo = low;
            hi = high;
        }

        private void fail(int b, long at) {
            if (at <= 1 && (b == 0xFF || b == 0xFE)) {
                throw new InputException(source + " is UTF-16 text (as Excel's 'Unicode text' writes it); varpart reads UTF-8."
                        + " Convert it, e.g. iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8, or save it from Excel as 'CSV UTF-8'.");
            }
            int column = (delim == '\t' ? tabs : delim == ',' ? commas : tabs > 0 ? tabs : commas) + 1;
            String what = String.format(Locale.ROOT, "the byte 0x%02X is not valid UTF-8 there", b)
                    + (b >= 0xA0 ? " (in Latin-1 it would be '" + (char) b + "')" : "");
            throw new InputException(source + " line " + line + ", column " + column + ": " + what + "; varpart reads text inputs as UTF-8"
                    + " and never guesses an encoding. Convert the file, e.g. iconv -f latin1 -t utf8 FILE > FILE.utf8 (for a file"
                    + " saved in Latin-1 or Windows-1252, as Excel on Windows does), or save it from Excel as 'CSV UTF-8'.");
        }
    }
}
