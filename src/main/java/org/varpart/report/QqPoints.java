package org.varpart.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The points of a QQ plot of p-values against the uniform distribution, on the −log₁₀ scale,
 * from counts of x = −log₁₀ p in bins of width w (x ∈ [kw, (k+1)w) is bin k), so that millions
 * of p-values reduce to at most one bin per w of x.
 *
 * <p>With the m p-values ranked from the smallest (rank 1), rank r is expected at
 * −log₁₀((r − ½)/m) under the null. A bin k holding ranks r₁..r₂ (the bins above it hold the
 * ranks before r₁) gives the points (−log₁₀((r₁ − ½)/m), (k + ½)w) and, when r₂ > r₁,
 * (−log₁₀((r₂ − ½)/m), (k + ½)w): every p-value of the bin lies between them, within w/2 of
 * the observed value plotted.
 */
public final class QqPoints {
    /** The bin width on the −log₁₀ p scale. */
    public static final double WIDTH = 0.01;
    /** Where a p-value of exactly 0 (an underflow) is drawn: −log₁₀ of the smallest double. */
    public static final double ZERO_P = 324;

    private QqPoints() {}

    /** The bin of a p-value, or -1 when it is missing or not in [0, 1]. */
    public static long bin(double p) {
        if (!(p >= 0 && p <= 1)) return -1;
        double x = p == 0 ? ZERO_P : -Math.log10(p);
        return (long) Math.floor(x / WIDTH);
    }

    /**
     * The QQ points of binned p-values.
     *
     * @param bins bin indices (any order, each at most once)
     * @param counts the number of p-values in each bin
     * @return {expected, observed}, from the largest observed −log₁₀ p down
     */
    public static double[][] fromBins(long[] bins, long[] counts) {
        Integer[] order = new Integer[bins.length];
        long m = 0;
        for (int i = 0; i < bins.length; i++) {
            order[i] = i;
            m += counts[i];
        }
        java.util.Arrays.sort(order, (a, b) -> Long.compare(bins[b], bins[a]));
        List<double[]> pts = new ArrayList<>();
        long before = 0;
        for (int i : order) {
            if (counts[i] <= 0) continue;
            double observed = (bins[i] + 0.5) * WIDTH;
            long first = before + 1, last = before + counts[i];
            pts.add(new double[] {expected(first, m), observed});
            if (last > first) pts.add(new double[] {expected(last, m), observed});
            before = last;
        }
        double[][] out = new double[2][pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            out[0][i] = pts.get(i)[0];
            out[1][i] = pts.get(i)[1];
        }
        return out;
    }

    /** −log₁₀ of the expected p-value of rank r among m: −log₁₀((r − ½)/m). */
    static double expected(long rank, long m) {
        return -Math.log10((rank - 0.5) / m);
    }
}
