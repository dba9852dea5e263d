package org.varpart.report;

/**
 * A Gaussian kernel density estimate of variance fractions, computed from their counts in
 * {@code B} equal bins of [0, 1] (as R's {@code density()} bins its data before smoothing), so
 * that it needs only an aggregate of the fractions, never the fractions themselves.
 *
 * <p>With bin centres cᵦ and counts nᵦ (n in all), the estimate at x is
 * f̂(x) = Σᵦ nᵦ φ((x − cᵦ)/h) / (n h), with φ the standard normal density. The bandwidth h is
 * Silverman's rule of thumb as R's {@code bw.nrd0}: 0.9 · min(sd, IQR/1.34) · n^(−1/5) (sd when
 * the IQR is zero), but never below one bin width, the resolution of the binned data. The
 * estimate is evaluated only between the smallest and largest fraction, which lie in [0, 1]
 * (the violin is trimmed to the data, as ggplot's {@code geom_violin} does by default).
 */
public final class FractionDensity {
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    private FractionDensity() {}

    /**
     * Silverman's rule of thumb, R's {@code bw.nrd0}, from the sample's standard deviation,
     * interquartile range and size; 0 when both the sd and the IQR are 0.
     */
    public static double silvermanBandwidth(double sd, double iqr, long n) {
        double lo = Math.min(sd, iqr / 1.34);
        if (!(lo > 0)) lo = sd;
        if (!(lo > 0)) return 0;
        return 0.9 * lo * Math.pow(n, -0.2);
    }

    /** The bin of a fraction among {@code bins} equal bins of [0, 1]; values outside are clamped. */
    public static int bin(double fraction, int bins) {
        return (int) Math.max(0, Math.min(bins - 1, Math.floor(fraction * bins)));
    }

    /**
     * The density on {@code points} equally spaced values from {@code min} to {@code max}.
     *
     * @param counts the number of fractions in each of counts.length equal bins of [0, 1]
     * @param bandwidth the kernel's standard deviation (see {@link #silvermanBandwidth}); raised
     *     to one bin width when smaller
     * @return {x, f̂(x)}; empty arrays when there are no counts or min = max (no spread to draw)
     */
    public static double[][] estimate(long[] counts, double bandwidth, double min, double max, int points) {
        int bins = counts.length;
        double width = 1.0 / bins;
        double h = Math.max(bandwidth, width);
        long n = 0;
        for (long c : counts) n += c;
        if (n == 0 || !(max > min) || points < 2) return new double[][] {new double[0], new double[0]};
        double[] x = new double[points], f = new double[points];
        for (int i = 0; i < points; i++) x[i] = min + (max - min) * i / (points - 1);
        for (int b = 0; b < bins; b++) {
            if (counts[b] == 0) continue;
            double centre = (b + 0.5) * width;
            for (int i = 0; i < points; i++) {
                double z = (x[i] - centre) / h;
                if (Math.abs(z) < 9) f[i] += counts[b] * Math.exp(-0.5 * z * z);
            }
        }
        for (int i = 0; i < points; i++) f[i] *= INV_SQRT_2PI / (n * h);
        return new double[][] {x, f};
    }
}
