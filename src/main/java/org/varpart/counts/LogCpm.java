package org.varpart.counts;

/**
 * Library sizes and log-counts-per-million as limma's voom and variancePartition's
 * voomWithDreamWeights compute them.
 * <ul>
 *   <li>library size of sample j: Nⱼ = (column total) · fⱼ, fⱼ its normalisation factor (1 without
 *       normalisation);</li>
 *   <li>log-CPM: log₂((c + 0.5) / (Nⱼ + 1) · 10⁶), the prior count 0.5 added to every count.</li>
 * </ul>
 */
public final class LogCpm {
    /** The prior count added to every count before the logarithm. */
    public static final double PRIOR_COUNT = 0.5;
    private static final double LN2 = Math.log(2);

    private LogCpm() {}

    /** Column totals of a features × samples count matrix. */
    public static double[] columnTotals(double[][] counts, int samples) {
        double[] t = new double[samples];
        for (double[] row : counts) for (int j = 0; j < samples; j++) t[j] += row[j];
        return t;
    }

    /** Effective library sizes: totals times normalisation factors. */
    public static double[] effective(double[] totals, double[] normFactors) {
        double[] n = new double[totals.length];
        for (int j = 0; j < n.length; j++) n[j] = totals[j] * normFactors[j];
        return n;
    }

    /** log₂((cⱼ + 0.5)/(Nⱼ + 1)·10⁶) for each sample j of one feature. */
    public static double[] of(double[] counts, double[] libSize) {
        double[] y = new double[counts.length];
        for (int j = 0; j < y.length; j++) y[j] = log2((counts[j] + PRIOR_COUNT) / (libSize[j] + 1) * 1e6);
        return y;
    }

    /** mean over samples of log₂(Nⱼ + 1) − log₂(10⁶): what voom adds to a feature's mean log-CPM to get its sx. */
    public static double sxOffset(double[] libSize) {
        double s = 0;
        for (double n : libSize) s += log2(n + 1);
        return s / libSize.length - log2(1e6);
    }

    static double log2(double x) {
        return Math.log(x) / LN2;
    }
}
