package org.varpart.io;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.TextInputFormat;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The data lines of a delimited assay as the executors read them, after the driver's check: each
 * line's UTF-8 bytes as Hadoop's reader gives them (no string made of the line), parsed into a
 * feature where it is fitted. A line of plain ASCII with an unquoted ID and cells that are plain
 * decimals ({@link DelimitedMatrix#plainDecimal}) or missing-value tokens is parsed from its
 * bytes; any other line is decoded and parsed by {@link DelimitedMatrix#parseLine}, so that
 * both give the same feature, bit for bit.
 *
 * @param delim the delimiter
 * @param width the header's number of fields
 * @param source the file, for a problem's message
 */
record TextLines(char delim, int width, String source) implements AssayReader.Parser {

    /** The file's data lines (blank lines and the header left out), in splits of the file, each a byte array. */
    static JavaRDD<Object> read(JavaSparkContext jsc, String path, int splits, String header) {
        byte[] head = header.getBytes(StandardCharsets.UTF_8);
        byte[] bomHead = ("\uFEFF" + header).getBytes(StandardCharsets.UTF_8);
        return jsc.hadoopFile(path, TextInputFormat.class, LongWritable.class, Text.class, splits)
                .map(t -> Arrays.copyOf(t._2().getBytes(), t._2().getLength())) // the reader reuses its Text
                .filter(b -> !blank(b) && !Arrays.equals(b, head) && !Arrays.equals(b, bomHead))
                .map(b -> (Object) b);
    }

    /** {@link String#isBlank} of the line the bytes encode. */
    static boolean blank(byte[] b) {
        for (byte x : b) {
            if (x < 0) return new String(b, StandardCharsets.UTF_8).isBlank();
            if (!ByteLines.whitespace(x)) return false;
        }
        return true;
    }

    @Override
    public FeatureRow parse(Object record) {
        byte[] b = (byte[]) record;
        int d = plainIdEnd(b);
        if (d < 0) return DelimitedMatrix.parseLine(new String(b, StandardCharsets.UTF_8), delim, width, source);
        double[] v = new double[width - 1];
        int from = d + 1;
        for (int j = 0; j < v.length; j++) {
            if (from > b.length) return DelimitedMatrix.parseLine(new String(b, StandardCharsets.UTF_8), delim, width, source);
            int end = from;
            while (end < b.length && b[end] != delim) end++;
            double x = plainDecimal(b, from, end);
            if (Double.isNaN(x) && !ByteLines.missingToken(b, from, end)) {
                return DelimitedMatrix.parseLine(new String(b, StandardCharsets.UTF_8), delim, width, source);
            }
            v[j] = x;
            from = end + 1;
        }
        if (from != b.length + 1) return DelimitedMatrix.parseLine(new String(b, StandardCharsets.UTF_8), delim, width, source);
        return new FeatureRow(new String(b, 0, d, StandardCharsets.ISO_8859_1), v, null);
    }

    @Override
    public String id(Object record) {
        byte[] b = (byte[]) record;
        int d = plainIdEnd(b);
        return d < 0 ? DelimitedMatrix.id(new String(b, StandardCharsets.UTF_8), delim) : new String(b, 0, d, StandardCharsets.ISO_8859_1);
    }

    @Override
    public boolean stableOrder() {
        return true;
    }

    /**
     * Where a plain ID ends (the first delimiter): an ID of ASCII without quotes or blanks at its
     * ends, followed by a delimiter; -1 for any other line, which the text path reads.
     */
    private int plainIdEnd(byte[] b) {
        int d = 0;
        while (d < b.length && b[d] != delim) {
            if (b[d] < 0 || b[d] == '"') return -1;
            d++;
        }
        if (d == 0 || d == b.length || b[0] <= ' ' || b[d - 1] <= ' ') return -1;
        return d;
    }

    /**
     * The value of a cell of ASCII bytes written as a plain decimal ({@code [+-]digits[.digits]},
     * nothing else), as {@link DelimitedMatrix#plainDecimal} defines it; NaN for any other text.
     */
    static double plainDecimal(byte[] b, int from, int end) {
        int i = from;
        if (i >= end) return Double.NaN;
        boolean negative = false;
        byte c = b[i];
        if (c == '-' || c == '+') {
            negative = c == '-';
            i++;
        }
        long m = 0;
        int digits = 0, fraction = -1;
        for (; i < end; i++) {
            c = b[i];
            if (c >= '0' && c <= '9') {
                if (m >= (1L << 53) / 10) return Double.NaN;
                m = m * 10 + (c - '0');
                digits++;
                if (fraction >= 0) fraction++;
            } else if (c == '.' && fraction < 0) {
                fraction = 0;
            } else {
                return Double.NaN;
            }
        }
        if (digits == 0 || fraction > 22) return Double.NaN;
        double v = fraction <= 0 ? m : m / DelimitedMatrix.EXACT_TENS[fraction];
        return negative ? -v : v;
    }
}
