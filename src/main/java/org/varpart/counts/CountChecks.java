package org.varpart.counts;

import org.varpart.InputException;


/**
 * Checks of a raw count matrix (and of a precision-weight matrix) at the boundary, before any fitting: every count must be a
 * finite, non-negative whole number (edgeR refuses missing, negative and fractional counts; so
 * does varpart). A failure is a whole-run error that names the file, the line, the column and
 * the value, so the user can find it.
 */
public final class CountChecks {
    private CountChecks() {}

    /** Whether {@code v} is a count: finite, at least 0 and whole. */
    public static boolean isCount(double v) {
        return Double.isFinite(v) && v >= 0 && v == Math.rint(v);
    }

    /**
     * Throws an {@link InputException} unless {@code v} is a count.
     *
     * @param file the file as the user named it
     * @param line the 1-based line of the value
     * @param column the 1-based column of the value
     * @param sample the sample (column header) the value belongs to
     * @param feature the feature (row) the value belongs to
     */
    public static void checkValue(String file, long line, int column, String sample, String feature, double v) {
        if (isCount(v)) return;
        String what = Double.isNaN(v) ? "a missing value" : v < 0 ? "a negative number" : !Double.isFinite(v)
                ? "an infinite number" : "not a whole number";
        throw new InputException(file + ", line " + line + ", column " + column + " (sample " + sample + ", feature "
                + feature + "): the value " + format(v) + " is " + what + "; a counts assay holds raw read counts,"
                + " non-negative integers (give log-scale values as an assay instead)");
    }

    /**
     * Checks one row of a counts file.
     *
     * @param line the 1-based line of the row
     * @param firstColumn the 1-based column of {@code values[0]}
     * @param samples the sample of each value
     */
    public static void checkRow(String file, long line, int firstColumn, String feature, String[] samples, double[] values) {
        for (int j = 0; j < values.length; j++) checkValue(file, line, firstColumn + j, samples[j], feature, values[j]);
    }

    /**
     * Throws an {@link InputException} unless {@code w} is a usable precision weight (finite and
     * positive), for a {@code weights.<name>} file given beside a log-scale assay.
     */
    public static void checkWeight(String file, long line, int column, String sample, String feature, double w) {
        if (Double.isFinite(w) && w > 0) return;
        throw new InputException(file + ", line " + line + ", column " + column + " (sample " + sample + ", feature "
                + feature + "): the weight " + format(w) + " is not a positive finite number; precision weights"
                + " must be above 0 (lme4 divides the residual variance by them)");
    }

    private static String format(double v) {
        if (Double.isNaN(v)) return "NA";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Double.toString(v);
    }
}
