package org.varpart.io;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.varpart.InputException;
import org.varpart.design.DataTable;

/**
 * Delimited assay matrices (TSV or CSV, optionally compressed): the driver's pass over the whole
 * file before any Spark job, and the parsing of one data line, which the executors repeat after
 * the pass. Both read a line the same way: fields split on the delimiter, each stripped of
 * blanks and of one pair of surrounding double quotes (the feature ID may be quoted with the
 * delimiter inside, as R's {@code write.csv} writes it; a value may not); {@code NA}, {@code NaN} and empty cells
 * missing; numbers as R reads them ({@code Inf} and {@code -Inf} included). Lines are numbered
 * from 1, the header being line 1; blank lines are skipped but counted.
 */
public final class DelimitedMatrix {
    private DelimitedMatrix() {}

    /**
     * What the pass found: the header's sample IDs, the header line itself, the number of
     * features, a digest of every line's text (to notice, on resume, a file whose content
     * changed while its size and time did not), and how many features have each number of values
     * present ({@code observed[k]}: features with k values that are not missing).
     */
    public record Checked(List<String> samples, String header, long features, String digest, long[] observed) {}

    /**
     * A problem with one data line.
     *
     * @param column the 1-based column where it shows
     * @param value the cell's text there (empty when the line has no such cell)
     * @param fields the fields on the line, when their number is the problem; otherwise 0
     */
    record Problem(int column, String value, int fields) {}

    /**
     * Reads the whole file once, with the memory of one line ({@link MatrixCheck}): every line must have the header's
     * number of fields, every cell must be a number or a missing-value token, every feature ID
     * must be present and unique, and a compressed file must be whole. The first problem stops the
     * run with a message naming the file, line, column and value.
     */
    public static Checked check(Configuration conf, String path, char delim) {
        return MatrixCheck.check(conf, path, delim);
    }

    /**
     * A '\r' inside a line (not before its '\n') would end the line for Spark's reader, which
     * takes '\r' alone as a line break too: refused here, where the line and column can be named.
     */
    static void checkNoCarriageReturn(String path, long no, String line, char delim) {
        int cr = line.indexOf('\r');
        if (cr < 0) return;
        int column = 1;
        for (int i = 0; i < cr; i++) if (line.charAt(i) == delim) column++;
        throw new InputException(path + " line " + no + ", column " + column + ": a carriage return (\\r) inside the line; lines must end"
                + " with \\n or \\r\\n only (was the file edited on an old Mac, or does a cell hold a line break?).");
    }

    /** The feature ID of a data line: its first field (quoted, it may hold the delimiter, and "" stands for a quote). */
    public static String id(String line, char delim) {
        int end = idEnd(line, delim);
        String raw = line.substring(0, end).strip();
        String s = cell(line, 0, end);
        return raw.length() >= 2 && raw.startsWith("\"") && raw.endsWith("\"") ? s.replace("\"\"", "\"") : s;
    }

    /** Where the first field ends: the first delimiter after its closing quote when it is quoted, else the first delimiter (or the line's end). */
    static int idEnd(String line, char delim) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') i++;
        int from = 0;
        if (i < line.length() && line.charAt(i) == '"') {
            int j = i + 1;
            while (j < line.length()) {
                if (line.charAt(j) == '"') {
                    if (j + 1 < line.length() && line.charAt(j + 1) == '"') {
                        j += 2;
                        continue;
                    }
                    break;
                }
                j++;
            }
            from = Math.min(j + 1, line.length());
        }
        int d = line.indexOf(delim, from);
        return d < 0 ? line.length() : d;
    }

    /** One data line as a feature; a problem with it (possible only if the file changed after the check) becomes the feature's status. */
    static FeatureRow parseLine(String line, char delim, int width, String source) {
        double[] v = new double[width - 1];
        Problem p = values(line, delim, width, v);
        if (p == null) return new FeatureRow(id(line, delim), v, null);
        return new FeatureRow(id(line, delim), null, "column " + describe(p, width, null) + " (did " + source + " change after it was checked?)");
    }

    /**
     * Parses the values of a data line into {@code out} (one per sample); returns null, or the
     * first problem. The fields are counted before any is parsed, so that a line with a million
     * fields costs one scan.
     */
    static Problem values(String line, char delim, int width, double[] out) {
        int idEnd = idEnd(line, delim);
        int fields = 1;
        for (int i = idEnd < line.length() ? idEnd : -1; i >= 0; i = line.indexOf(delim, i + 1)) fields++;
        if (fields != width) {
            String value = "";
            if (fields > width) {
                int from = idEnd + 1;
                for (int c = 1; c < width; c++) from = line.indexOf(delim, from) + 1;
                int end = line.indexOf(delim, from);
                value = cell(line, from, end < 0 ? line.length() : end);
            }
            return new Problem(fields > width ? width + 1 : fields + 1, value, fields);
        }
        int from = idEnd + 1;
        for (int j = 1; j < width; j++) {
            int end = line.indexOf(delim, from);
            if (end < 0) end = line.length();
            double fast = plainDecimal(line, from, end);
            if (!Double.isNaN(fast)) {
                out[j - 1] = fast;
                from = end + 1;
                continue;
            }
            String s = cell(line, from, end);
            if (DataTable.MISSING.contains(s)) {
                out[j - 1] = Double.NaN;
            } else {
                double d = DataTable.parseNumber(s);
                if (Double.isNaN(d)) return new Problem(j + 1, s, 0);
                out[j - 1] = d;
            }
            from = end + 1;
        }
        return null;
    }

    /** 10⁰ … 10²²: the powers of ten that a double holds exactly. */
    static final double[] EXACT_TENS = new double[23];

    static {
        EXACT_TENS[0] = 1;
        for (int i = 1; i < EXACT_TENS.length; i++) EXACT_TENS[i] = EXACT_TENS[i - 1] * 10;
    }

    /**
     * The value of a cell written as a plain decimal ({@code [+-]digits[.digits]}, nothing else:
     * no blank, quote, exponent or letter) whose digits make an integer below 2⁵³ with at most 22
     * of them after the point; NaN for any other text, which the general path then reads. Such a
     * value is m / 10^k with m and 10^k both exact doubles, so the one rounding of the division
     * gives the correctly rounded value, bit for bit what {@link Double#parseDouble} returns
     * (Clinger's fast path). One reading of the digits serves text and bytes: this reads the
     * cell's bytes with {@link TextLines#plainDecimal}.
     */
    static double plainDecimal(String line, int from, int end) {
        if (from >= end) return Double.NaN;
        // a character outside Latin-1 becomes '?', which is not a plain decimal: NaN, as it should
        byte[] cell = line.substring(from, end).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        return TextLines.plainDecimal(cell, 0, cell.length);
    }

    /** "column C (sample S): what is wrong"; {@code samples} may be null. */
    static String describe(Problem p, int width, List<String> samples) {
        int c = p.column();
        String where = c + (samples != null && c >= 2 && c - 2 < samples.size() ? " (sample " + shorten(samples.get(c - 2)) + ")" : "");
        if (p.fields() == 0) {
            return "column " + where + ": the value '" + shorten(p.value()) + "' is not a number; missing values are NA, NaN or empty cells.";
        }
        String extra = p.fields() > width ? "; the first extra value is '" + shorten(p.value()) + "'"
                : "; column " + where + " has no value";
        return "column " + where + ": the line has " + p.fields() + " fields but the header (line 1) has " + width + extra
                + ". Every line needs its feature ID and one value per sample.";
    }

    /** A cell as shown in messages: at most 60 characters. */
    static String shorten(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    /** Splits a whole line (the header) into its cells. */
    static String[] split(String line, char delim) {
        List<String> out = new ArrayList<>();
        int from = 0;
        while (true) {
            int end = line.indexOf(delim, from);
            out.add(cell(line, from, end < 0 ? line.length() : end));
            if (end < 0) return out.toArray(new String[0]);
            from = end + 1;
        }
    }

    /** The text of one field: blanks stripped, one pair of surrounding double quotes removed. */
    static String cell(String line, int from, int end) {
        String s = line.substring(from, end).strip();
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) s = s.substring(1, s.length() - 1);
        return s;
    }
}
