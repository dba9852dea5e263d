package org.varpart.counts;

import java.util.Arrays;

/**
 * edgeR's {@code filterByExpr} with a design matrix and its default settings: a feature is kept
 * when its count total is at least 15 and its CPM reaches the cutoff 10 / median(N) · 10⁶ in at
 * least m samples (less 10⁻¹⁴), where N are the library sizes and m is the smallest group size
 * the design implies: 1 / max hᵢ, hᵢ the leverages of [1 X] (R's {@code hat} adds an intercept
 * column), shrunk to 10 + (m − 10)·0.7 when above 10.
 */
public final class FilterByExpr {
    public static final double MIN_COUNT = 10, MIN_TOTAL_COUNT = 15, LARGE_N = 10, MIN_PROP = 0.7;
    private static final double TOL = 1e-14;
    private final double minSampleSize;
    private final double cpmCutoff;
    private final double[] libSize;

    /**
     * @param x the fixed-effects design, n × p column-major
     * @param libSize each sample's library size (column totals before filtering)
     */
    public FilterByExpr(double[] x, int n, int p, double[] libSize) {
        double m = 1 / maxLeverage(x, n, p);
        if (m > LARGE_N) m = LARGE_N + (m - LARGE_N) * MIN_PROP;
        this.minSampleSize = m;
        this.cpmCutoff = MIN_COUNT / median(libSize) * 1e6;
        this.libSize = libSize.clone();
    }

    /** The number of samples a kept feature must reach the CPM cutoff in (after shrinking). */
    public double minSampleSize() {
        return minSampleSize;
    }

    public double cpmCutoff() {
        return cpmCutoff;
    }

    /** Whether edgeR keeps a feature with these counts. */
    public boolean keep(double[] counts) {
        int reached = 0;
        double total = 0;
        for (int j = 0; j < counts.length; j++) {
            if (counts[j] / libSize[j] * 1e6 >= cpmCutoff) reached++;
            total += counts[j];
        }
        return reached >= minSampleSize - TOL && total >= MIN_TOTAL_COUNT - TOL;
    }

    /**
     * The largest leverage of [1 X]: hᵢ = Σₖ Qᵢₖ² over an orthonormal basis Q of its columns
     * (Gram–Schmidt, a column dropped when less than 10⁻⁷ of its norm is left, as R's QR drops it).
     */
    static double maxLeverage(double[] x, int n, int p) {
        double[][] basis = new double[p + 1][];
        int rank = 0;
        for (int c = -1; c < p; c++) {
            double[] v = new double[n];
            if (c < 0) Arrays.fill(v, 1.0);
            else System.arraycopy(x, c * n, v, 0, n);
            double norm0 = norm(v);
            for (int pass = 0; pass < 2; pass++) {
                for (int k = 0; k < rank; k++) {
                    double d = 0;
                    for (int i = 0; i < n; i++) d += basis[k][i] * v[i];
                    for (int i = 0; i < n; i++) v[i] -= d * basis[k][i];
                }
            }
            double norm = norm(v);
            if (norm0 == 0 || norm < 1e-7 * norm0) continue;
            for (int i = 0; i < n; i++) v[i] /= norm;
            basis[rank++] = v;
        }
        double max = 0;
        for (int i = 0; i < n; i++) {
            double h = 0;
            for (int k = 0; k < rank; k++) h += basis[k][i] * basis[k][i];
            max = Math.max(max, h);
        }
        return max;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double a : v) s += a * a;
        return Math.sqrt(s);
    }

    /** R's median: the middle value, or the mean of the two middle values. */
    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }
}
