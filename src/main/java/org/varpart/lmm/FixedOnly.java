package org.varpart.lmm;

/**
 * The linear model without random effects, for likelihood-ratio tests of the last random term:
 * the profiled criteria of docs/model.md#profiled-criterion with no random effects (log|L_Z|² = 0),
 * from the Cholesky factor of [X y]ᵀ[X y]. XᵀX is read from the full model's cross-products; the
 * products with y come from the feature's {@link ResponseStatistics}.
 */
public final class FixedOnly {
    private final int n, p;
    /** XᵀX in the top-left p × p of an (p+1) × (p+1) lower triangle, column-major. */
    private final double[] xtx;

    /** The model without random effects on the design of {@code model}, whose cross-products hold XᵀX. */
    public FixedOnly(LmmModel model) {
        this.n = model.design().n();
        this.p = model.design().p();
        int m = p + 1;
        double[] lower = model.xtx();
        xtx = new double[m * m];
        for (int s = 0; s < p; s++) for (int r = s; r < p; r++) xtx[s * m + r] = lower[s * p + r];
    }

    /** The criterion of the fit of the response on X, or +∞ when XᵀX is singular. */
    public double objective(ResponseStatistics response, boolean reml) {
        int m = p + 1;
        double[] a = xtx.clone();
        for (int s = 0; s < p; s++) a[s * m + p] = response.xty()[s];
        a[p * m + p] = response.yty();
        if (Dense.cholLower(m, a) != 0) return Double.POSITIVE_INFINITY;
        double logDetX = 0;
        for (int j = 0; j < p; j++) logDetX += 2 * Math.log(a[j * m + j]);
        double r2 = a[p * m + p] * a[p * m + p];
        return ProfiledCriterion.value(reml, 0, logDetX, r2, n, p);
    }
}
