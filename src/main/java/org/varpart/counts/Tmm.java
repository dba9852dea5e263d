package org.varpart.counts;

import java.util.Arrays;

/**
 * edgeR's {@code calcNormFactors(method = "TMM")} with its defaults (log-ratio trim 0.3, sum trim
 * 0.05, precision weighting). Features that are zero in every sample are left out. The reference
 * sample is the one whose upper-quartile factor (75th percentile of its counts over its library
 * size, R's quantile type 7) is closest to the mean of those factors. For each sample, over the
 * features with finite M and A against the reference,
 * <pre>
 *   M = log₂((c/N)/(r/N_r)),  A = (log₂(c/N) + log₂(r/N_r))/2,  v = (N − c)/(N c) + (N_r − r)/(N_r r),
 * </pre>
 * the features ranked (ties averaged) within the middle 40% of M and the middle 90% of A are kept
 * and the factor is 2 to the power Σ(M/v)/Σ(1/v). The factors are finally divided by their
 * geometric mean.
 */
public final class Tmm {
    public static final double LOGRATIO_TRIM = 0.3, SUM_TRIM = 0.05;

    private Tmm() {}

    /**
     * @param counts features × samples
     * @param libSize each sample's library size (column totals)
     */
    public static double[] normFactors(double[][] counts, double[] libSize) {
        int ns = libSize.length;
        double[][] x = Arrays.stream(counts).filter(r -> Arrays.stream(r).anyMatch(v -> v > 0)).toArray(double[][]::new);
        double[] f = new double[ns];
        if (x.length == 0 || ns == 1) {
            Arrays.fill(f, 1.0);
            return f;
        }
        int ref = referenceColumn(x, libSize);
        double[] refCol = column(x, ref);
        for (int j = 0; j < ns; j++) f[j] = factor(column(x, j), refCol, libSize[j], libSize[ref]);
        return normalise(f);
    }

    /** edgeR's choice of the reference sample, from the counts of the features that are not all zero. */
    static int referenceColumn(double[][] x, double[] libSize) {
        int ns = libSize.length;
        double[] f75 = new double[ns], sqrtSums = new double[ns];
        for (int j = 0; j < ns; j++) {
            double[] col = column(x, j);
            f75[j] = upperQuartileFactor(col, libSize[j]);
            for (double v : col) sqrtSums[j] += Math.sqrt(v);
        }
        return chooseReference(f75, sqrtSums);
    }

    /** A sample's upper-quartile factor: the 75th percentile (type 7) of its counts over its library size. */
    public static double upperQuartileFactor(double[] column, double libSize) {
        return quantile7(column, 0.75) / libSize;
    }

    /**
     * The reference sample from each sample's upper-quartile factor and Σ√count: the factor closest
     * to the mean of the factors (the first on ties), or the largest Σ√count when the median
     * factor is below 10⁻²⁰.
     */
    public static int chooseReference(double[] f75, double[] sqrtCountSums) {
        int ns = f75.length;
        if (FilterByExpr.median(f75) < 1e-20) {
            int best = 0;
            for (int j = 1; j < ns; j++) if (sqrtCountSums[j] > sqrtCountSums[best]) best = j;
            return best;
        }
        double mean = 0;
        for (double v : f75) mean += v;
        mean /= ns;
        int best = 0;
        for (int j = 1; j < ns; j++) if (Math.abs(f75[j] - mean) < Math.abs(f75[best] - mean)) best = j;
        return best;
    }

    /** The factors divided by their geometric mean. */
    public static double[] normalise(double[] f) {
        double meanLog = 0;
        for (double v : f) meanLog += Math.log(v);
        double g = Math.exp(meanLog / f.length);
        double[] out = new double[f.length];
        for (int j = 0; j < f.length; j++) out[j] = f[j] / g;
        return out;
    }

    /**
     * The TMM factor (before normalising) of one sample against the reference, over the features
     * that are not all zero, in the same order in both columns.
     */
    public static double factor(double[] obs, double[] ref, double nO, double nR) {
        int n0 = obs.length, n = 0;
        double[] logR = new double[n0], absE = new double[n0], v = new double[n0];
        for (int i = 0; i < n0; i++) {
            double lr = LogCpm.log2((obs[i] / nO) / (ref[i] / nR));
            double ae = (LogCpm.log2(obs[i] / nO) + LogCpm.log2(ref[i] / nR)) / 2;
            if (!Double.isFinite(lr) || !Double.isFinite(ae)) continue;
            logR[n] = lr;
            absE[n] = ae;
            v[n] = (nO - obs[i]) / nO / obs[i] + (nR - ref[i]) / nR / ref[i];
            n++;
        }
        double maxAbs = 0;
        for (int i = 0; i < n; i++) maxAbs = Math.max(maxAbs, Math.abs(logR[i]));
        if (maxAbs < 1e-6) return 1;
        double loL = Math.floor(n * LOGRATIO_TRIM) + 1, hiL = n + 1 - loL;
        double loS = Math.floor(n * SUM_TRIM) + 1, hiS = n + 1 - loS;
        double[] rankR = Ranks.average(Arrays.copyOf(logR, n)), rankE = Ranks.average(Arrays.copyOf(absE, n));
        double num = 0, den = 0;
        for (int i = 0; i < n; i++) {
            if (rankR[i] >= loL && rankR[i] <= hiL && rankE[i] >= loS && rankE[i] <= hiS) {
                num += logR[i] / v[i];
                den += 1 / v[i];
            }
        }
        double f = num / den;
        if (Double.isNaN(f)) f = 0;
        return Math.pow(2, f);
    }

    /** R's quantile of type 7: (1 − h)·x₍ₗₒ₎ + h·x₍ₕᵢ₎ at index 1 + (n − 1)p. */
    static double quantile7(double[] values, double prob) {
        double[] s = values.clone();
        Arrays.sort(s);
        double index = (s.length - 1) * prob;
        int lo = (int) Math.floor(index), hi = (int) Math.ceil(index);
        double q = s[lo];
        double h = index - lo;
        if (index > lo && s[hi] != q) q = (1 - h) * q + h * s[hi];
        return q;
    }

    private static double[] column(double[][] x, int j) {
        double[] c = new double[x.length];
        for (int i = 0; i < x.length; i++) c[i] = x[i][j];
        return c;
    }
}
