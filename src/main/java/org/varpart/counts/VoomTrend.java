package org.varpart.counts;

/**
 * The mean–variance trend of voom and variancePartition's voomWithDreamWeights, and the precision
 * weights it gives.
 * <p>Each feature contributes one point: sx = its mean log-CPM + mean(log₂(N + 1)) − log₂(10⁶)
 * (about its log₂ count size) and sy = √σ̂, the square root of its residual standard deviation
 * from a first, unweighted fit. Features whose counts are all zero are left out. The trend is
 * {@code lowess(sx, sy, f = span)} interpolated linearly with constant ends
 * ({@code approxfun(rule = 2)}). An observation with fitted log-CPM μ̂ (fixed part plus
 * conditional modes for a mixed model) in a sample of library size N has fitted log-count
 * λ = log₂(10⁻⁶ · 2^μ̂ · (N + 1)) and weight w = 1 / trend(λ)⁴.
 * <p>The trend is fitted once per assay, on the driver, from the two numbers per feature.
 */
public final class VoomTrend implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    /** voom's default span. */
    public static final double DEFAULT_SPAN = 0.5;
    private final Interpolation trend;
    private final double[] lineX, lineY;

    private VoomTrend(Lowess.Smooth line) {
        this.lineX = line.x();
        this.lineY = line.y();
        this.trend = new Interpolation(line.x(), line.y());
    }

    /**
     * Fits the trend.
     *
     * @param sx each feature's sx
     * @param sqrtSd each feature's √σ̂
     * @param use whether the feature enters the trend (false for all-zero counts and failed fits)
     */
    public static VoomTrend fit(double[] sx, double[] sqrtSd, boolean[] use, double span) {
        if (!(span > 0) || !Double.isFinite(span)) throw new IllegalArgumentException("the lowess span must be a positive number, got " + span);
        int m = 0;
        for (boolean u : use) if (u) m++;
        if (m < 2) throw new IllegalArgumentException("the mean-variance trend needs at least two features, got " + m);
        double[] x = new double[m], y = new double[m];
        int k = 0;
        for (int i = 0; i < sx.length; i++) {
            if (!use[i]) continue;
            x[k] = sx[i];
            y[k++] = sqrtSd[i];
        }
        return new VoomTrend(Lowess.smooth(x, y, span));
    }

    /** sx of a feature from its mean log-CPM and the assay's {@link LogCpm#sxOffset}. */
    public static double sx(double meanLogCpm, double sxOffset) {
        return meanLogCpm + sxOffset;
    }

    /** The trend at a log₂ count size. */
    public double at(double logCount) {
        return trend.value(logCount);
    }

    /** The precision weight of each observation of one feature from its fitted log-CPM values. */
    public double[] weights(double[] fittedLogCpm, double[] libSize) {
        double[] w = new double[fittedLogCpm.length];
        for (int j = 0; j < w.length; j++) {
            double fittedCount = 1e-6 * (Math.pow(2, fittedLogCpm[j]) * (libSize[j] + 1));
            double t = trend.value(LogCpm.log2(fittedCount));
            double t2 = t * t;
            w[j] = 1 / (t2 * t2);
        }
        return w;
    }

    /** The lowess line as voom(plot = TRUE) draws it: sorted sx and the smooth at each. */
    public double[] lineX() {
        return lineX.clone();
    }

    public double[] lineY() {
        return lineY.clone();
    }
}
