package org.varpart.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.varpart.InputException;

/**
 * The driver's pass over a delimited assay before any Spark job ({@link DelimitedMatrix#check}),
 * on the file's bytes. A data line of plain ASCII whose ID is unquoted and whose cells are each a
 * number ({@code [+-]digits[.digits][e[+-]digits]}, no blank) or a missing-value token ({@code NA},
 * {@code NaN}, empty) is taken in one scan, without making a string of it or a double of any cell:
 * such a line is one the general reading accepts. Any other line (a quote, a blank, a byte that
 * is not ASCII, a field count that differs from the header's, any other cell text, a repeated ID
 * or the header again) is decoded and read as text by the general path, which accepts it or names
 * the first problem exactly as it always did. The digest is the one the text path computes: the
 * hash of an ASCII line's bytes is its string's hash.
 */
final class MatrixCheck {
    private final String path;
    private final char delim;
    private final int width;
    private final List<String> samples;
    private final String header;
    private final byte[] headerStripped;
    private final double[] scratch;
    private final Map<String, Long> firstLine = new HashMap<>();
    private final long[] observed;
    private long features;

    private MatrixCheck(String path, char delim, List<String> samples, String header) {
        this.path = path;
        this.delim = delim;
        this.samples = samples;
        this.header = header;
        this.width = samples.size() + 1;
        this.headerStripped = header.strip().getBytes(StandardCharsets.UTF_8);
        this.scratch = new double[width - 1];
        this.observed = new long[width];
    }

    /** See {@link DelimitedMatrix#check}. */
    static DelimitedMatrix.Checked check(Configuration conf, String path, char delim) {
        return check(conf, path, delim, false);
    }

    /** As {@link #check(Configuration, String, char)}; {@code textOnly}: every line by the general path (to test the fast one against). */
    static DelimitedMatrix.Checked check(Configuration conf, String path, char delim, boolean textOnly) {
        ByteLines lines = new ByteLines(path, AssayReader.openBytes(conf, path, "assay file", delim), LineReader.MAX_LINE_CHARS);
        try (lines) {
            if (!lines.next()) throw new InputException(path + " is empty; it needs a header line of sample IDs and one line per feature.");
            String header = lines.text();
            long digest = header.hashCode();
            DelimitedMatrix.checkNoCarriageReturn(path, 1, header, delim);
            if (header.startsWith("\uFEFF")) header = header.substring(1);
            if (header.isBlank()) {
                throw new InputException(path + " line 1 is blank; the first line must be the header: the feature-ID column's name, then one sample ID per column.");
            }
            String[] cells = DelimitedMatrix.split(header, delim);
            if (cells.length < 2) {
                throw new InputException(path + " line 1: the header has " + cells.length + " field(s); it needs the feature-ID column and one column per sample"
                        + (delim == '\t' && header.contains(",") ? " (is it comma-separated? set format.<assay> = csv)" : "") + ".");
            }
            List<String> samples = new ArrayList<>(Arrays.asList(cells).subList(1, cells.length));
            AssayReader.checkSamples(path, samples, true);
            MatrixCheck c = new MatrixCheck(path, delim, samples, header);
            while (lines.next()) {
                int h = textOnly ? 0 : c.fast(lines.buf(), lines.start(), lines.end(), lines.number());
                if (h == 0) {
                    String line = lines.text();
                    h = line.hashCode();
                    c.general(line, lines.number());
                } else {
                    h = ByteLines.hash(lines.buf(), lines.start(), lines.end());
                }
                digest = digest * 1_000_003L + h;
            }
            if (c.features == 0) throw new InputException(path + " has a header but no data lines; an assay needs at least one feature.");
            return new DelimitedMatrix.Checked(samples, header, c.features, lines.number() + " lines, text digest " + Long.toHexString(digest), c.observed);
        } catch (EOFException e) {
            throw new InputException(path + ": the compressed file ends unexpectedly" + where(lines)
                    + "; it is truncated or damaged. Copy or compress it again.", e);
        } catch (IOException e) {
            throw new InputException("Cannot read " + path + ": " + e.getMessage() + where(lines)
                    + "; is the file damaged, or not what its name says (a .gz that is not gzip)?", e);
        }
    }

    private static String where(ByteLines lines) {
        return lines.number() == 0 ? " (before its first line)" : " (after line " + lines.number() + ")";
    }

    /**
     * Takes a data line in one scan when it is of the plain kind described above, counting its
     * feature; returns 1 then (the caller hashes the bytes), or 0, having changed nothing, when
     * the line needs the general path.
     */
    private int fast(byte[] b, int s, int e, long no) {
        int d = s;
        while (d < e && b[d] != delim) {
            byte x = b[d];
            if (x < 0 || x == '"' || x == '\r') return 0;
            d++;
        }
        if (d == s || b[s] <= ' ' || b[d - 1] <= ' ' || d == e) return 0; // blank, spaced or empty ID, or no values
        int fields = 1, present = 0;
        int p = d;
        while (p < e) { // b[p] is a delimiter
            int c = p + 1, q = c, digits = 0;
            if (q < e && (b[q] == '-' || b[q] == '+')) q++;
            while (q < e && b[q] >= '0' && b[q] <= '9') { q++; digits++; }
            if (q < e && b[q] == '.') {
                q++;
                while (q < e && b[q] >= '0' && b[q] <= '9') { q++; digits++; }
            }
            if (digits > 0 && q < e && (b[q] == 'e' || b[q] == 'E')) {
                q++;
                if (q < e && (b[q] == '-' || b[q] == '+')) q++;
                int exp = 0;
                while (q < e && b[q] >= '0' && b[q] <= '9') { q++; exp++; }
                if (exp == 0) return 0;
            }
            if (q == e || b[q] == delim) {
                if (digits > 0) present++;
                else if (q != c) return 0; // a sign or a point alone
            } else if (digits == 0 && q == c) { // NA or NaN, else the general path
                while (q < e && b[q] != delim) q++;
                if (!ByteLines.missingToken(b, c, q)) return 0;
            } else {
                return 0;
            }
            fields++;
            p = q;
        }
        if (fields != width) return 0;
        int ls = s, le = e;
        while (le > ls && ByteLines.whitespace(b[le - 1])) le--;
        if (le - ls == headerStripped.length && Arrays.equals(b, ls, le, headerStripped, 0, headerStripped.length)) return 0;
        String id = new String(b, s, d - s, StandardCharsets.ISO_8859_1);
        if (firstLine.putIfAbsent(id, no) != null) return 0; // the general path names both lines
        features++;
        observed[present]++;
        return 1;
    }

    /** The text path for one data line: accepts it, counting its feature, or stops the run naming its first problem. */
    private void general(String line, long no) {
        DelimitedMatrix.checkNoCarriageReturn(path, no, line, delim);
        if (line.isBlank()) return;
        if (line.strip().equals(header.strip())) {
            throw new InputException(path + " line " + no + ": the header line appears again; were two files joined together? Keep only the first header.");
        }
        String id = DelimitedMatrix.id(line, delim);
        if (id.isEmpty()) throw new InputException(path + " line " + no + ", column 1: the feature ID is empty; every line starts with its feature's ID.");
        DelimitedMatrix.Problem p = DelimitedMatrix.values(line, delim, width, scratch);
        if (p != null && p.fields() == width + 1 && features == 0) {
            throw new InputException(path + " line " + no + ": the line has " + p.fields() + " fields but the header (line 1) has " + width
                    + ": the header has no name for the feature-ID column, as R's write.table writes it. Add a name (e.g. feature) at"
                    + " the start of the header, or write the file with write.table(..., col.names = NA).");
        }
        if (p != null && p.fields() != 0 && line.indexOf('"', DelimitedMatrix.idEnd(line, delim)) >= 0) {
            throw new InputException(path + " line " + no + ", " + DelimitedMatrix.describe(p, width, samples) + " The line has a quoted value:"
                    + " only the feature ID may be quoted with the delimiter inside; values are plain numbers.");
        }
        if (p != null) throw new InputException(path + " line " + no + ", " + DelimitedMatrix.describe(p, width, samples));
        Long first = firstLine.putIfAbsent(id, no);
        if (first != null) {
            throw new InputException(path + " line " + no + ", column 1: the feature ID '" + DelimitedMatrix.shorten(id) + "' appears twice (first on line "
                    + first + "); feature IDs must be unique within an assay.");
        }
        features++;
        int present = 0;
        for (double v : scratch) if (!Double.isNaN(v)) present++;
        observed[present]++;
    }
}
