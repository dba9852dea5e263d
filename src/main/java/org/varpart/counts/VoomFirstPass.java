package org.varpart.counts;

import org.varpart.lmm.FitResult;

/**
 * What voomWithDreamWeights keeps of a feature's first, unweighted ML fit: its mean log-CPM, its
 * residual standard deviation σ̂ and its fitted values (fixed part plus conditional modes, R's
 * {@code predict}). The trend needs only (sx, √σ̂); the fitted values give the weights once the
 * trend is known.
 *
 * @param usable whether the fit has estimates (a failed fit stays out of the trend)
 */
public record VoomFirstPass(double meanLogCpm, double sigma, double[] fitted, boolean usable) implements java.io.Serializable {

    public static VoomFirstPass of(double[] logCpm, FitResult mlFit) {
        double m = 0;
        for (double v : logCpm) m += v;
        m /= logCpm.length;
        if (!mlFit.status().hasEstimates()) return new VoomFirstPass(m, Double.NaN, null, false);
        return new VoomFirstPass(m, Math.sqrt(mlFit.sigma2()), mlFit.fitted(), true);
    }

    /** The trend's x for this feature. */
    public double sx(double sxOffset) {
        return VoomTrend.sx(meanLogCpm, sxOffset);
    }

    /** The trend's y: √σ̂. */
    public double sqrtSd() {
        return Math.sqrt(sigma);
    }
}
