package org.varpart.lmm;

import org.varpart.design.Design;

/**
 * The linear model without random effects, for likelihood-ratio tests of the last random term:
 * its ML deviance n(1 + log(2π RSS/n)) or REML criterion log|XᵀX| + (n−p)(1 + log(2π RSS/(n−p))),
 * which are the profiled criteria of ALGORITHMS.md §2 with no random effects.
 */
public final class FixedOnly {
    private FixedOnly() {}

    /** The criterion of the fit of y on X, or +∞ when XᵀX is singular. */
    public static double objective(Design d, double[] y, boolean reml) {
        int n = d.n(), p = d.p(), m = p + 1;
        double[] a = new double[m * m];
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < m; s++) {
                double xs = s < p ? d.x(i, s) : y[i];
                for (int r = s; r < m; r++) {
                    double xr = r < p ? d.x(i, r) : y[i];
                    a[s * m + r] += xr * xs;
                }
            }
        }
        if (Dense.cholLower(m, a) != 0) return Double.POSITIVE_INFINITY;
        double logDetX = 0;
        for (int j = 0; j < p; j++) logDetX += 2 * Math.log(a[j * m + j]);
        double r2 = a[p * m + p] * a[p * m + p];
        if (reml) {
            int dof = n - p;
            return logDetX + dof * (1 + Math.log(2 * Math.PI * r2 / dof));
        }
        return n * (1 + Math.log(2 * Math.PI * r2 / n));
    }
}
